import { API_KEY_SHAPE, ApiKeyScope } from '../api-keys/api-keys.service';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { BoundaryCollection } from '$lib/domain/geo';
import { OfficeConfig, officeProblems } from '$lib/domain/office';
import { ProcedureCatalogue } from '$lib/domain/procedure';
import { StaffRole } from '$lib/domain/principal';
import { TenantConfig, WorkCalendar } from '$lib/domain/tenant';
import { calendarProblems } from '$lib/domain/work-calendar';
import type { ZoningPlanFile } from '$lib/domain/zoning';
import { checkZoningFile } from '../zoning/zoning-check';

/**
 * A province is a folder: `tenant.json` (the TenantConfig served to devices, plus the name of its
 * boundaries file and the accounts to seed for a demo), the boundaries GeoJSON, the procedure
 * catalogue (optional) and its source notes.
 * The whole folder is checked before the server uses any of it, so a bad folder stops the start
 * with every problem listed, rather than serving half a province.
 */
export const TENANT_FILE = 'tenant.json';

/** An account the demo seed creates; they all get the seed's demo password (sync-server/seed). */
export const DemoAccountEntry = z
	.strictObject({
		username: z.string().regex(/^[a-z0-9-]{2,60}$/),
		role: StaffRole,
		unitIds: z.array(z.string()),
		name: z.string().min(1),
		/** The head of the account's units: sees the operations centre for them. Handlers only. */
		unitHead: z.literal(true).optional()
	})
	.refine((a) => !a.unitHead || (a.role === 'handler' && a.unitIds.length > 0), { message: 'only a handler with units heads them (unitHead)', path: ['unitHead'] });
export type DemoAccountEntry = z.infer<typeof DemoAccountEntry>;

/**
 * An API key the demo seed creates (e.g. the demo Open311 client's), well known like the demo
 * password: created when absent, never overwritten (a revoked one stays revoked). Real deployments
 * list none; their admin makes keys.
 */
export const DemoApiKeyEntry = z.strictObject({
	name: z.string().min(1).max(80),
	scopes: z.array(ApiKeyScope).min(1),
	key: z.string().regex(API_KEY_SHAPE, 'cn_ and 43 base64url characters')
});
export type DemoApiKeyEntry = z.infer<typeof DemoApiKeyEntry>;

/** tenant.json: what devices get (TenantConfig) and what only the server reads. */
export const TenantFile = TenantConfig.extend({
	/** File name, in the tenant folder, of the admin units' boundaries (GeoJSON FeatureCollection). */
	boundaries: z.string().regex(/^[\w.-]+\.geojson$/),
	/** File name, in the tenant folder, of its administrative procedures (domain/procedure.ts); none: no catalogue. */
	procedures: z.string().regex(/^[\w.-]+\.json$/).optional(),
	demoAccounts: z.array(DemoAccountEntry).default([]),
	demoApiKeys: z.array(DemoApiKeyEntry).default([])
});

export interface LoadedTenant {
	dir: string;
	config: TenantConfig;
	boundariesFile: string;
	/** The boundaries as checked: parsed once here, used by the server to check reports' places. */
	boundaries: BoundaryCollection;
	/** The procedure catalogue as checked, or null when the tenant has none. */
	procedures: ProcedureCatalogue | null;
	/** The zoning plan as checked (`zoning` in tenant.json, sync-server/zoning/zoning-check.ts), or null: none. */
	zoning?: ZoningPlanFile | null;
	demoAccounts: DemoAccountEntry[];
	/** Keys the demo seed creates when absent (sync-server/api-keys). */
	demoApiKeys?: DemoApiKeyEntry[];
}

