import { decodeBoundaries, encodeBoundaries, isCompactBoundaries, type CompactBoundaries } from '../domain/boundary-codec';
import { wardDistances, wardLocator, wardMatcher, type BoundaryCollection, type BoundaryFeature } from '../domain/geo';
import { apiFetch } from '../sync/api';
import { localDb } from '../sync/local-db';
import type { WorkerCall } from '../pwa/worker-client';

/**
 * The ward lookups over the tenant's boundaries, as the ward worker (ward.worker.ts) runs them:
 * the province's shapes are fetched compact (domain/boundary-codec.ts), stored in the device's
 * database, decoded and searched here, so the page's main thread never holds or parses them. The
 * same code runs on the main thread only when the worker cannot start (ward-detect.ts).
 */

/** The `tenant` row of the compact boundaries. */
export const BOUNDARIES_KEY = 'wardBoundaries';
/** The row where earlier versions kept the whole GeoJSON (1.3 MB): turned into the compact form once. */
const LEGACY_KEY = 'boundaries';
/** As long as the server lets the boundaries be cached (sync-server/tenant/tenant.routes.ts): then asked again. */
const REFRESH_AFTER_MS = 7 * 86_400_000;

export type WardRequest =
	| { op: 'warm' }
	| { op: 'locate'; lat: number; lng: number }
	| { op: 'matches'; code: string; lat: number; lng: number }
	| { op: 'distances'; lat: number; lng: number }
	| { op: 'feature'; code: string };

/** A message to the ward worker (pwa/worker-client.ts). */
export type WardCall = WorkerCall<WardRequest>;
export type { WorkerReply as WardReply } from '../pwa/worker-client';

interface Lookups {
	locate: ReturnType<typeof wardLocator>;
	matches: ReturnType<typeof wardMatcher>;
	distances: ReturnType<typeof wardDistances>;
	byCode: Map<string, BoundaryFeature>;
}

async function fetchCompact(origin: string): Promise<CompactBoundaries | null> {
	try {
		const value = await apiFetch<unknown>(`${origin}/api/tenant/boundaries.compact`, { timeoutMs: 60_000 });
		if (!isCompactBoundaries(value)) return null;
		await localDb.tenant.put({ key: BOUNDARIES_KEY, value, fetchedAt: Date.now() });
		return value;
	} catch {
		return null;
	}
}

/**
 * The GeoJSON an earlier version stored, as the compact form (no network needed), and its row
 * removed. (The service worker's copy went with its cache: pwa/cache-names.ts TENANT_CACHE v2.)
 */
async function migrateLegacy(): Promise<{ value: CompactBoundaries; fetchedAt: number } | null> {
	const old = await localDb.tenant.get(LEGACY_KEY);
	if (!old) return null;
	const geo = old.value as BoundaryCollection | undefined;
	let value: CompactBoundaries | null = null;
	try {
		if (geo?.type === 'FeatureCollection' && Array.isArray(geo.features)) value = encodeBoundaries(geo);
	} catch {
		// Unreadable: fetched again like on a first visit.
	}
	await localDb.transaction('rw', localDb.tenant, async () => {
		if (value) await localDb.tenant.put({ key: BOUNDARIES_KEY, value, fetchedAt: old.fetchedAt });
		await localDb.tenant.delete(LEGACY_KEY);
	});
	return value ? { value, fetchedAt: old.fetchedAt } : null;
}

function build(compact: CompactBoundaries): Lookups {
	const collection = decodeBoundaries(compact);
	return {
		locate: wardLocator(collection),
		matches: wardMatcher(collection),
		distances: wardDistances(collection),
		byCode: new Map(collection.features.map((f) => [f.properties.code, f]))
	};
}

/** One worker's state: the boundaries loaded once, the lookups built on the first question. */
export function createWardLookup() {
	let data: Promise<CompactBoundaries | null> | null = null;
	let lookups: { from: CompactBoundaries; built: Lookups } | null = null;

	async function load(origin: string): Promise<CompactBoundaries | null> {
		const row = await localDb.tenant.get(BOUNDARIES_KEY).catch(() => undefined);
		const stored = row && isCompactBoundaries(row.value) ? { value: row.value, fetchedAt: row.fetchedAt } : await migrateLegacy().catch(() => null);
		if (!stored) return fetchCompact(origin);
		if (Date.now() - stored.fetchedAt > REFRESH_AFTER_MS)
			// Answer from the stored copy now; the next question gets the fresh one.
			void fetchCompact(origin).then((fresh) => fresh && (data = Promise.resolve(fresh)));
		return stored.value;
	}

	function boundaries(origin: string): Promise<CompactBoundaries | null> {
		data ??= load(origin).then((b) => {
			// Not stored and no network: ask again on the next question instead of remembering the failure.
			if (!b) data = null;
			return b;
		});
		return data;
	}

	async function built(origin: string): Promise<Lookups | null> {
		const b = await boundaries(origin);
		if (!b) return null;
		if (lookups?.from !== b) lookups = { from: b, built: build(b) };
		return lookups.built;
	}

	return {
		/** The answer to one request; null where the boundaries are not on the device and cannot be fetched. */
		async handle(origin: string, req: WardRequest): Promise<unknown> {
			if (req.op === 'warm') return !!(await boundaries(origin));
			const l = await built(origin);
			if (!l) return null;
			switch (req.op) {
				case 'locate':
					return l.locate(req.lat, req.lng);
				case 'matches':
					return l.matches(req.code, req.lat, req.lng);
				case 'distances':
					return l.distances(req.lat, req.lng);
				case 'feature':
					return l.byCode.get(req.code) ?? null;
			}
		}
	};
}
