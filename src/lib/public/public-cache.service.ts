import type { ErrorCode } from '../domain/errors';
import type { PublicReportDetail, PublicReportPage } from '../domain/public';
import type { Location } from '../domain/report';
import { ApiFailure, apiFetch, errorCodeOf, resolveOrigin } from '../sync/api';
import { localDb, type PublicAreaRow, type PublicReportRow } from '../sync/local-db';

/**
 * The device's copy of public reports, for the public pages and the duplicate check offline:
 * - a ward's reports are fetched page by page from the cursor kept in `publicAreas`, so a refresh
 *   brings only what changed since the last one (a whole ward once, then a few rows);
 * - the last version of each report detail the person opened (or follows: src/lib/my/follows.ts)
 *   is kept in `settings` (`public.detail:<id>`), the most recent MAX_DETAILS of them.
 * Responses are not parsed with zod here (the server validated them): this module is loaded by the
 * report form's duplicate check, whose JavaScript must stay small.
 */

const PAGE_LIMIT = 200;
/** A refresh stops after this many pages; the next one continues from the cursor. */
const MAX_PAGES_PER_REFRESH = 50;
const LAST_WARD_KEY = 'public.lastWard';
const DETAIL_PREFIX = 'public.detail:';
const MAX_DETAILS = 100;

export interface CachedDetail {
	detail: PublicReportDetail;
	/** ms since epoch: when this copy was fetched. */
	fetchedAt: number;
}

export const publicMediaUrl = (id: string, thumb = false, origin?: string) =>
	`${resolveOrigin(origin)}/api/public/media/${encodeURIComponent(id)}${thumb ? '?size=thumb' : ''}`;

/** A report still waiting for handling: the ones a resident could follow instead of filing again. */
function isOpen(r: Pick<PublicReportRow, 'status'>): boolean {
	return r.status !== 'resolved' && r.status !== 'invalid' && r.status !== 'withdrawn';
}

/** When it happened, for ordering "newest first": the server's receipt, else its last change. */
export const reportTime = (r: Pick<PublicReportRow, 'receivedAt' | 'updatedAt'>) => r.receivedAt ?? r.updatedAt ?? '';

const refreshing = new Map<string, Promise<number>>();

/**
 * Brings the ward's cached reports up to date from the server; resolves with how many reports came
 * (new or changed). Concurrent calls for one ward share one refresh. Progress is saved page by page,
 * so a refresh cut by the network continues where it stopped.
 */
export function refreshWard(wardCode: string, opts: { origin?: string; signal?: AbortSignal } = {}): Promise<number> {
	let running = refreshing.get(wardCode);
	if (!running) {
		running = fetchWard(wardCode, opts).finally(() => refreshing.delete(wardCode));
		refreshing.set(wardCode, running);
	}
	return running;
}

async function fetchWard(wardCode: string, opts: { origin?: string; signal?: AbortSignal }): Promise<number> {
	const area = await localDb.publicAreas.get(wardCode);
	let since = area?.since ?? null;
	let received = 0;
	for (let i = 0; i < MAX_PAGES_PER_REFRESH; i++) {
		const q = new URLSearchParams({ ward: wardCode, limit: String(PAGE_LIMIT) });
		if (since) q.set('since', since);
		const page = await apiFetch<PublicReportPage>(`${resolveOrigin(opts.origin)}/api/public/reports?${q}`, {
			signal: opts.signal,
			timeoutMs: 30_000
		});
		const now = Date.now();
		since = page.next ?? since;
		const done = page.reports.length < PAGE_LIMIT;
		await localDb.transaction('rw', localDb.publicReports, localDb.publicAreas, async () => {
			if (page.reports.length) await localDb.publicReports.bulkPut(page.reports.map((r) => ({ ...r, cachedAt: now })));
			// "As of" moves only when the ward is complete: a half-done refresh still shows the older time.
			await localDb.publicAreas.put({ wardCode, since, syncedAt: done ? now : (area?.syncedAt ?? 0) });
		});
		received += page.reports.length;
		if (done) break;
	}
	return received;
}