/** Every problem of a folder, each as `file: path.in.json: reason`. */
export class TenantFolderError extends Error {
	constructor(
		readonly dir: string,
		readonly problems: string[]
	) {
		super(`Tenant folder ${dir} cannot be loaded (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
		this.name = 'TenantFolderError';
	}
}

const WHOLE_FILE = '(file)';
const pathOf = (p: readonly PropertyKey[]) => (p.length ? p.map(String).join('.') : '(root)');

/** The parsed JSON of a file, or the problem that prevents it. */
async function readJson(file: string): Promise<{ value: unknown } | { problem: string }> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		return { problem: code === 'ENOENT' ? 'missing file' : `cannot read (${code ?? String(e)})` };
	}
	try {
		return { value: JSON.parse(text) };
	} catch (e) {
		return { problem: `invalid JSON: ${(e as Error).message}` };
	}
}

// The cross-checks read the raw JSON, so they still run (and report) where the schema failed.
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `key` of each element of `items` (at `at`): the set of values, and a problem per repeated one. */
function uniqueKeys(items: unknown[], at: string, key: string, problems: string[]): Set<string> {
	const first = new Map<string, number>();
	items.forEach((item, i) => {
		const v = str(rec(item)[key]);
		if (v === undefined) return;
		if (first.has(v)) problems.push(`${TENANT_FILE}: ${at}.${i}.${key}: duplicate "${v}" (also ${at}.${first.get(v)}.${key})`);
		else first.set(v, i);
	});
	return new Set(first.keys());
}

/** References between the parts of tenant.json: every name a rule, unit or account uses exists. */
function crossCheck(raw: Record<string, unknown>, problems: string[]) {
	const at = (p: string, reason: string) => problems.push(`${TENANT_FILE}: ${p}: ${reason}`);
	const wards = uniqueKeys(list(raw.adminUnits), 'adminUnits', 'code', problems);
	const categories = uniqueKeys(list(raw.categories), 'categories', 'code', problems);
	const units = uniqueKeys(list(raw.units), 'units', 'id', problems);
	uniqueKeys(list(raw.demoAccounts), 'demoAccounts', 'username', problems);

	list(raw.units).forEach((u, i) =>
		list(rec(u).wardCodes).forEach((w, j) => {
			if (typeof w === 'string' && !wards.has(w)) at(`units.${i}.wardCodes.${j}`, `unknown admin unit "${w}"`);
		})
	);
	const rules = list(raw.routingRules).map(rec);
	rules.forEach((rule, i) => {
		list(rule.categories).forEach((c, j) => {
			if (typeof c === 'string' && !categories.has(c)) at(`routingRules.${i}.categories.${j}`, `unknown category "${c}"`);
		});
		list(rule.wards).forEach((w, j) => {
			if (typeof w === 'string' && !wards.has(w)) at(`routingRules.${i}.wards.${j}`, `unknown admin unit "${w}"`);
		});
		list(rule.unitIds).forEach((u, j) => {
			if (typeof u === 'string' && u !== '$ward' && !units.has(u)) at(`routingRules.${i}.unitIds.${j}`, `unknown unit "${u}"`);
		});
		if (rule.lead !== undefined && !list(rule.unitIds).includes(rule.lead))
			at(`routingRules.${i}.lead`, `the lead "${String(rule.lead)}" is not one of the rule's unitIds`);
	});
	list(raw.categories).forEach((c, i) => {
		const code = str(rec(c).code);
		if (code === undefined) return;
		const routed = rules.some((r) => (r.categories === '*' || list(r.categories).includes(code)) && list(r.unitIds).length > 0);
		if (!routed) at(`categories.${i}`, `no routing rule sends category "${code}" to a unit`);
	});
	list(raw.fallbackUnitIds).forEach((u, i) => {
		if (typeof u === 'string' && !units.has(u)) at(`fallbackUnitIds.${i}`, `unknown unit "${u}"`);
	});
	for (const c of Object.keys(rec(rec(raw.sla).byCategory)))
		if (!categories.has(c)) at(`sla.byCategory.${c}`, `unknown category "${c}"`);
	list(raw.demoAccounts).forEach((a, i) =>
		list(rec(a).unitIds).forEach((u, j) => {
			if (typeof u === 'string' && !units.has(u)) at(`demoAccounts.${i}.unitIds.${j}`, `unknown unit "${u}"`);
		})
	);
	return wards;
}

