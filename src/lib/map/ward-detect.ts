import type { BoundaryFeature } from '../domain/geo';
import { resolveOrigin } from '../sync/api';
import type { WardCall, WardReply, WardRequest } from './ward-lookup';

/**
 * Which ward/commune a point lies in, offline, asked of the ward worker (ward.worker.ts): it holds
 * the province's boundaries (stored on the device, fetched compact when missing) so this page's
 * main thread never downloads, parses or keeps them. Where a worker cannot start (an old browser,
 * or no Worker at all), the same lookups run here instead: slower, but nothing is lost.
 */

export type WardProperties = BoundaryFeature['properties'];

type Ask = (origin: string, req: WardRequest) => Promise<unknown>;

let backend: Promise<Ask> | null = null;
let stopWorker: (() => void) | null = null;

/** The lookups on this thread: only when the worker cannot run them. */
async function onMainThread(): Promise<Ask> {
	const { createWardLookup } = await import('./ward-lookup');
	const lookup = createWardLookup();
	return (origin, req) => lookup.handle(origin, req);
}

function startWorker(): Promise<Ask> {
	if (typeof Worker === 'undefined') return onMainThread();
	return new Promise<Ask>((resolve) => {
		let worker: Worker;
		try {
			worker = new Worker(new URL('./ward.worker.ts', import.meta.url), { type: 'module', name: 'wards' });
		} catch {
			return resolve(onMainThread());
		}
		const pending = new Map<number, { call: WardCall; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
		let next = 1;
		let ready = false;
		const ask: Ask = (origin, req) =>
			new Promise((resolve, reject) => {
				const call = { id: next++, origin, req };
				pending.set(call.id, { call, resolve, reject });
				worker.postMessage(call);
			});
		worker.onmessage = ({ data }: MessageEvent<WardReply>) => {
			if ('ready' in data) {
				ready = true;
				return resolve(ask);
			}
			const p = pending.get(data.id);
			pending.delete(data.id);
			if (data.ok) p?.resolve(data.value);
			else p?.reject(new Error(data.error));
		};
		// The worker failed to load (module workers unsupported, script missing offline) or died:
		// from now on the lookups run here, the questions waiting included.
		worker.onerror = (e) => {
			e.preventDefault();
			worker.terminate();
			const fallback = onMainThread();
			if (!ready) return resolve(fallback);
			backend = fallback;
			for (const { call, resolve: done, reject } of pending.values()) void fallback.then((a) => a(call.origin, call.req)).then(done, reject);
			pending.clear();
		};
		stopWorker = () => worker.terminate();
	});
}

async function ask<T>(req: WardRequest, origin: string | undefined, unavailable: T): Promise<T> {
	backend ??= startWorker();
	try {
		return ((await (await backend)(resolveOrigin(origin), req)) as T) ?? unavailable;
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
	stopWorker?.();
	stopWorker = null;
	backend = null;
}
