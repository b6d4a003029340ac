import type { Report } from '$lib/domain/report';
import type { SyncCollection } from '$lib/domain/sync-protocol';
import type { Principal } from '$lib/domain/principal';
import type { Store, StoredDoc } from '../storage/storage';

/**
 * Who may read what, as scope keys: a report carries the keys of everyone who may read it, a
 * caller holds keys, and they may read it when one key matches. The same keys name the server's
 * per-scope indexes, so "what may I read" and "what do I pull" cannot drift apart.
 *   resident/volunteer: reports they wrote (`author:`), or linked to their verified phone (`person:`);
 *   handler: reports assigned to one of their units (`unit:`);
 *   leader/admin: the whole tenant (`tenant:`).
 * Personal data is structural: a contact, event or photo is visible exactly when its report is.
 * Public pages read the public projection (src/lib/domain/public.ts), never these documents.
 */
export type ReportScopeFields = Pick<Report, 'tenantId' | 'authorId' | 'assignedUnitIds' | 'personId'>;

export function reportScopeKeys(r: ReportScopeFields): string[] {
	const keys = [`tenant:${r.tenantId}`, `author:${r.tenantId}:${r.authorId}`];
	for (const u of r.assignedUnitIds ?? []) keys.push(`unit:${r.tenantId}:${u}`);
	if (r.personId) keys.push(`person:${r.tenantId}:${r.personId}`);
	return keys;
}

export function principalScopeKeys(p: Principal): string[] {
	switch (p.role) {
		case 'leader':
		case 'admin':
			return [`tenant:${p.tenantId}`];
		case 'handler':
			return p.unitIds.map((u) => `unit:${p.tenantId}:${u}`);
		default:
			return [`author:${p.tenantId}:${p.sub}`, ...(p.personId ? [`person:${p.tenantId}:${p.personId}`] : [])];
	}
}

export function canSeeReport(p: Principal, r: ReportScopeFields): boolean {
	if (r.tenantId !== p.tenantId) return false;
	const mine = principalScopeKeys(p);
	return reportScopeKeys(r).some((k) => mine.includes(k));
}

const isAuthorRole = (p: Principal) => p.role === 'resident' || p.role === 'volunteer';

/**
 * A document as the caller receives it (pull, live stream, push answer). A report's `personId` is
 * shown only to that person's own devices: to anyone else — the volunteer who filed for a villager,
 * a handler — it says nothing they need, and it would tell which phones are verified.
 */
export function asSeenBy<T extends StoredDoc>(p: Principal, collection: SyncCollection, d: T): T {
	if (collection !== 'reports' || !('personId' in d) || d.personId === undefined) return d;
	if (p.personId && d.personId === p.personId) return d;
	const { personId: _hidden, ...rest } = d as T & { personId?: unknown };
	return rest as T;
}

/** The reports that a batch of contacts, events or media hang off, by id (none for reports themselves). */
type Parents = Map<string, { doc: Report }>;

/** The visibility test of `prepare`, over parents already loaded. */
function visibleWith<T extends StoredDoc>(collection: SyncCollection, parents: Parents): (p: Principal, d: T) => boolean {
	if (collection === 'reports') return (p, d) => d.tenantId === p.tenantId && canSeeReport(p, d as unknown as Report);
	return (p, d) => {
		if (d.tenantId !== p.tenantId) return false;
		const r = parents.get(String(d.reportId))?.doc;
		if (r) return canSeeReport(p, r);
		// The reporter's own contact or photo is theirs even before its report has arrived
		// (collections replicate independently).
		return collection !== 'events' && isAuthorRole(p) && d.authorId === p.sub;
	};
}

export function createScope(reports: Store<Report>) {
	/** One read of the parent reports of a batch, shared by every test built on it. */
	const parentsOf = async (collection: SyncCollection, docs: StoredDoc[]): Promise<Parents> =>
		collection === 'reports' ? new Map() : reports.getMany(docs.map((d) => String(d.reportId)));

	const scope = {
		canSeeReport,

		/** Whether the caller may read the report (and its photos): used by the media service. */
		async canRead(p: Principal, reportId: string): Promise<boolean> {
			const r = await reports.get(reportId);
			return r !== null && canSeeReport(p, r);
		},

		/**
		 * A visibility test for a batch of documents of one collection: the reports that contacts,
		 * events and media hang off are loaded once, then the test runs per caller (the live stream
		 * checks one batch against every subscriber).
		 */
		async prepare<T extends StoredDoc>(collection: SyncCollection, docs: T[]): Promise<(p: Principal, d: T) => boolean> {
			return visibleWith<T>(collection, await parentsOf(collection, docs));
		},

		/**
		 * What each caller receives of a batch: the document when they may read it; for a handler of a
		 * unit the report was transferred away from, a deletion (the report, and its contact without the
		 * name and phone), so their device drops what they may no longer read; else nothing. Used by the
		 * feed-based pull and the live stream (a first sync never had the report).
		 */
		async prepareView<T extends StoredDoc>(collection: SyncCollection, docs: T[]): Promise<(p: Principal, d: T) => StoredDoc | null> {
			const parents = await parentsOf(collection, docs);
			const visible = visibleWith<T>(collection, parents);
			const lostBy = (p: Principal, r: Report | undefined) =>
				p.role === 'handler' && !!r && r.tenantId === p.tenantId && (r.formerUnitIds ?? []).some((u) => p.unitIds.includes(u));
			return (p, d) => {
				if (visible(p, d)) return asSeenBy(p, collection, d);
				if (collection === 'reports' && lostBy(p, d as unknown as Report)) return asSeenBy(p, collection, { ...d, _deleted: true });
				if (collection === 'contacts' && lostBy(p, parents.get(String(d.reportId))?.doc)) {
					const { id, reportId, tenantId, authorId } = d;
					return { id, reportId, tenantId, authorId, _deleted: true };
				}
				return null;
			};
		},

		/** The documents of one collection the caller may read, in their order. */
		async filter<T extends StoredDoc>(p: Principal, collection: SyncCollection, docs: T[]): Promise<T[]> {
			const visible = await scope.prepare(collection, docs);
			return docs.filter((d) => visible(p, d));
		}
	};
	return scope;
}
export type Scope = ReturnType<typeof createScope>;
