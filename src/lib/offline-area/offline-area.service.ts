import type { OfflineAreaManifest } from '../domain/offline-area';
import { manifestParts, tileKey, TILES_PER_REQUEST } from '../domain/offline-area-parts';
import type { ZoningWardPackage } from '../domain/zoning';
import { errorCodeOf, resolveOrigin } from '../sync/api';
import { anySignal, fetchManifest, fetchTile, fetchTiles, fetchZoning } from './area-fetch';
import { areaDb, type AreaRow } from './area-store';
import { OfflineAreaFailure } from './failure';
import { forgetIndexedZoning } from './offline-lookups';

// The look-ups with no signal, here too: one module for the pages to import.
export { storedAddressSearch, storedParcel, storedTile, storedZoning, storedZoningAt } from './offline-lookups';
export { OfflineAreaFailure } from './failure';

/**
 * A commune (ward) downloaded for use with no signal (issue 14, point 5): its manifest from the
 * server (`GET /api/offline-areas/:code`, domain/offline-area.ts), then each part — the zoning
 * package and the base-map tiles — stored as it arrives (area-store.ts). A part already stored with
 * the same hash is never fetched again: a cut download resumes where it stopped, and an update
 * fetches only what changed and drops what the new manifest no longer lists. An area counts as
 * complete only when every part of its manifest is stored.
 *
 * The look-ups (offline-lookups.ts, re-exported here) never touch the network.
 * zod (the manifest's check) and domain/zoning.ts (the look-ups, which imports zod) are loaded on
 * first use, not with this module: the zoning page's first paint must not wait for them.
 */

/** none: never downloaded; partial: a download started and did not finish; evicted: stored parts are gone. */
export type AreaState = 'none' | 'partial' | 'complete' | 'evicted';

export interface AreaSummary {
	code: string;
	nameVi: string;
	nameEn: string;
	state: Exclude<AreaState, 'none'>;
	/** What the manifest lists and what is stored, in bytes. */
	totalBytes: number;
	storedBytes: number;
	/** ms since epoch of the last finished download; null: never finished. */
	downloadedAt: number | null;
	/** The stored manifest: boundary and offices for the map with no signal. */
	manifest: OfflineAreaManifest;
}

export interface AreaPlan {
	manifest: OfflineAreaManifest;
	state: AreaState;
	/** The whole area, and what a download would fetch now (an update: changed and missing parts only). */
	totalBytes: number;
	toFetchBytes: number;
	toFetchParts: number;
}

export interface DownloadResult {
	manifest: OfflineAreaManifest;
	totalBytes: number;
	/** Fetched by this call (0: everything was already stored). */
	fetchedBytes: number;
	/** Whether the browser keeps the data under storage pressure; null: it cannot say (no StorageManager). */
	persisted: boolean | null;
}

export interface DownloadOptions {
	/** Called after each stored part: bytes stored of the area so far, and the area's total. */
	onProgress?: (doneBytes: number, totalBytes: number) => void;
	signal?: AbortSignal;
	/** Tests: the server's origin. */
	origin?: string;
	/**
	 * The manifest areaPlan just fetched (the size the resident agreed to): not asked again, a round
	 * trip saved on a weak link. Parts changed since are refused by their size and fetched next time.
	 */
	manifest?: OfflineAreaManifest;
}

/** Parallel requests: enough to fill a weak link's latency, few enough not to starve the page. */
const PARALLEL = 4;

const isQuota = (e: unknown): boolean => {
	const err = e as { name?: string; inner?: unknown } | null;
	return !!err && (err.name === 'QuotaExceededError' || (err.inner !== undefined && isQuota(err.inner)));
};

function failure(e: unknown): OfflineAreaFailure {
	if (e instanceof OfflineAreaFailure) return e;
	if (isQuota(e)) return new OfflineAreaFailure('storage_full', { cause: e });
	return new OfflineAreaFailure(errorCodeOf(e), { cause: e });
}

