import type { ReportEvent } from '$lib/domain/event';
import type { Media } from '$lib/domain/media';
import type { Report } from '$lib/domain/report';
import type { Seq, Store, StoredDoc } from '../storage/storage';

/**
 * Who a photo id belongs to: one report (its own photos) or one handling step of it (`eventId`),
 * and the person who may upload it. Photo ids are made on the device and become known to anyone
 * who sees the report, before the photo itself arrives; without a claim, whoever uploaded first or
 * listed the id first got it (issue 8, defect 1). The claim is created create-only (`rev: null`),
 * so two requests, or two instances sharing a CouchDB, cannot both win; the same holder asking
 * again (a retried push or upload) finds its own claim.
 */
export interface PhotoClaim extends StoredDoc {
	/** The photo id. */
	id: string;
	reportId: string;
	/** Set when the photo belongs to a handling step (progress, result, a resident's answer). */
	eventId?: string;
	/** The report's author (a volunteer for an assisted filing) or the step's actor. */
	ownerId: string;
}

/** The id of the document that records the backfill of claims for documents stored before claims existed. */
const BACKFILL_MARKER = 'backfill-v1';

export type PhotoHolder = Omit<PhotoClaim, 'id' | '_deleted'>;

const sameHolder = (a: PhotoHolder, b: PhotoHolder): boolean =>
	a.reportId === b.reportId && (a.eventId ?? null) === (b.eventId ?? null) && a.ownerId === b.ownerId;

export interface PhotoClaimsDeps {
	claims: Store<PhotoClaim>;
	/** Stored photos: one uploaded before claims existed counts as held by what it was uploaded for. */
	media: Pick<Store<Media>, 'getMany'>;
}

