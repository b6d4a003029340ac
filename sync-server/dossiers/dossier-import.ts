import { z } from 'zod';
import { Dossier, DossierStatus, DossierStep, dueDate, normalizeDossierCode } from '$lib/domain/dossier';
import type { Procedure } from '$lib/domain/procedure';
import { offsetMs, type WorkCalendar } from '$lib/domain/work-calendar';
import type { Store, StoredDoc } from '../storage/storage';
import type { CsvTable } from './csv';

/**
 * Dossiers from the province's one-stop system, as an admin uploads them (CSV or JSON) or a system
 * sends them (the same JSON). Each dossier is checked on its own and written whole or not at all; the
 * answer lists every refused row with its reason. Idempotent: a dossier already stored as given is
 * left alone (`unchanged`), so sending the same file twice changes nothing.
 */

export type StoredDossier = Dossier & StoredDoc;

const Iso = z.iso.datetime({ offset: true });
/** A dossier as a feed gives it; what the feed may leave out (the due date, the steps) is filled in. */
export const ImportedDossier = z.strictObject({
	code: z.string().max(60),
	procedureCode: z.string().max(40),
	applicantName: z.string().trim().min(1).max(120),
	applicantPhone: z.string().trim().max(20).optional(),
	receivedAt: Iso,
	dueAt: Iso.optional(),
	status: DossierStatus,
	steps: z.array(DossierStep).min(1).max(100).optional()
});
export type ImportedDossier = z.infer<typeof ImportedDossier>;

export interface ImportReport {
	imported: number;
	unchanged: number;
	/** `row`: the dossier's place in the JSON list (from 1), or the CSV line it starts on. */
	rejected: { row: number; code?: string; reason: string }[];
}

/** The CSV's columns: one row per step of a dossier, a dossier's rows together, oldest step first. */
export const CSV_COLUMNS = ['code', 'procedureCode', 'applicantName', 'receivedAt', 'status', 'at'] as const;
const CSV_OPTIONAL = ['applicantPhone', 'dueAt', 'noteVi', 'noteEn'] as const;

/**
 * A date as one-stop systems write it: ISO 8601 with its offset, or `dd/mm/yyyy[ hh:mm[:ss]]` in the
 * province's local time. Null when it is neither.
 */
export function parseSystemDate(raw: string, cal: Pick<WorkCalendar, 'utcOffset'> | undefined): string | null {
	const text = raw.trim();
	if (Iso.safeParse(text).success) return new Date(text).toISOString();
	if (!cal) return null;
	const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
	if (!m) return null;
	const [, d, mo, y, h = '0', mi = '0', s = '0'] = m;
	const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
	const back = new Date(wall);
	if (back.getUTCDate() !== +d || back.getUTCMonth() !== +mo - 1 || +h > 23 || +mi > 59 || +s > 59) return null;
	return new Date(wall - offsetMs(cal)).toISOString();
}

/** The dossiers of a CSV file, each with the line it starts on; a dossier whose rows disagree is refused here. */
export function dossiersFromCsv(table: CsvTable, cal: Pick<WorkCalendar, 'utcOffset'> | undefined): { row: number; value: unknown; problem?: string }[] | { missing: string[] } {
	const missing = CSV_COLUMNS.filter((c) => !table.header.includes(c));
	if (missing.length) return { missing };
	const groups = new Map<string, { row: number; lines: CsvTable['rows'] }>();
	for (const r of table.rows) {
		const key = r.fields.code.trim().toUpperCase();
		const g = groups.get(key) ?? { row: r.line, lines: [] };
		g.lines.push(r);
		groups.set(key, g);
	}
	return [...groups.values()].map(({ row, lines }) => {
		const first = lines[0].fields;
		const bad = lines.find((l) => l.width !== table.header.length);
		if (bad) return { row, value: null, problem: `line ${bad.line}: ${bad.width} fields, the header has ${table.header.length}` };
		for (const f of ['procedureCode', 'applicantName', 'receivedAt'] as const) {
			const other = lines.find((l) => l.fields[f] !== first[f]);
			if (other) return { row, value: null, problem: `line ${other.line}: ${f} differs from line ${row}` };
		}
		const date = (raw: string, column: string, line: number) => {
			const iso = parseSystemDate(raw, cal);
			if (!iso) throw new Error(`line ${line}: ${column} "${raw}" is not a date (ISO 8601, or dd/mm/yyyy hh:mm)`);
			return iso;
		};
		try {
			const opt = (k: (typeof CSV_OPTIONAL)[number], l = first) => (l[k]?.trim() ? l[k].trim() : undefined);
			const value = {
				code: first.code,
				procedureCode: first.procedureCode.trim(),
				applicantName: first.applicantName,
				...(opt('applicantPhone') ? { applicantPhone: opt('applicantPhone') } : {}),
				receivedAt: date(first.receivedAt, 'receivedAt', row),
				...(opt('dueAt') ? { dueAt: date(first.dueAt, 'dueAt', row) } : {}),
				status: lines[lines.length - 1].fields.status.trim(),
				steps: lines.map((l) => ({
					at: date(l.fields.at, 'at', l.line),
					status: l.fields.status.trim(),
					...(opt('noteVi', l.fields) ? { noteVi: opt('noteVi', l.fields) } : {}),
					...(opt('noteEn', l.fields) ? { noteEn: opt('noteEn', l.fields) } : {})
				}))
			};
			return { row, value };
		} catch (e) {
			return { row, value: null, problem: (e as Error).message };
		}
	});
}