/**
 * The parts of an area really in the database, with the hash of what is there (the record may
 * outlive them: eviction; a tile shared with a neighbouring area may have been replaced by its update).
 */
async function presentParts(row: AreaRow): Promise<Map<string, string>> {
	const d = areaDb();
	const present = new Map<string, string>();
	const tileKeys = Object.keys(row.stored).filter((k) => k.startsWith('tile:'));
	const tiles = await d.tiles.bulkGet(tileKeys.map((k) => k.slice(5)));
	tiles.forEach((t, i) => {
		if (t && t.areas.includes(row.code)) present.set(tileKeys[i], t.hash);
	});
	if (row.stored.zoning) {
		const z = await d.zoning.get(row.code);
		if (z) present.set('zoning', z.hash);
	}
	return present;
}

const stateOf = (row: AreaRow, present: Map<string, string>): AreaSummary['state'] =>
	present.size < Object.keys(row.stored).length ? 'evicted' : row.complete ? 'complete' : 'partial';

const totalOf = (m: OfflineAreaManifest) => manifestParts(m).reduce((s, p) => s + p.bytes, 0);

/** What the area's state is on this device. */
export async function areaState(code: string): Promise<AreaState> {
	const row = await areaDb().areas.get(code);
	return row ? stateOf(row, await presentParts(row)) : 'none';
}

/** Every area with a record on this device, with its state (an evicted one says so: the UI offers to download it again). */
export async function listAreas(): Promise<AreaSummary[]> {
	const rows = await areaDb().areas.toArray();
	return Promise.all(
		rows.map(async (row) => ({
			code: row.code,
			nameVi: row.manifest.nameVi,
			nameEn: row.manifest.nameEn,
			state: stateOf(row, await presentParts(row)),
			totalBytes: totalOf(row.manifest),
			storedBytes: row.bytes,
			downloadedAt: row.downloadedAt,
			manifest: row.manifest
		}))
	);
}

/** The size first: the area's manifest, its total, and what a download would fetch now. Needs the network. */
export async function areaPlan(code: string, opts: { origin?: string; signal?: AbortSignal } = {}): Promise<AreaPlan> {
	const manifest = await fetchManifest(code, opts.origin, opts.signal);
	const row = await areaDb().areas.get(code);
	const present = row ? await presentParts(row) : new Map<string, string>();
	const missing = manifestParts(manifest).filter((p) => present.get(p.key) !== p.hash);
	return {
		manifest,
		state: row ? stateOf(row, present) : 'none',
		totalBytes: totalOf(manifest),
		toFetchBytes: missing.reduce((s, p) => s + p.bytes, 0),
		toFetchParts: missing.length
	};
}

/** Asks once per download that the browser keep our data under storage pressure. */
async function askPersist(): Promise<boolean | null> {
	const storage = globalThis.navigator?.storage;
	if (!storage?.persist) return null;
	try {
		return (await storage.persisted?.()) || (await storage.persist());
	} catch {
		return null;
	}
}

/** Takes the area's hold off a tile, and deletes the tile when no other area holds it. */
async function releaseTile(code: string, key: string) {
	const d = areaDb();
	const t = await d.tiles.get(key);
	if (!t) return;
	const areas = t.areas.filter((a) => a !== code);
	if (areas.length) await d.tiles.update(key, { areas });
	else await d.tiles.delete(key);
}

/** A fetched part waiting to be written. */
type Arrived = { key: string; hash: string; bytes: number } & ({ tileKey: string; blob: Blob } | { pkg: ZoningWardPackage });
/** At most this many parts a transaction (bench/offline-tiles.bench.ts: 16 a transaction wrote 307 tiles 4× faster than one each). */
const BATCH = 32;

/**
 * Stores arrived parts and records them in the area, in one transaction: each part is stored whole
 * or not at all, and the record never lists a part the database lacks.
 */