export function createPhotoClaims(deps: PhotoClaimsDeps) {
	/**
	 * Claims each photo id for its holder, in one write. Answers, per wanted claim: `created`, `held`
	 * (already the holder's) or `taken`. A photo already stored for another holder is taken even
	 * without a claim (uploaded before claims existed).
	 */
	async function claim(wanted: (PhotoHolder & { id: string })[]): Promise<('created' | 'held' | 'taken')[]> {
		if (!wanted.length) return [];
		const stored = await deps.media.getMany(wanted.map((w) => w.id));
		const free = wanted.map((w) => {
			const m = stored.get(w.id)?.doc;
			return !m || sameHolder({ reportId: m.reportId, eventId: m.eventId, ownerId: m.authorId }, w);
		});
		const rows = wanted.filter((_, i) => free[i]).map(({ id, reportId, eventId, ownerId }) => ({
			doc: { id, reportId, ...(eventId ? { eventId } : {}), ownerId } as PhotoClaim,
			rev: null
		}));
		const results = await deps.claims.bulkPut(rows);
		const failed = results.find((r) => !r.ok && !r.conflict);
		if (failed && !failed.ok) throw new Error(`Could not claim photo ${failed.id}: ${failed.error}`);
		const taken = results.filter((r) => !r.ok).map((r) => r.id);
		const holders = await deps.claims.getMany(taken);
		const created = new Set(results.filter((r) => r.ok).map((r) => r.id));
		return wanted.map((w, i) => {
			if (!free[i]) return 'taken';
			if (created.has(w.id)) return 'created';
			const h = holders.get(w.id)?.doc;
			return h && sameHolder(h, w) ? 'held' : 'taken';
		});
	}

	/**
	 * Claims the photos of several documents (reports or steps), each all or nothing: a document with
	 * one photo held by someone else gets none (the ones it just claimed are released), and its id
	 * is in the answer, to be refused with `photo_taken`.
	 */
	async function claimAll(docs: { id: string; photoIds: string[]; holder: PhotoHolder }[]): Promise<Set<string>> {
		const wanted = docs.flatMap((d) => [...new Set(d.photoIds)].map((id) => ({ id, ...d.holder, doc: d.id })));
		// Two documents of one batch naming one photo: the first keeps it.
		const firstDoc = new Map<string, string>();
		for (const w of wanted) if (!firstDoc.has(w.id)) firstDoc.set(w.id, w.doc);
		const unique = wanted.filter((w) => firstDoc.get(w.id) === w.doc);
		const got = await claim(unique);
		const refused = new Set(wanted.filter((w) => firstDoc.get(w.id) !== w.doc).map((w) => w.doc));
		unique.forEach((w, i) => got[i] === 'taken' && refused.add(w.doc));
		// Release what a refused document claimed in this call (it will not be stored).
		const release = unique.filter((w, i) => got[i] === 'created' && refused.has(w.doc)).map((w) => w.id);
		if (release.length) await releaseClaims(release, unique);
		return refused;
	}

	async function releaseClaims(ids: string[], holders: (PhotoHolder & { id: string })[]): Promise<void> {
		const got = await deps.claims.getMany(ids);
		const rows = ids.flatMap((id) => {
			const cur = got.get(id);
			const mine = holders.find((h) => h.id === id);
			// Only a claim this call made for that holder; never someone else's.
			return cur && mine && sameHolder(cur.doc, mine) ? [{ doc: { ...cur.doc, _deleted: true }, rev: cur.rev }] : [];
		});
		if (rows.length) await deps.claims.bulkPut(rows);
	}

	/**
	 * Claims the photos of the reports and steps stored before claims existed, once per database (a
	 * marker document records it; safe on several instances: claims are create-only). Without it, a
	 * stored report whose photos had not arrived yet would have free photo ids, and anyone who saw the
	 * report could take them. The feed is read in order, so the earliest document listing an id gets it.
	 * Runs before the server listens: nothing can claim in between. Answers how many documents with
	 * photos it went through (0 once done).
	 */
	async function backfill(sources: { reports: Store<Report>; events: Store<ReportEvent> }): Promise<number> {
		if (await deps.claims.get(BACKFILL_MARKER)) return 0;
		let seen = 0;
		const readAll = async <T extends StoredDoc & { photoIds?: string[] }>(store: Store<T>, claimPage: (docs: T[]) => Promise<unknown>) => {
			let since: Seq | null = null;
			for (;;) {
				const page = await store.changes({ since, limit: 500, includeDocs: true });
				const docs = page.results.flatMap((c) => (!c.deleted && c.doc?.photoIds?.length ? [c.doc] : []));
				seen += docs.length;
				await claimPage(docs);
				if (!page.results.length || page.lastSeq === since) return;
				since = page.lastSeq;
			}
		};
		await readAll(sources.reports, claimForReports);
		await readAll(sources.events, claimForEvents);
		await deps.claims.bulkPut([{ doc: { id: BACKFILL_MARKER, reportId: '', ownerId: 'system' } as PhotoClaim, rev: null }]);
		return seen;
	}

	const claimForReports = (reports: Pick<Report, 'id' | 'authorId' | 'photoIds'>[]) =>
		claimAll(reports.map((r) => ({ id: r.id, photoIds: r.photoIds, holder: { reportId: r.id, ownerId: r.authorId } })));
	const claimForEvents = (events: Pick<ReportEvent, 'id' | 'reportId' | 'actorId' | 'photoIds'>[]) =>
		claimAll(
			events
				.filter((e) => e.photoIds?.length)
				.map((e) => ({ id: e.id, photoIds: e.photoIds ?? [], holder: { reportId: e.reportId, eventId: e.id, ownerId: e.actorId } }))
		);

	return {
		claim,
		backfill,
		/** New reports: their photos belong to the report and its author. Answers the ids of refused reports. */
		claimForReports,
		/** New steps: their photos belong to the step and its actor. Answers the ids of refused steps. */
		claimForEvents,
		get: (id: string) => deps.claims.get(id)
	};
}
export type PhotoClaims = ReturnType<typeof createPhotoClaims>;

/**
 * Whether a stored photo is what its report (or step) shows: the report (or the step) lists it,
 * the uploader is the report's author or assisting volunteer (or the step's actor), and its claim,
 * when there is one, names the same holder. Every read of a photo goes through this, so an image
 * uploaded under someone else's photo id is never shown as their evidence.
 */
export async function photoBelongs(
	media: Media,
	deps: {
		getReport(id: string): Promise<Report | null>;
		getEvent(id: string): Promise<ReportEvent | null>;
		getClaim(id: string): Promise<PhotoClaim | null>;
	}
): Promise<boolean> {
	const claim = await deps.getClaim(media.id);
	if (claim && !sameHolder(claim, { reportId: media.reportId, eventId: media.eventId, ownerId: media.authorId })) return false;
	if (media.eventId) {
		const e = await deps.getEvent(media.eventId);
		return !!e && !e._deleted && e.reportId === media.reportId && e.actorId === media.authorId && !!e.photoIds?.includes(media.id);
	}
	const r = await deps.getReport(media.reportId);
	return !!r && !r._deleted && r.photoIds.includes(media.id) && (r.authorId === media.authorId || r.assistedBy === media.authorId);
}