export function getArea(wardCode: string): Promise<PublicAreaRow | undefined> {
	return localDb.publicAreas.get(wardCode);
}

/** The ward's cached public reports, newest first. */
export async function wardReports(wardCode: string): Promise<PublicReportRow[]> {
	const rows = await localDb.publicReports.where('wardCode').equals(wardCode).toArray();
	return rows.sort((a, b) => reportTime(b).localeCompare(reportTime(a)) || b.id.localeCompare(a.id));
}

export async function getLastWard(): Promise<string | undefined> {
	const row = await localDb.settings.get(LAST_WARD_KEY);
	return typeof row?.value === 'string' ? row.value : undefined;
}
export async function setLastWard(wardCode: string): Promise<void> {
	await localDb.settings.put({ key: LAST_WARD_KEY, value: wardCode });
}

/** The saved copy of a report's detail, else one made from its cached row (no timeline yet). */
export async function cachedDetail(id: string): Promise<CachedDetail | null> {
	const saved = await localDb.settings.get(DETAIL_PREFIX + id);
	if (saved) return saved.value as CachedDetail;
	const row = await localDb.publicReports.get(id);
	if (!row) return null;
	const { cachedAt, ...report } = row;
	return { detail: { report, events: [] }, fetchedAt: cachedAt };
}

export type DetailResult = { ok: true; cached: CachedDetail } | { ok: false; code: ErrorCode };

/** Fetches a report's public detail for a page: the failure comes back as its code. */
export async function fetchDetail(id: string, opts: { origin?: string } = {}): Promise<DetailResult> {
	try {
		return { ok: true, cached: await loadDetail(id, opts) };
	} catch (e) {
		return { ok: false, code: errorCodeOf(e) };
	}
}

/**
 * Fetches a report's public detail and keeps it for offline use; its list row is refreshed too. A
 * report the server no longer shows (404) is dropped from the device. Throws the failure
 * (ApiFailure): the followed reports' poll (src/lib/my/follows.ts) stops on a network one.
 */
export async function loadDetail(id: string, opts: { origin?: string } = {}): Promise<CachedDetail> {
	try {
		const detail = await apiFetch<PublicReportDetail>(`${resolveOrigin(opts.origin)}/api/public/reports/${encodeURIComponent(id)}`, {
			timeoutMs: 30_000
		});
		return await keepDetail(detail);
	} catch (e) {
		if (e instanceof ApiFailure && e.status === 404) {
			await localDb.transaction('rw', localDb.settings, localDb.publicReports, async () => {
				await localDb.settings.delete(DETAIL_PREFIX + id);
				await localDb.publicReports.delete(id);
			});
		}
		throw e;
	}
}

/** Keeps a fetched detail for offline use, with its list row. */
async function keepDetail(detail: PublicReportDetail): Promise<CachedDetail> {
	const cached: CachedDetail = { detail, fetchedAt: Date.now() };
	await localDb.transaction('rw', localDb.settings, localDb.publicReports, async () => {
		await localDb.settings.put({ key: DETAIL_PREFIX + detail.report.id, value: cached });
		await localDb.publicReports.put({ ...detail.report, cachedAt: cached.fetchedAt });
	});
	void pruneDetails();
	return cached;
}

/** The saved copy of the report holding a tracking code (canonical form), if this device has one. */
export async function cachedByCode(code: string): Promise<CachedDetail | null> {
	// No index on the code (a Dexie schema change for a look-up done by hand): a scan of the cached
	// rows, a few thousand at most, is a few milliseconds.
	const row = await localDb.publicReports.filter((r) => r.trackingCode === code).first();
	return row ? cachedDetail(row.id) : null;
}

/**
 * Fetches the public report holding a tracking code (canonical form) and keeps it like any opened
 * detail, so the code finds it offline next time. A code no public report holds (404) drops a copy
 * the device kept of it. The failure comes back as its code.
 */
