import type { Contact } from '$lib/domain/contact';
import type { ReportEvent } from '$lib/domain/event';
import type { Media } from '$lib/domain/media';
import type { Report, ReportInput } from '$lib/domain/report';
import { deriveReport } from '$lib/domain/report-state';
import { dueAt, leadUnitOf, routeReport } from '$lib/domain/routing';
import type { TenantConfig } from '$lib/domain/tenant';
import type { Store, StoredDoc } from '../storage/storage';
import type { ScopeIndex } from '../access/scope-index';
import { derivedId } from './derived-ids';
import { claimTrackingCodes, type TrackingClaim } from './tracking-code';

export interface ReportIntakeDeps {
	config: TenantConfig;
	reports: Store<Report>;
	events: Store<ReportEvent>;
	claims: Store<TrackingClaim>;
	/** The server clock (tests may fix it). */
	now?: () => Date;
	/**
	 * Where a report's events are listed (sync-server/access/scope-index.ts). The server always passes
	 * it; without it (unit tests of other services) `eventsOf` reads the whole events feed.
	 */
	index?: Pick<ScopeIndex, 'childIds'>;
	/**
	 * Contacts and photos hang off reports: when a report gains a unit (a transfer), they and the
	 * events are written again so the new unit's handlers receive them through the changes feed.
	 */
	children?: { contacts: Store<Contact>; media: Store<Media> };
}

/**
 * What happens when a new report arrives: the server stamps its own clock, a tracking code, the
 * units it is routed to, its status and due time, and appends the `received` and `assigned` events.
 * Every step is idempotent, so a retried push (or a crash half-way) never doubles anything.
 */
