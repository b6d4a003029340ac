import type { BoundaryFeature } from '../domain/geo';
import { resolveOrigin } from '../sync/api';
import { workerBackend, type Ask } from '../pwa/worker-client';
import type { WardRequest } from './ward-lookup';

/**
 * Which ward/commune a point lies in, offline, asked of the ward worker (ward.worker.ts): it holds
 * the province's boundaries (stored on the device, fetched compact when missing) so this page's
 * main thread never downloads, parses or keeps them. Where a worker cannot start (an old browser,
 * or no Worker at all), the same lookups run here instead: slower, but nothing is lost.
 */

export type WardProperties = BoundaryFeature['properties'];

/** The lookups on this thread: only when the worker cannot run them. */
async function onMainThread(): Promise<Ask<WardRequest>> {
	const { createWardLookup } = await import('./ward-lookup');
	const lookup = createWardLookup();
	return (origin, req) => lookup.handle(origin, req);
}

const wards = workerBackend<WardRequest>(() => new Worker(new URL('./ward.worker.ts', import.meta.url), { type: 'module', name: 'wards' }), onMainThread);

async function ask<T>(req: WardRequest, origin: string | undefined, unavailable: T): Promise<T> {
	try {
		return ((await wards.ask(resolveOrigin(origin), req)) as T) ?? unavailable;
	} catch (e) {
		console.error('ward lookup', e);
		return unavailable;
	}
}

/**
 * Has the boundaries fetched and stored on the device (when they are not yet), without building
 * any lookup: after this the report form detects wards offline. Called when the page is idle.
 */
export function warmWardBoundaries(opts: { origin?: string } = {}): Promise<boolean> {
	return ask<boolean>({ op: 'warm' }, opts.origin, false);
}

/** The ward at (lat, lng), or null outside the province or when the boundaries are unavailable. */
export function detectWard(lat: number, lng: number, opts: { origin?: string } = {}): Promise<WardProperties | null> {
	return ask<WardProperties | null>({ op: 'locate', lat, lng }, opts.origin, null);
}

/**
 * Whether (lat, lng) agrees with the ward `code` (inside it or within the GPS tolerance of its
 * edge, as the server checks: domain/geo.ts `wardMatcher`); null when the boundaries are unavailable.
 */
export function wardAgrees(code: string, lat: number, lng: number, opts: { origin?: string } = {}): Promise<boolean | null> {
	return ask<boolean | null>({ op: 'matches', code, lat, lng }, opts.origin, null);
}

/** Metres from (lat, lng) to each ward (0 inside it), or null when the boundaries are unavailable. */
export function distancesToWards(lat: number, lng: number, opts: { origin?: string } = {}): Promise<Map<string, number> | null> {
	return ask<Map<string, number> | null>({ op: 'distances', lat, lng }, opts.origin, null);
}

/** One ward's outline (the public page draws it), or null when it has none or the boundaries are unavailable. */
export function wardFeature(code: string, opts: { origin?: string } = {}): Promise<BoundaryFeature | null> {
	return ask<BoundaryFeature | null>({ op: 'feature', code }, opts.origin, null);
}

/** Forget the worker and what it loaded (new boundaries were stored, or in tests). */
export function resetWardDetector(): void {
	wards.reset();
}