export async function fetchByCode(code: string, opts: { origin?: string } = {}): Promise<DetailResult> {
	try {
		const detail = await apiFetch<PublicReportDetail>(`${resolveOrigin(opts.origin)}/api/public/codes/${encodeURIComponent(code)}`, {
			timeoutMs: 30_000
		});
		return { ok: true, cached: await keepDetail(detail) };
	} catch (e) {
		if (e instanceof ApiFailure && e.status === 404) {
			const stale = await localDb.publicReports.filter((r) => r.trackingCode === code).first();
			if (stale)
				await localDb.transaction('rw', localDb.settings, localDb.publicReports, async () => {
					await localDb.settings.delete(DETAIL_PREFIX + stale.id);
					await localDb.publicReports.delete(stale.id);
				});
		}
		return { ok: false, code: errorCodeOf(e) };
	}
}

/**
 * The page of a public report, by its tracking code when it has one (the link people share, print
 * and read aloud), else by id (a report not received yet has no code).
 */
export function publicReportHref(base: string, r: { id: string; trackingCode?: string }): string {
	return r.trackingCode ? `${base}?code=${encodeURIComponent(r.trackingCode)}` : `${base}?id=${encodeURIComponent(r.id)}`;
}

/** Keeps the MAX_DETAILS most recently fetched details: a cheap phone's storage is small. */
async function pruneDetails(): Promise<void> {
	const rows = await localDb.settings.where('key').startsWith(DETAIL_PREFIX).toArray();
	if (rows.length <= MAX_DETAILS) return;
	const oldest = rows
		.sort((a, b) => (a.value as CachedDetail).fetchedAt - (b.value as CachedDetail).fetchedAt)
		.slice(0, rows.length - MAX_DETAILS);
	await localDb.settings.bulkDelete(oldest.map((r) => r.key));
}

const EARTH_M = 6_371_000;
/** Great-circle distance in metres. */
export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
	const rad = Math.PI / 180;
	const dLat = (b.lat - a.lat) * rad;
	const dLng = (b.lng - a.lng) * rad;
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
	return 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

const coordsOf = (l: Location | undefined) => (l && l.source !== 'ward' ? { lat: l.lat, lng: l.lng } : null);

export interface NearbyQuery {
	categoryCode: string;
	wardCode?: string;
	location?: Location;
}
export type NearbyReport = PublicReportRow & { distanceM?: number };

const NEARBY_RADIUS_M = 300;
const NEARBY_MAX = 5;

/**
 * Open reports of the same category near what the resident is about to file, from the device's
 * cache (works offline): within NEARBY_RADIUS_M when both have coordinates (across ward borders),
 * else in the same ward. Newest first, at most NEARBY_MAX.
 */
export async function nearbyOpenReports(q: NearbyQuery): Promise<NearbyReport[]> {
	if (!q.categoryCode || (!q.wardCode && !coordsOf(q.location))) return [];
	const here = coordsOf(q.location);
	// Every cached ward when there are coordinates (a report 100 m away may lie across the border).
	const candidates = here
		? await localDb.publicReports.where('[categoryCode+wardCode]').between([q.categoryCode, ''], [q.categoryCode, '\uffff'], true, true).toArray()
		: await localDb.publicReports.where('[categoryCode+wardCode]').equals([q.categoryCode, q.wardCode!]).toArray();
	const out: NearbyReport[] = [];
	for (const r of candidates) {
		if (!isOpen(r)) continue;
		const there = coordsOf(r.location);
		if (here && there) {
			const d = distanceM(here, there);
			if (d <= NEARBY_RADIUS_M) out.push({ ...r, distanceM: Math.round(d) });
		} else if (q.wardCode && r.wardCode === q.wardCode) out.push(r);
	}
	return out.sort((a, b) => reportTime(b).localeCompare(reportTime(a))).slice(0, NEARBY_MAX);
}