/** What the feed said itself, rather than left to be filled in. */
type Given = { dueAt: boolean; steps: boolean };

/**
 * An online dossier (accepted from an application here) as the one-stop system reports it later: it
 * stays online — its office, application, applicant and receipt are this server's — and takes from
 * the feed only what happened after its last known step (or, from a feed without steps, a new status
 * as of now) and a due date the feed states (an extension). A repeated status adds nothing but for
 * `processing` (a progress note), so the same file sent again changes nothing.
 */
export function mergeOnline(stored: Dossier, imported: Dossier, given: Given, now: Date): { dossier: Dossier } | { reason: string } {
	if (imported.procedureCode !== stored.procedureCode)
		return { reason: `procedureCode: "${imported.procedureCode}" is not the online dossier's ("${stored.procedureCode}")` };
	const last = Date.parse(stored.steps[stored.steps.length - 1].at);
	const news = given.steps ? imported.steps.filter((s) => Date.parse(s.at) > last) : imported.status !== stored.status ? [{ at: now.toISOString(), status: imported.status }] : [];
	const steps = [...stored.steps];
	for (const s of news) if (s.status !== steps[steps.length - 1].status || s.status === 'processing') steps.push(s);
	const merged = Dossier.safeParse({
		...Object.fromEntries(Object.keys(Dossier.shape).flatMap((k) => (k in stored ? [[k, stored[k as keyof Dossier]]] : []))),
		...(!stored.applicantPhone && imported.applicantPhone ? { applicantPhone: imported.applicantPhone } : {}),
		dueAt: given.dueAt ? imported.dueAt : stored.dueAt,
		status: steps[steps.length - 1].status,
		steps,
		updatedAt: imported.updatedAt
	});
	return merged.success ? { dossier: merged.data } : { reason: issueText(merged.error) };
}

const issueText = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.') || '(dossier)'}: ${i.message}`).join('; ');

