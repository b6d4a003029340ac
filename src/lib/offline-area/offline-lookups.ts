import { tileKey } from '../domain/offline-area-parts';
import type { parcelAddressIndex } from '../domain/parcel-address';
import type { LandUseName, Parcel, ParcelAddressList, ParcelAnswer, ZoningAnswer, ZoningWardPackage, zoningIndex } from '../domain/zoning';
import { areaDb } from './area-store';
import { OfflineAreaFailure } from './failure';

/**
 * What a downloaded commune answers with no signal (offline-area.service.ts stores it): base-map
 * tiles for the map, and the zoning look-ups with the same shapes as the online API (ZoningAnswer,
 * ParcelAnswer of domain/zoning.ts), so a page shows either the same way. domain/zoning.ts (with
 * zod) is loaded on the first look-up, not with this module.
 */

/** A stored base-map tile, or null: for the map's tile layer (map-view.ts storeFirstTileLayer). */
export async function storedTile(z: number, x: number, y: number): Promise<Blob | null> {
	try {
		return (await areaDb().tiles.get(tileKey({ z, x, y })))?.blob ?? null;
	} catch {
		return null;
	}
}

/** The stored zoning package of an area; null: none downloaded. Throws storage_evicted when its record outlived it. */
export async function storedZoning(code: string): Promise<ZoningWardPackage | null> {
	const d = areaDb();
	const [row, z] = await Promise.all([d.areas.get(code), d.zoning.get(code)]);
	if (z) return z.pkg;
	if (row?.stored.zoning) throw new OfflineAreaFailure('storage_evicted');
	return null;
}

type Indexed = {
	pkg: ZoningWardPackage;
	index: ReturnType<typeof zoningIndex>;
	/** Its parcels' addresses, indexed on the first address search (most visits never search by address). */
	addresses?: ReturnType<typeof parcelAddressIndex<Parcel>>;
};
/** The stored packages, indexed once (a tap must answer within a frame or two on a cheap phone). */
let zoningCache: { keys: string; packages: Indexed[] } | null = null;
/** A download or delete changed the stored packages (another tab's change of a ward's set is seen by its keys). */
export const forgetIndexedZoning = () => void (zoningCache = null);

async function indexedPackages(): Promise<Indexed[]> {
	const d = areaDb();
	const keys = (await d.zoning.toCollection().primaryKeys()).join(',');
	if (zoningCache?.keys !== keys) {
		const rows = await d.zoning.toArray();
		const { zoningIndex } = await import('../domain/zoning');
		zoningCache = { keys, packages: rows.map((r) => ({ pkg: r.pkg, index: zoningIndex(r.pkg.zones, r.pkg.parcels) })) };
	}
	return zoningCache.packages;
}

const nameOf = (landUses: readonly LandUseName[], code: string): LandUseName => landUses.find((u) => u.code === code) ?? { code, nameVi: code, nameEn: code };

/** The zoning at a point from the downloaded areas, as GET /api/zoning/at answers; null: no stored zone there. */
export async function storedZoningAt(lat: number, lng: number): Promise<ZoningAnswer | null> {
	for (const { pkg, index } of await indexedPackages()) {
		const zone = index.zoneAt(lat, lng);
		if (!zone) continue;
		const parcel = index.parcelAt(lat, lng);
		return { zone, plan: pkg.plan, landUse: nameOf(pkg.landUses, zone.landUseCode), ...(parcel ? { parcel } : {}) };
	}
	return null;
}

/** A parcel by ward, sheet and number as typed ("Tờ 12", " 012 ") from the downloaded areas; null: not there. */
export async function storedParcel(ward: string, sheet: string | number, number: string | number): Promise<ParcelAnswer | null> {
	const found = (await indexedPackages()).find((p) => p.pkg.wardCode === ward);
	if (!found) return null;
	const { findParcel } = await import('../domain/zoning');
	const parcel = findParcel(found.pkg.parcels, sheet, number, ward);
	if (!parcel) return null;
	const zones = found.index.zonesOf(parcel);
	const codes = [...new Set(zones.map((z) => z.landUseCode))].sort();
	return { parcel, zones, plan: found.pkg.plan, landUses: codes.map((c) => nameOf(found.pkg.landUses, c)) };
}

/**
 * The parcels of a downloaded ward whose address matches what was typed, as GET /api/zoning/parcels/
 * search answers; null: the ward is not downloaded here (then the server is asked).
 */
export async function storedAddressSearch(ward: string, query: string): Promise<ParcelAddressList | null> {
	const found = (await indexedPackages()).find((p) => p.pkg.wardCode === ward);
	if (!found) return null;
	const [{ parcelAddressIndex }, { addressHitOf }] = await Promise.all([import('../domain/parcel-address'), import('../domain/zoning')]);
	found.addresses ??= parcelAddressIndex(found.pkg.parcels);
	return { parcels: found.addresses.search(ward, query).map(addressHitOf) };
}