/** "+07:00" for an offset in minutes. */
function offsetText(minutes: number): string {
	const abs = Math.abs(minutes);
	return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The zone's offsets from UTC over a year (Intl's time-zone data), or null for a zone Intl does not know. */
function zoneOffsets(timeZone: string): Set<string> | null {
	let format: Intl.DateTimeFormat;
	try {
		format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
	} catch {
		return null;
	}
	const out = new Set<string>();
	for (let month = 0; month < 12; month++) {
		const name = format.formatToParts(Date.UTC(2026, month, 15)).find((p) => p.type === 'timeZoneName')?.value ?? '';
		// "GMT+07:00", or "GMT" for UTC itself.
		const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
		out.add(m ? offsetText((m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]))) : '+00:00');
	}
	return out;
}

/**
 * The working calendar: what its schema cannot say (domain/work-calendar.ts calendarProblems), that
 * its fixed offset is the zone's (the arithmetic never reads a tz database, so a zone with daylight
 * saving would be wrong half the year), and that no SLA counts working hours without one.
 */
function checkCalendar(raw: Record<string, unknown>, problems: string[]) {
	const at = (p: string, reason: string) => problems.push(`${TENANT_FILE}: ${p}: ${reason}`);
	const sla = rec(raw.sla);
	if (raw.calendar === undefined) {
		if (rec(sla.default).hours === 'working') at('sla.default.hours', `working hours need a calendar (${TENANT_FILE} "calendar")`);
		for (const [code, hours] of Object.entries(rec(sla.byCategory)))
			if (rec(hours).hours === 'working') at(`sla.byCategory.${code}.hours`, `working hours need a calendar (${TENANT_FILE} "calendar")`);
		return;
	}
	const parsed = WorkCalendar.safeParse(raw.calendar);
	if (!parsed.success) return; // the schema's problems are listed already
	const cal = parsed.data;
	for (const p of calendarProblems(cal, 'calendar.')) at(p.path, p.reason);
	const offsets = zoneOffsets(cal.timeZone);
	if (!offsets) at('calendar.timeZone', `unknown time zone "${cal.timeZone}"`);
	else if (offsets.size > 1)
		at('calendar.timeZone', `${cal.timeZone} changes its offset during the year (daylight saving): a calendar needs one fixed offset`);
	else if (!offsets.has(cal.utcOffset)) at('calendar.utcOffset', `${cal.timeZone} is at ${[...offsets][0]}, not ${cal.utcOffset}`);
}

/**
 * The one-stop offices: what their schema cannot say (domain/office.ts officeProblems), that each
 * office's ward is an admin unit, and that the tenant has a calendar: offices open on its holidays
 * otherwise, and slots and queues are counted on it.
 */
function checkOffice(raw: Record<string, unknown>, wards: Set<string>, problems: string[]) {
	if (raw.office === undefined) return;
	const at = (p: string, reason: string) => problems.push(`${TENANT_FILE}: ${p}: ${reason}`);
	if (raw.calendar === undefined) at('office', `one-stop offices need a calendar (${TENANT_FILE} "calendar")`);
	const parsed = OfficeConfig.safeParse(raw.office);
	if (!parsed.success) return; // the schema's problems are listed already
	const units = new Set(list(raw.units).flatMap((u) => str(rec(u).id) ?? []));
	for (const p of officeProblems(parsed.data, units)) at(p.path, p.reason);
	parsed.data.offices.forEach((o, i) => {
		if (!wards.has(o.wardCode)) at(`office.offices.${i}.wardCode`, `unknown admin unit "${o.wardCode}"`);
	});
}