async function storeParts(code: string, parts: Arrived[]) {
	const d = areaDb();
	await d.transaction('rw', d.tiles, d.zoning, d.areas, async () => {
		const row = await d.areas.get(code);
		if (!row) throw new OfflineAreaFailure('storage_evicted');
		const had = await d.tiles.bulkGet(parts.map((p) => ('tileKey' in p ? p.tileKey : '')));
		for (let i = 0; i < parts.length; i++) {
			const p = parts[i];
			if ('tileKey' in p) await d.tiles.put({ key: p.tileKey, blob: p.blob, hash: p.hash, areas: [...new Set([...(had[i]?.areas ?? []), code])] });
			else await d.zoning.put({ code, hash: p.hash, pkg: p.pkg });
			row.stored[p.key] = p.hash;
			row.bytes += p.bytes;
		}
		await d.areas.put(row);
	});
}

/**
 * Writes parts as they arrive: while one transaction commits, the next parts gather, and go in the
 * next one together. `add` resolves once its part is stored.
 */
function groupWriter(code: string) {
	const waiting: { part: Arrived; ok: () => void; no: (e: unknown) => void }[] = [];
	let running = false;
	const flush = async () => {
		running = true;
		while (waiting.length) {
			const batch = waiting.splice(0, BATCH);
			try {
				await storeParts(code, batch.map((w) => w.part));
				batch.forEach((w) => w.ok());
			} catch (e) {
				batch.forEach((w) => w.no(e));
			}
		}
		running = false;
	};
	return {
		add: (part: Arrived) =>
			new Promise<void>((ok, no) => {
				waiting.push({ part, ok, no });
				if (!running) void flush();
			})
	};
}

/**
 * Downloads (or resumes, or updates) an area. Parts already stored with the same hash are kept,
 * parts the new manifest no longer lists are deleted, each fetched part is stored as it arrives.
 * Throws OfflineAreaFailure (storage_full keeps every part stored so far; network: try again, it
 * resumes); an aborted signal rejects with the AbortError and keeps what was stored. A call while
 * the area is already downloading joins that download (its own onProgress is not called). Abort a
 * download before deleting its area.
 */
export function downloadArea(code: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
	// One download per area at a time: a second call (another button, another tab's page) joins it.
	let running = downloads.get(code);
	if (!running) {
		running = download(code, opts).finally(() => downloads.delete(code));
		downloads.set(code, running);
	}
	return running;
}
const downloads = new Map<string, Promise<DownloadResult>>();

