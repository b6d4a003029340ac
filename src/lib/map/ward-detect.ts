import { wardDistances, wardLocator, wardMatcher, type BoundaryFeature } from '../domain/geo';
import { getBoundaries } from '../tenant/tenant.service';

/**
 * Which ward/commune a point lies in, offline: the tenant's boundaries come from the Dexie cache
 * (else /api/tenant/boundaries, then cached); the lookup is built once per page.
 */

export type WardProperties = BoundaryFeature['properties'];

interface Lookups {
	locate: (lat: number, lng: number) => WardProperties | null;
	matches: ReturnType<typeof wardMatcher>;
	distances: ReturnType<typeof wardDistances>;
}

let lookups: Promise<Lookups | null> | null = null;

function getLookups(origin?: string) {
	lookups ??= getBoundaries({ origin }).then((b) => {
		if (!b) {
			// Not cached and no network: try again on the next call instead of remembering the failure.
			lookups = null;
			return null;
		}
		return { locate: wardLocator(b), matches: wardMatcher(b), distances: wardDistances(b) };
	});
	return lookups;
}

/** The ward at (lat, lng), or null outside the province or when the boundaries are unavailable. */
export async function detectWard(lat: number, lng: number, opts: { origin?: string } = {}): Promise<WardProperties | null> {
	const l = await getLookups(opts.origin);
	return l ? l.locate(lat, lng) : null;
}

/**
 * Whether (lat, lng) agrees with the ward `code` (inside it or within the GPS tolerance of its
 * edge, as the server checks: domain/geo.ts `wardMatcher`); null when the boundaries are unavailable.
 */
export async function wardAgrees(code: string, lat: number, lng: number, opts: { origin?: string } = {}): Promise<boolean | null> {
	const l = await getLookups(opts.origin);
	return l ? l.matches(code, lat, lng) : null;
}

/** Metres from (lat, lng) to each ward (0 inside it), or null when the boundaries are unavailable. */
export async function distancesToWards(lat: number, lng: number, opts: { origin?: string } = {}): Promise<Map<string, number> | null> {
	const l = await getLookups(opts.origin);
	return l ? l.distances(lat, lng) : null;
}

/** Forget the built lookup (new boundaries were cached, or in tests). */
export function resetWardDetector(): void {
	lookups = null;
}