/** The boundaries and the admin units are the same list: a ward with no shape, or a shape of no ward, is refused. */
function checkBoundaries(file: string, raw: unknown, adminUnits: unknown[], wards: Set<string>, problems: string[]) {
	const features = rec(raw).features;
	if (rec(raw).type !== 'FeatureCollection' || !Array.isArray(features)) {
		problems.push(`${file}: ${WHOLE_FILE}: not a GeoJSON FeatureCollection`);
		return;
	}
	const seen = new Map<string, number>();
	features.forEach((f, i) => {
		const code = str(rec(rec(f).properties).code);
		const at = `${file}: features.${i}.properties.code`;
		if (code === undefined) problems.push(`${at}: missing`);
		else if (seen.has(code)) problems.push(`${at}: duplicate "${code}" (also features.${seen.get(code)})`);
		else {
			seen.set(code, i);
			if (!wards.has(code)) problems.push(`${at}: "${code}" is not in ${TENANT_FILE} adminUnits`);
		}
	});
	adminUnits.forEach((u, i) => {
		const code = str(rec(u).code);
		if (code !== undefined && !seen.has(code)) problems.push(`${TENANT_FILE}: adminUnits.${i}.code: "${code}" has no boundary in ${file}`);
	});
}

/** Reads and checks a tenant folder: the whole of it or nothing (TenantFolderError lists every problem). */
export async function loadTenant(dir: string): Promise<LoadedTenant> {
	const root = path.resolve(dir);
	const problems: string[] = [];
	const json = await readJson(path.join(root, TENANT_FILE));
	if ('problem' in json) throw new TenantFolderError(root, [`${TENANT_FILE}: ${WHOLE_FILE}: ${json.problem}`]);

	const parsed = TenantFile.safeParse(json.value);
	if (!parsed.success) for (const issue of parsed.error.issues) problems.push(`${TENANT_FILE}: ${pathOf(issue.path)}: ${issue.message}`);
	const raw = rec(json.value);
	const wards = crossCheck(raw, problems);
	checkCalendar(raw, problems);
	checkOffice(raw, wards, problems);

	const boundariesName = str(raw.boundaries);
	let shapes: unknown;
	if (boundariesName && /^[\w.-]+\.geojson$/.test(boundariesName)) {
		const boundaries = await readJson(path.join(root, boundariesName));
		if ('problem' in boundaries) problems.push(`${boundariesName}: ${WHOLE_FILE}: ${boundaries.problem}`);
		else checkBoundaries(boundariesName, (shapes = boundaries.value), list(raw.adminUnits), wards, problems);
	}

	const proceduresName = str(raw.procedures);
	let procedures: ProcedureCatalogue | null = null;
	if (proceduresName && /^[\w.-]+\.json$/.test(proceduresName)) {
		const file = await readJson(path.join(root, proceduresName));
		if ('problem' in file) problems.push(`${proceduresName}: ${WHOLE_FILE}: ${file.problem}`);
		else {
			const catalogue = ProcedureCatalogue.safeParse(file.value);
			if (catalogue.success) procedures = catalogue.data;
			else for (const issue of catalogue.error.issues) problems.push(`${proceduresName}: ${pathOf(issue.path)}: ${issue.message}`);
		}
	}

	const zoningName = str(raw.zoning);
	let zoning: ZoningPlanFile | null = null;
	if (zoningName && TenantConfig.shape.zoning.safeParse(zoningName).success) {
		const file = await readJson(path.join(root, zoningName));
		if ('problem' in file) problems.push(`${zoningName}: ${WHOLE_FILE}: ${file.problem}`);
		else {
			const checked = checkZoningFile(file.value, { tenantId: str(raw.id) ?? '', wards, boundaries: shapes && !problems.length ? (shapes as BoundaryCollection) : null });
			zoning = checked.file;
			for (const p of checked.problems) problems.push(`${zoningName}: ${p}`);
		}
	}

	if (problems.length || !parsed.success) throw new TenantFolderError(root, problems);
	const { boundaries, procedures: _file, demoAccounts, demoApiKeys, ...config } = parsed.data;
	return { dir: root, config: TenantConfig.parse(config), boundariesFile: path.join(root, boundaries), boundaries: shapes as BoundaryCollection, procedures, zoning, demoAccounts, demoApiKeys };
}

/** What an operator wants to see before starting: how much the server would load. */
export function tenantSummary(t: LoadedTenant) {
	return {
		id: t.config.id,
		wards: t.config.adminUnits.length,
		units: t.config.units.length,
		categories: t.config.categories.length,
		rules: t.config.routingRules.length,
		accounts: t.demoAccounts.length
	};
}