export function createReportIntake(deps: ReportIntakeDeps) {
	const now = deps.now ?? (() => new Date());

	/** The server's own events about a report; ids derived from the report id. */
	function intakeEvents(report: Report): ReportEvent[] {
		const at = report.receivedAt!;
		const base = {
			reportId: report.id,
			tenantId: report.tenantId,
			actorId: 'system',
			actorRole: 'system' as const,
			at,
			serverAt: at,
			_deleted: false
		};
		return [
			{ ...base, id: derivedId(report.id, 'received'), type: 'received' },
			{
				...base,
				id: derivedId(report.id, 'assigned'),
				type: 'assigned',
				unitIds: report.assignedUnitIds ?? [],
				// The unit routing made lead (chủ trì): the events carry it, so transfers can move it.
				...(report.leadUnitId ? { unitId: report.leadUnitId } : {})
			}
		];
	}

	/**
	 * Writes the intake events that are missing, for any number of reports in one write: the events are
	 * created create-only, so one that exists already is left as it is (its conflict is the answer).
	 */
	async function ensureIntakeEvents(reports: Report[]): Promise<void> {
		const wanted = reports.filter((r) => r.receivedAt).flatMap(intakeEvents);
		const res = await deps.events.bulkPut(wanted.map((doc) => ({ doc, rev: null })));
		const failed = res.find((r) => !r.ok && !r.conflict);
		if (failed && !failed.ok) throw new Error(`Could not write intake event: ${failed.error}`);
	}

	/**
	 * Stores new reports, enriched, a batch at a time: one write for the tracking-code claims, one for
	 * the reports, one for their events (a write per document made a push of 100 reports 400 writes).
	 * Each result says `created: false` when a report with this id was already stored (a concurrent
	 * retry): `report` is then the stored one, for the caller to compare.
	 */
	async function intakeMany(
		inputs: ReportInput[],
		/** The verified person of the device filing them (its token's personId); the system that filed them through its API key (Open311). */
		opts: { personId?: string; filedVia?: Report['filedVia'] } = {}
	): Promise<{ report: Report; created: boolean }[]> {
		if (!inputs.length) return [];
		const receivedAt = now();
		const at = receivedAt.toISOString();
		const codes = await claimTrackingCodes(deps.claims, deps.config.trackingPrefix, inputs.map((i) => i.id), receivedAt);
		const reports: Report[] = inputs.map((input, i) => ({
			...input,
			trackingCode: codes[i],
			receivedAt: at,
			status: 'assigned',
			assignedUnitIds: routeReport(deps.config, input),
			leadUnitId: leadUnitOf(deps.config, input),
			dueAt: dueAt(deps.config, input.categoryCode, receivedAt).toISOString(),
			seenByUnitIds: [],
			...(opts.personId ? { personId: opts.personId } : {}),
			...(opts.filedVia ? { filedVia: opts.filedVia } : {}),
			updatedAt: at
		}));
		const res = await deps.reports.bulkPut(reports.map((doc) => ({ doc, rev: null })));
		const failed = res.find((r) => !r.ok && !r.conflict);
		if (failed && !failed.ok) throw new Error(`Could not store report: ${failed.error}`);
		const taken = inputs.filter((_, i) => !res[i].ok).map((input) => input.id);
		const stored = await deps.reports.getMany(taken);
		const out = reports.map((report, i) => {
			if (res[i].ok) return { report, created: true };
			const mine = stored.get(report.id);
			if (!mine) throw new Error('Report conflict but nothing stored');
			return { report: mine.doc, created: false };
		});
		await ensureIntakeEvents(out.map((o) => o.report));
		return out;
	}

	/**
	 * The stored events of some reports, in id order. Through the index: it catches up with the
	 * events feed (so an event written just before is there), then one point read of the reports'
	 * states and one of their events: the cost follows the events of these reports, not the size of
	 * the store. Without an index, a scan of the whole feed (O(all events)).
	 */
	async function eventsOf(reportIds: string[]): Promise<Map<string, ReportEvent[]>> {
		const out = new Map<string, ReportEvent[]>(reportIds.map((id) => [id, []]));
		if (!reportIds.length) return out;
		if (deps.index) {
			const lists = await deps.index.childIds('events', [...out.keys()]);
			const got = await deps.events.getMany([...lists.values()].flat());
			for (const [reportId, ids] of lists)
				for (const id of ids) {
					const e = got.get(id)?.doc;
					// A listed id whose event moved to another report (never, events are append-only) is skipped.
					if (e && !e._deleted && e.reportId === reportId) out.get(reportId)!.push(e);
				}
			return out;
		}
		let since: string | number | null = null;
		for (;;) {
			const page = await deps.events.changes({ since, limit: 1000, includeDocs: true });
			for (const c of page.results) {
				const e = c.doc;
				if (!c.deleted && e && !e._deleted) out.get(e.reportId)?.push(e);
			}
			if (!page.results.length || page.lastSeq === since) break;
			since = page.lastSeq;
		}
		return out;
	}

	/** The derived fields of a report from its events, or null when they are what it already holds. */
	function derivedChange(cur: Report, events: ReportEvent[]): Report | null {
		const d = deriveReport(events, deps.config, cur.categoryCode, now());
		const assigned = d.assignedUnitIds;
		// `seen` events without a unit were recorded by markSeen: keep them while still assigned.
		const seen = [...new Set([...d.seenByUnitIds, ...(cur.seenByUnitIds ?? []).filter((u) => assigned.includes(u))])].sort();
		// Units that lost the report (a transfer) are remembered, so their devices are told to drop it.
		const former = [
			...new Set([...(cur.formerUnitIds ?? []), ...(cur.assignedUnitIds ?? [])].filter((u) => !assigned.includes(u)))
		].sort();
		const next = {
			status: d.status ?? cur.status,
			assignedUnitIds: assigned,
			...(d.leadUnitId ? { leadUnitId: d.leadUnitId } : {}),
			seenByUnitIds: seen,
			actedByUnitIds: d.actedByUnitIds,
			dueAt: d.dueAt ?? cur.dueAt,
			...(former.length ? { formerUnitIds: former } : {})
		};
		// What the operations centre counts (sync-server/ioc): kept on the report by its single writer.
		const figures = {
			firstResponseAt: d.firstResponseAt,
			resolvedAt: d.resolvedAt,
			reopenCount: d.reopenedBy?.length || undefined,
			satisfied: d.satisfied
		};
		const same =
			(Object.keys(figures) as (keyof typeof figures)[]).every((k) => figures[k] === cur[k]) &&
			next.status === cur.status &&
			next.dueAt === cur.dueAt &&
			d.overdueAt === cur.overdueAt &&
			d.leadUnitId === cur.leadUnitId &&
			JSON.stringify(next.assignedUnitIds) === JSON.stringify([...(cur.assignedUnitIds ?? [])].sort()) &&
			JSON.stringify(next.seenByUnitIds) === JSON.stringify([...(cur.seenByUnitIds ?? [])].sort()) &&
			JSON.stringify(next.actedByUnitIds) === JSON.stringify(cur.actedByUnitIds ?? []) &&
			JSON.stringify(former) === JSON.stringify([...(cur.formerUnitIds ?? [])].sort());
		if (same) return null;
		// overdueAt follows the events (see deriveReport): set by the overdue job's event, removed when
		// the report is reopened with a new due time, kept after a late resolution.
		const { overdueAt: _previous, formerUnitIds: _former, firstResponseAt: _f, resolvedAt: _r, reopenCount: _n, satisfied: _s, ...rest } = cur;
		const defined = Object.fromEntries(Object.entries(figures).filter(([, v]) => v !== undefined));
		return { ...rest, ...next, ...defined, ...(d.overdueAt ? { overdueAt: d.overdueAt } : {}), updatedAt: now().toISOString() };
	}

	/**
	 * A resident's "not satisfied" reopens a resolved report (domain/report-state.ts): the reopening
	 * gets a step of its own, the system's `reopened`, so the resident's, the handlers' and the public
	 * timelines show it and the notices tell of it, rather than leaving it to be read from a rating.
	 * Its id is derived from the rating's (create-only: a retry or a concurrent request writes none
	 * twice), its time is the rating's plus 1 ms, so it reads right after it even when recorded late.
	 * `events` gets the new steps, for the derivation that follows.
	 */
	async function recordReopenings(reports: Map<string, { doc: Report }>, events: Map<string, ReportEvent[]>): Promise<void> {
		const owed: ReportEvent[] = [];
		for (const [id, { doc: report }] of reports) {
			const list = events.get(id) ?? [];
			const byId = new Map(list.map((e) => [e.id, e]));
			for (const causeId of deriveReport(list, deps.config, report.categoryCode, now()).reopenedBy ?? []) {
				const cause = byId.get(causeId);
				const stepId = cause?.type === 'feedback' ? derivedId(cause.id, 'reopened') : null;
				if (!cause?.serverAt || !stepId || byId.has(stepId)) continue;
				const at = new Date(Date.parse(cause.serverAt) + 1).toISOString();
				owed.push({ id: stepId, reportId: id, tenantId: report.tenantId, type: 'reopened', actorId: 'system', actorRole: 'system', at, serverAt: at, _deleted: false });
			}
		}
		if (!owed.length) return;
		const res = await deps.events.bulkPut(owed.map((doc) => ({ doc, rev: null })));
		const failed = res.find((r) => !r.ok && !r.conflict);
		if (failed && !failed.ok) throw new Error(`Could not record a reopening: ${failed.error}`);
		for (const e of owed) events.get(e.reportId)?.push(e);
	}

	/**
	 * Recomputes the derived fields of these reports from their events and writes those that changed:
	 * the server is their single writer. Each report is read before its events and written at that
	 * revision, so a concurrent event (another request) makes it retry with that event included. The
	 * events of all the reports are read in one pass per attempt, not one pass per report.
	 */
	async function rederive(reportIds: string[]): Promise<void> {
		let pending = [...new Set(reportIds)];
		for (let attempt = 0; attempt < 8 && pending.length; attempt++) {
			const current = await deps.reports.getMany(pending);
			const events = await eventsOf([...current.keys()]);
			await recordReopenings(current, events);
			const writes: { doc: Report; rev: string }[] = [];
			for (const [id, cur] of current) {
				const doc = derivedChange(cur.doc, events.get(id) ?? []);
				if (doc) writes.push({ doc, rev: cur.rev });
			}
			const results = await deps.reports.bulkPut(writes);
			pending = [];
			const gained: string[] = [];
			results.forEach((res, i) => {
				if (res.ok) {
					const before = current.get(writes[i].doc.id)?.doc.assignedUnitIds ?? [];
					if ((writes[i].doc.assignedUnitIds ?? []).some((u) => !before.includes(u))) gained.push(writes[i].doc.id);
					return;
				}
				if (!res.conflict) throw new Error(res.error);
				pending.push(writes[i].doc.id);
			});
			if (gained.length) await announceChildren(gained, events);
		}
		if (pending.length) throw new Error(`Could not write the derived fields of reports ${pending.join(', ')} after 8 attempts`);
	}

	/**
	 * A unit that joins a report later (a transfer) must get its history too: the report's events,
	 * contact and photos were written before the unit could read them, so a pull or live stream that
	 * follows the changes feed would never offer them. Writing them again, unchanged, puts them back
	 * in the feed after the report's new state. A report has a handful of them, and transfers are rare.
	 */
	async function announceChildren(reportIds: string[], known: Map<string, ReportEvent[]>): Promise<void> {
		const again = async <T extends StoredDoc>(store: Store<T>, ids: string[]) => {
			if (!ids.length) return;
			const got = await store.getMany(ids);
			// Upsert over the stored revision: a concurrent change of the same document wins and is in
			// the feed anyway.
			await store.bulkPut([...got.values()].map((v) => ({ doc: v.doc })));
		};
		await again(deps.events, reportIds.flatMap((id) => (known.get(id) ?? []).map((e) => e.id)));
		if (!deps.children || !deps.index) return;
		const [contacts, media] = await Promise.all([
			deps.index.childIds('contacts', reportIds),
			deps.index.childIds('media', reportIds)
		]);
		await again(deps.children.contacts, [...contacts.values()].flat());
		await again(deps.children.media, [...media.values()].flat());
	}

	return {
		intakeEvents,
		eventsOf,
		rederive,
		ensureIntakeEvents,
		intakeMany,

		/** One new report (see intakeMany). */
		async intake(input: ReportInput): Promise<{ report: Report; created: boolean }> {
			const [one] = await intakeMany([input]);
			return one;
		},

		/**
		 * Records that units have seen a report (from a `seen` event): the server is the single writer
		 * of the derived `seenByUnitIds`. Retries on a concurrent write.
		 */
		async markSeen(reportId: string, unitIds: string[]): Promise<void> {
			for (let attempt = 0; attempt < 5; attempt++) {
				const cur = (await deps.reports.getMany([reportId])).get(reportId);
				if (!cur) return;
				const seen = new Set(cur.doc.seenByUnitIds ?? []);
				const before = seen.size;
				for (const u of unitIds) seen.add(u);
				if (seen.size === before) return;
				const doc: Report = { ...cur.doc, seenByUnitIds: [...seen].sort(), updatedAt: now().toISOString() };
				const [res] = await deps.reports.bulkPut([{ doc, rev: cur.rev }]);
				if (res.ok) return;
				if (!res.conflict) throw new Error(res.error);
			}
			throw new Error('Could not record seen units after 5 attempts');
		}
	};
}
export type ReportIntake = ReturnType<typeof createReportIntake>;
