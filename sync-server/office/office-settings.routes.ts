import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OfficeConfig, officeProblems } from '$lib/domain/office';
import type { Principal } from '$lib/domain/principal';
import type { TenantConfig } from '$lib/domain/tenant';
import type { Ticket } from '$lib/domain/ticket';
import { localDate } from '$lib/domain/work-calendar';
import { authenticateFirst, principalOf, type TokenService } from '../auth/tokens';
import { ApiError } from '../http/api-error';
import type { OfficeQueue } from './office-queue';
import type { OfficeSettings } from './office-settings';

/**
 * An admin edits the one-stop offices — offices, counters, services, opening hours, closed days —
 * while the server runs:
 *
 *   GET /api/office/settings   → { office, savedAt }            the settings now
 *   PUT /api/office/settings   { office, basedOn } → { savedAt }  a new version over the one read
 *
 * A version is checked whole (the same schema and cross-references as the tenant folder) and never
 * breaks a number already taken: while a ticket waits, is called or parked (today or a booked day),
 * its office stays, offers its service, and keeps the counter it was sent to or is served at.
 */

const BODY_LIMIT = 256 * 1024;
const SaveBody = z.object({ office: z.unknown(), basedOn: z.string().nullable() });
/** `savedAt`: the version saved (what the next save's `basedOn` names), null while the folder's offices are used. */
const SavedAt = z.object({ savedAt: z.string().nullable() });
const OPEN: readonly Ticket['status'][] = ['waiting', 'called', 'parked'];

function adminOnly(p: Principal): void {
	if (p.role !== 'admin') throw new ApiError(403, 'forbidden_scope', 'Chỉ quản trị viên sửa cài đặt văn phòng / Only an admin edits the office settings');
}

/** What the new version would break: numbers held at offices, services or counters it drops. */
export function brokenTickets(next: OfficeConfig, open: Ticket[]): { officeId: string; number: string; why: 'office' | 'service' | 'counter' }[] {
	const out: { officeId: string; number: string; why: 'office' | 'service' | 'counter' }[] = [];
	for (const t of open) {
		const o = next.offices.find((x) => x.id === t.officeId);
		const counter = t.targetCounterId ?? (t.status === 'called' ? t.counterId : undefined);
		if (!o) out.push({ officeId: t.officeId, number: t.number, why: 'office' });
		else if (!o.serviceIds.includes(t.serviceId) || !next.services.some((s) => s.id === t.serviceId)) out.push({ officeId: t.officeId, number: t.number, why: 'service' });
		else if (counter && !o.counters.some((c) => c.id === counter)) out.push({ officeId: t.officeId, number: t.number, why: 'counter' });
	}
	return out;
}

export async function officeSettingsRoutes(
	app: FastifyInstance,
	deps: { tokens: TokenService; settings: OfficeSettings; queue: OfficeQueue; tenant: TenantConfig; now: () => Date }
) {
	const r = app.withTypeProvider<ZodTypeProvider>();
	const authed = { onRequest: authenticateFirst(deps.tokens) };
	const unitIds = new Set(deps.tenant.units.map((u) => u.id));
	const wardCodes = new Set(deps.tenant.adminUnits.map((a) => a.code));

	/** Tickets still to serve at the current offices, today and on every day a slot can be booked. */
	async function openTickets(): Promise<Ticket[]> {
		const current = deps.settings.current();
		const cal = deps.tenant.calendar;
		if (!current || !cal) return [];
		const at = deps.now();
		const out: Ticket[] = [];
		for (const o of current.offices)
			for (let i = 0; i <= o.bookDaysAhead; i++) {
				const day = localDate(cal, new Date(at.getTime() + i * 86_400_000));
				for (const t of await deps.queue.dayTickets(o.id, day)) if (OPEN.includes(t.status)) out.push(t);
			}
		return out;
	}

	r.get('/api/office/settings', { ...authed, schema: { response: { 200: SavedAt.extend({ office: OfficeConfig.nullable() }) } } }, async (req, reply) => {
		adminOnly(principalOf(req));
		reply.header('cache-control', 'no-store');
		return { office: deps.settings.current() ?? null, savedAt: deps.settings.savedAt() };
	});

	r.put('/api/office/settings', { ...authed, bodyLimit: BODY_LIMIT, schema: { body: SaveBody, response: { 200: SavedAt } } }, async (req) => {
		const p = principalOf(req);
		adminOnly(p);
		const parsed = OfficeConfig.safeParse(req.body.office);
		if (!parsed.success)
			throw new ApiError(400, 'validation_failed', 'Cài đặt chưa hợp lệ / The settings are not valid', {
				problems: parsed.error.issues.slice(0, 50).map((i) => ({ path: i.path.join('.'), reason: i.message }))
			});
		const next = parsed.data;
		const problems = officeProblems(next, unitIds, '');
		next.offices.forEach((o, i) => {
			if (!wardCodes.has(o.wardCode)) problems.push({ path: `offices.${i}.wardCode`, reason: `unknown ward "${o.wardCode}"` });
		});
		if (problems.length) throw new ApiError(400, 'validation_failed', 'Cài đặt chưa hợp lệ / The settings are not valid', { problems });
		const broken = brokenTickets(next, await openTickets());
		if (broken.length)
			throw new ApiError(409, 'settings_break_tickets', 'Còn số đang chờ ở phần bị bỏ / Numbers still wait where the change removes', { broken: broken.slice(0, 50) });
		if (!(await deps.settings.save(next, req.body.basedOn, p.sub, deps.now())))
			throw new ApiError(409, 'settings_changed', 'Có người vừa lưu trước / Someone saved in between');
		return { savedAt: deps.settings.savedAt() };
	});
}
