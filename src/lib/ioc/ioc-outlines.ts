import { decodeBoundaries, isCompactBoundaries, type CompactBoundaries } from '../domain/boundary-codec';
import type { BoundaryCollection, BoundaryFeature } from '../domain/geo';
import { BOUNDARIES_KEY } from '../map/ward-lookup';
import { workerBackend, type Ask } from '../pwa/worker-client';
import { apiFetch, resolveOrigin } from '../sync/api';
import { localDb } from '../sync/local-db';

/**
 * The communes' outlines for the operations centre's map: the province's boundaries as the ward
 * worker keeps them on the device (compact, domain/boundary-codec.ts; fetched compact when missing),
 * decoded and thinned in a worker of their own (outline.worker.ts): 60,000 points become a few
 * thousand — a commune shaded at province zoom needs no 10 m detail — so neither the page's main
 * thread nor Leaflet handles the full shapes.
 */

/** About 200 m: finer than a pixel at the province's zoom (8–10). */
export const OUTLINE_TOLERANCE_DEG = 0.002;

type Ring = number[][];

/** Drops each point closer than `tol` (degrees, per axis) to the last kept one; a ring keeps its closing point and at least 4. */
export function thinRing(ring: Ring, tol = OUTLINE_TOLERANCE_DEG): Ring {
	if (ring.length <= 4) return ring;
	const out: Ring = [ring[0]];
	for (let i = 1; i < ring.length - 1; i++) {
		const last = out[out.length - 1];
		if (Math.abs(ring[i][0] - last[0]) >= tol || Math.abs(ring[i][1] - last[1]) >= tol) out.push(ring[i]);
	}
	out.push(ring[ring.length - 1]);
	return out.length >= 4 ? out : ring;
}

/** Each commune's outline, thinned, with its code and names only. */
export function thinOutlines(collection: BoundaryCollection, tol = OUTLINE_TOLERANCE_DEG): BoundaryFeature[] {
	return collection.features.map((f) => {
		const { code, name, nameEn } = f.properties;
		const geometry: BoundaryFeature['geometry'] =
			f.geometry.type === 'Polygon'
				? { type: 'Polygon', coordinates: f.geometry.coordinates.map((r) => thinRing(r, tol)) }
				: { type: 'MultiPolygon', coordinates: f.geometry.coordinates.map((p) => p.map((r) => thinRing(r, tol))) };
		return { type: 'Feature', properties: { code, name, ...(nameEn ? { nameEn } : {}) }, geometry };
	});
}

export type OutlineRequest = { op: 'outlines' };

/** What the worker runs: the stored compact boundaries (or fetched), decoded and thinned; null when there are none. */
export async function loadOutlines(origin: string): Promise<BoundaryFeature[] | null> {
	const row = await localDb.tenant.get(BOUNDARIES_KEY).catch(() => undefined);
	let compact: CompactBoundaries | null = row && isCompactBoundaries(row.value) ? row.value : null;
	if (!compact) {
		const fetched = await apiFetch<unknown>(`${origin}/api/tenant/boundaries.compact`, { timeoutMs: 60_000 }).catch(() => null);
		compact = isCompactBoundaries(fetched) ? fetched : null;
	}
	return compact ? thinOutlines(decodeBoundaries(compact)) : null;
}

async function onMainThread(): Promise<Ask<OutlineRequest>> {
	return (origin) => loadOutlines(origin);
}

const outlines = workerBackend<OutlineRequest>(() => new Worker(new URL('./outline.worker.ts', import.meta.url), { type: 'module', name: 'ioc-outlines' }), onMainThread);

/** The communes' thinned outlines (asked of the worker, once per page); null when they cannot be had. */
export async function communeOutlines(): Promise<BoundaryFeature[] | null> {
	try {
		return ((await outlines.ask(resolveOrigin(), { op: 'outlines' })) as BoundaryFeature[] | null) ?? null;
	} finally {
		// The worker's job is done: its memory goes with it.
		outlines.reset();
	}
}