export function createDossierImport(deps: {
	store: Store<StoredDossier>;
	procedures: ReadonlyMap<string, Procedure>;
	calendar: WorkCalendar | undefined;
	tenantId: string;
	now?: () => Date;
	/** Online dossiers whose status an import changed, once written: their applicants are told. */
	moved?: (dossiers: Dossier[]) => Promise<void>;
}) {
	const now = deps.now ?? (() => new Date());

	/** The dossier to store, or why not. */
	function build(value: unknown): { dossier: Dossier; given: Given } | { code?: string; reason: string } {
		const parsed = ImportedDossier.safeParse(value);
		const rawCode = (value as { code?: unknown } | null)?.code;
		if (!parsed.success) return { code: typeof rawCode === 'string' ? rawCode : undefined, reason: issueText(parsed.error) };
		const d = parsed.data;
		const code = normalizeDossierCode(d.code);
		if (!code) return { code: d.code, reason: 'code: not a dossier code (letters, digits, dots and dashes)' };
		const procedure = deps.procedures.get(d.procedureCode);
		if (!procedure) return { code, reason: `procedureCode: "${d.procedureCode}" is not in the province's catalogue` };
		const received = new Date(d.receivedAt);
		let dueAt = d.dueAt;
		if (!dueAt) {
			if (!deps.calendar) return { code, reason: 'dueAt: missing, and the province has no working calendar to count it on' };
			dueAt = dueDate(deps.calendar, received, procedure.processingDays).toISOString();
		}
		const steps = d.steps ?? [{ at: d.receivedAt, status: d.status }];
		for (let i = 1; i < steps.length; i++)
			if (Date.parse(steps[i].at) < Date.parse(steps[i - 1].at)) return { code, reason: `steps.${i}.at: before the step it follows` };
		if (steps[steps.length - 1].status !== d.status) return { code, reason: `status: "${d.status}" is not the last step's ("${steps[steps.length - 1].status}")` };
		const dossier = Dossier.safeParse({
			code,
			tenantId: deps.tenantId,
			procedureCode: d.procedureCode,
			applicantName: d.applicantName,
			...(d.applicantPhone ? { applicantPhone: d.applicantPhone } : {}),
			receivedAt: received.toISOString(),
			dueAt: new Date(dueAt).toISOString(),
			status: d.status,
			steps: steps.map((s) => ({ ...s, at: new Date(s.at).toISOString() })),
			source: 'import',
			updatedAt: now().toISOString()
		});
		return dossier.success ? { dossier: dossier.data, given: { dueAt: !!d.dueAt, steps: !!d.steps } } : { code, reason: issueText(dossier.error) };
	}

	/** The dossier's own fields but the time of the write (not the store's `id`, `_rev`): what "unchanged" compares. */
	const FIELDS = Object.keys(Dossier.shape).filter((k) => k !== 'updatedAt') as (keyof Dossier)[];
	const content = (d: Dossier) => JSON.stringify(FIELDS.map((k) => d[k] ?? null));

	return {
		async importRows(rows: { row: number; value: unknown; problem?: string }[]): Promise<ImportReport> {
			const report: ImportReport = { imported: 0, unchanged: 0, rejected: [] };
			const ready = new Map<string, { row: number; dossier: Dossier; given: Given }>();
			for (const r of rows) {
				const out = r.problem ? { code: undefined, reason: r.problem } : build(r.value);
				if (!('dossier' in out)) {
					report.rejected.push({ row: r.row, ...(out.code ? { code: out.code } : {}), reason: out.reason });
					continue;
				}
				const code = out.dossier.code;
				if (ready.has(code)) {
					report.rejected.push({ row: r.row, code, reason: `code: also at ${ready.get(code)!.row} in this file` });
					continue;
				}
				ready.set(code, { row: r.row, dossier: out.dossier, given: out.given });
			}
			const stored = await deps.store.getMany([...ready.keys()]);
			const writes: { row: number; doc: StoredDossier; rev: string | null; was?: Dossier['status'] }[] = [];
			for (const [code, { row, dossier: fed, given }] of ready) {
				const old = stored.get(code);
				const merged = old?.doc.source === 'online' ? mergeOnline(old.doc, fed, given, now()) : { dossier: fed };
				if (!('dossier' in merged)) {
					report.rejected.push({ row, code, reason: merged.reason });
					continue;
				}
				const dossier = merged.dossier;
				if (old && content(old.doc as Dossier) === content(dossier)) report.unchanged++;
				else writes.push({ row, doc: { ...dossier, id: code }, rev: old?.rev ?? null, was: old?.doc.status });
			}
			const results = await deps.store.bulkPut(writes.map((w) => ({ doc: w.doc, rev: w.rev })));
			const moved: Dossier[] = [];
			results.forEach((res, i) => {
				const w = writes[i];
				if (!res.ok) return report.rejected.push({ row: w.row, code: w.doc.code, reason: 'changed by another import meanwhile: send it again' });
				report.imported++;
				if (w.doc.applicationId && w.doc.status !== w.was) moved.push(w.doc);
			});
			if (moved.length) await deps.moved?.(moved);
			report.rejected.sort((a, b) => a.row - b.row);
			return report;
		}
	};
}
