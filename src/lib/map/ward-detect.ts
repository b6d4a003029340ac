import { wardLocator, type BoundaryFeature } from '../domain/geo';
import { getBoundaries } from '../tenant/tenant.service';

/**
 * Which ward/commune a point lies in, offline: the tenant's boundaries come from the Dexie cache
 * (else /api/tenant/boundaries, then cached); the lookup is built once per page.
 */

export type WardProperties = BoundaryFeature['properties'];

let locator: Promise<((lat: number, lng: number) => WardProperties | null) | null> | null = null;

function getLocator(origin?: string) {
	locator ??= getBoundaries({ origin }).then((b) => {
		if (!b) {
			// Not cached and no network: try again on the next call instead of remembering the failure.
			locator = null;
			return null;
		}
		return wardLocator(b);
	});
	return locator;
}

/** The ward at (lat, lng), or null outside the province or when the boundaries are unavailable. */
export async function detectWard(lat: number, lng: number, opts: { origin?: string } = {}): Promise<WardProperties | null> {
	const locate = await getLocator(opts.origin);
	return locate ? locate(lat, lng) : null;
}

/** Forget the built lookup (new boundaries were cached, or in tests). */
export function resetWardDetector(): void {
	locator = null;
}