async function download(code: string, opts: DownloadOptions): Promise<DownloadResult> {
	const d = areaDb();
	const manifest = opts.manifest?.wardCode === code ? opts.manifest : await fetchManifest(code, opts.origin, opts.signal);
	const parts = manifestParts(manifest);
	const totalBytes = totalOf(manifest);
	const origin = resolveOrigin(opts.origin);

	let doneBytes = 0;
	let todo: typeof parts = [];
	try {
		await d.transaction('rw', d.areas, d.tiles, d.zoning, async () => {
			const old = await d.areas.get(code);
			const present = old ? await presentParts(old) : new Map<string, string>();
			const wanted = new Map(parts.map((p) => [p.key, p.hash]));
			const stored: Record<string, string> = {};
			// Drop what is gone from the device, changed or no longer listed; keep the rest.
			for (const key of Object.keys(old?.stored ?? {})) {
				const hash = present.get(key);
				if (hash && wanted.get(key) === hash) stored[key] = hash;
				else if (key === 'zoning') await d.zoning.delete(code);
				else await releaseTile(code, key.slice(5));
			}
			// A tile a neighbouring area already holds with this hash is shared, not fetched.
			const shared = await d.tiles.bulkGet(parts.map((p) => (p.tile && !stored[p.key] ? tileKey(p.tile) : '')));
			for (let i = 0; i < parts.length; i++) {
				const t = shared[i];
				if (t && t.hash === parts[i].hash) {
					await d.tiles.update(t.key, { areas: [...new Set([...t.areas, code])] });
					stored[parts[i].key] = parts[i].hash;
				}
			}
			doneBytes = parts.filter((p) => stored[p.key]).reduce((s, p) => s + p.bytes, 0);
			todo = parts.filter((p) => !stored[p.key]);
			await d.areas.put({ code, manifest, stored, bytes: doneBytes, downloadedAt: old?.downloadedAt ?? null, complete: todo.length === 0 });
		});
	} catch (e) {
		throw failure(e);
	}
	opts.onProgress?.(doneBytes, totalBytes);
	const persisted = await askPersist();

	// A failure stops new requests. A full disk stays full and an evicted area is gone: those also
	// cancel what is in flight. A lost request does not: the batches already coming (a ~50 KB answer
	// each) may still arrive whole and be kept for the resume, and a dead link fails them soon anyway.
	const stop = new AbortController();
	const signal = opts.signal ? anySignal(opts.signal, stop.signal) : stop.signal;
	let first: unknown = null;
	let fetchedBytes = 0;
	// One request per part, except tiles where the server batches them: a round trip each is what a weak link costs.
	const queue: (typeof todo)[] = [];
	const tiles = manifest.tilesUrl ? todo.filter((p) => p.tile) : [];
	for (let i = 0; i < tiles.length; i += TILES_PER_REQUEST) queue.push(tiles.slice(i, i + TILES_PER_REQUEST));
	for (const p of todo) if (!tiles.includes(p)) queue.push([p]);
	const writer = groupWriter(code);
	const writes: Promise<void>[] = [];
	const fail = (e: unknown) => {
		first ??= e;
		const code = failure(e).code;
		if (code === 'storage_full' || code === 'storage_evicted') stop.abort();
	};
	const stored = (p: (typeof todo)[number], part: Arrived) =>
		// Not awaited: the next fetch starts while this part is written.
		writes.push(
			writer.add(part).then(() => {
				doneBytes += p.bytes;
				fetchedBytes += p.bytes;
				opts.onProgress?.(doneBytes, totalBytes);
			}, fail)
		);
	const worker = async () => {
		while (queue.length && !first) {
			const job = queue.shift()!;
			try {
				if (job.length > 1 || (job[0].tile && manifest.tilesUrl)) {
					const blobs = await fetchTiles(origin + manifest.tilesUrl!, job.map((p) => p.tile!), signal);
					job.forEach((p, i) => stored(p, { key: p.key, hash: p.hash, bytes: p.bytes, tileKey: tileKey(p.tile!), blob: blobs[i] }));
				} else if (job[0].tile) {
					const [p] = job;
					const t = p.tile!;
					const url = origin + manifest.tileUrl!.replace('{z}', String(t.z)).replace('{x}', String(t.x)).replace('{y}', String(t.y));
					stored(p, { key: p.key, hash: p.hash, bytes: p.bytes, tileKey: tileKey(t), blob: await fetchTile(url, t, signal) });
				} else {
					const [p] = job;
					stored(p, { key: p.key, hash: p.hash, bytes: p.bytes, pkg: await fetchZoning(origin + manifest.zoning!.url, code, signal) });
				}
			} catch (e) {
				fail(e);
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
	await Promise.all(writes);
	if (first) {
		if (opts.signal?.aborted) throw opts.signal.reason ?? first;
		throw failure(first);
	}
	try {
		await d.areas.update(code, { complete: true, downloadedAt: Date.now() });
	} catch (e) {
		throw failure(e);
	}
	forgetIndexedZoning();
	return { manifest, totalBytes, fetchedBytes, persisted };
}

/** Deletes an area: its record, its zoning package, and its tiles no other area holds. */
export async function deleteArea(code: string): Promise<void> {
	const d = areaDb();
	await d.transaction('rw', d.areas, d.tiles, d.zoning, async () => {
		for (const key of await d.tiles.where('areas').equals(code).primaryKeys()) await releaseTile(code, key);
		await d.zoning.delete(code);
		await d.areas.delete(code);
	});
	forgetIndexedZoning();
}
