import { z } from 'zod';
import { wardLocator, wardMatcher, type BoundaryCollection } from '$lib/domain/geo';
import type { Parcel, ZoningZone } from '$lib/domain/zoning';
import { centroidOf, polygonsOf, type AreaGeometry } from '$lib/domain/zoning-geo';
import { validateFeatureCollection, type Refusal, type SourceCrs } from './geojson-validate';
import { landUseCodes } from './land-use-codes';
import { meridianFromDegMin } from './vn2000';

/** POST /api/zoning/plans: the plan's description, the CRS of its coordinates, its zones and parcels. */
export const ImportBody = z.strictObject({
	plan: z.strictObject({
		nameVi: z.string().min(1).max(300),
		nameEn: z.string().min(1).max(300),
		decision: z.string().min(1).max(500),
		approvedAt: z.iso.date(),
		periodFrom: z.iso.date(),
		periodTo: z.iso.date().optional()
	}),
	crs: z.enum(['wgs84', 'vn2000']),
	zones: z.unknown(),
	parcels: z.unknown().optional()
});
export type ImportBody = z.infer<typeof ImportBody>;

export interface ImportRejection {
	collection: 'zones' | 'parcels';
	index: number;
	id?: string | number;
	code: string;
	reason: string;
}

export type ImportOutcome =
	| { refused: Refusal & { collection: 'zones' | 'parcels' } }
	| { refused: null; zones: ZoningZone[]; parcels: Parcel[]; rejected: ImportRejection[] };

/** How far a parcel's centre may lie outside the ward it names (as zoning-check.ts allows the tenant's file). */
const PARCEL_WARD_TOLERANCE_M = 50;
const ZONE_ID = /^[A-Za-z0-9._-]{1,80}$/;
/** validateFeatureCollection insists on a land-use code; parcels have none, so they carry this one while checked. */
const PARCEL_MARK = '\u0000parcel';
const both = (vi: string, en: string) => `${vi} / ${en}`;

/** "107°45′", "108°", or a number of degrees → decimal degrees. */
export function centralMeridianOf(v: string | number): number {
	if (typeof v === 'number') return v;
	const m = /^(\d{2,3})°(?:(\d{1,2})′)?$/.exec(v);
	return m ? meridianFromDegMin(Number(m[1]), Number(m[2] ?? 0)) : NaN;
}

/** The extent of the province's boundaries: what an imported feature must lie within. */
export function boundariesBox(b: BoundaryCollection): [number, number, number, number] {
	const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const f of b.features)
		for (const poly of f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates)
			for (const [x, y] of poly[0] ?? []) {
				box[0] = Math.min(box[0], x);
				box[1] = Math.min(box[1], y);
				box[2] = Math.max(box[2], x);
				box[3] = Math.max(box[3], y);
			}
	return box;
}

/** Area on the ground (m²) of a small WGS 84 shape: planar at its latitude, plenty for a land parcel. */
export function areaM2(g: AreaGeometry): number {
	const [, lat0] = centroidOf(g);
	const kx = 111_320 * Math.cos((lat0 * Math.PI) / 180), ky = 110_574;
	const ring = (r: number[][]) => Math.abs(r.reduce((s, [x, y], i) => (i ? s + (r[i - 1][0] * kx * y * ky - x * kx * r[i - 1][1] * ky) : 0), 0)) / 2;
	return polygonsOf(g).reduce((s, rings) => s + ring(rings[0]) - rings.slice(1).reduce((h, r) => h + ring(r), 0), 0);
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const intOf = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : typeof v === 'string' && /^\d{1,7}$/.test(v.trim()) && Number(v) >= 1 ? Number(v) : null);

/**
 * Validates and converts a plan upload: each feature by validateFeatureCollection (geometry, province,
 * CRS, land-use code), then what only this tenant can say (parcel wards, duplicates). Pure: the caller
 * decides whether to store.
 */
export function readImport(body: ImportBody, ctx: { planId: string; centralMeridian: number | null; boundaries: BoundaryCollection; wards: Set<string> }): ImportOutcome {
	const crs: SourceCrs = body.crs === 'vn2000' ? { kind: 'vn2000', centralMeridianDeg: ctx.centralMeridian ?? NaN } : { kind: 'wgs84' };
	const bbox = boundariesBox(ctx.boundaries);
	const codes = landUseCodes();
	const zonesResult = validateFeatureCollection(body.zones, { crs, bbox, isKnownLandUse: (c) => codes.has(c) });
	if (zonesResult.refused) return { refused: { ...zonesResult.refused, collection: 'zones' } };
	const rejected: ImportRejection[] = zonesResult.rejected.map((r) => ({ collection: 'zones', ...r }));

	const zones: ZoningZone[] = [];
	const ids = new Set<string>();
	// Accepted features keep their input order; their index in the file is recovered by skipping rejected ones.
	const rejectedZoneIdx = new Set(zonesResult.rejected.map((r) => r.index));
	const zoneIndex = indexer(rejectedZoneIdx);
	for (const f of zonesResult.accepted) {
		const index = zoneIndex();
		const p = f.properties;
		const id = f.id !== undefined && ZONE_ID.test(String(f.id)) ? String(f.id) : `z${index + 1}`;
		if (ids.has(id)) {
			rejected.push({ collection: 'zones', index, id, code: 'duplicate-id', reason: both(`trùng mã vùng "${id}"`, `duplicate zone id "${id}"`) });
			continue;
		}
		ids.add(id);
		const wardCodes = Array.isArray(p.wardCodes) && p.wardCodes.length && p.wardCodes.every((w) => typeof w === 'string' && ctx.wards.has(w)) ? (p.wardCodes as string[]) : undefined;
		zones.push({
			id,
			planId: ctx.planId,
			landUseCode: p.landUseCode as string,
			...(num(p.maxFloors) !== undefined ? { maxFloors: num(p.maxFloors) } : {}),
			...(num(p.maxHeightM) !== undefined ? { maxHeightM: num(p.maxHeightM) } : {}),
			...(num(p.densityPct) !== undefined ? { densityPct: num(p.densityPct) } : {}),
			onPlannedRoad: p.onPlannedRoad === true,
			protectedArea: p.protectedArea === true,
			...(wardCodes ? { wardCodes } : {}),
			geometry: f.geometry as ZoningZone['geometry']
		});
	}

	const parcels: Parcel[] = [];
	if (body.parcels !== undefined) {
		const marked = markParcels(body.parcels);
		const pr = validateFeatureCollection(marked, { crs, bbox, isKnownLandUse: (c) => c === PARCEL_MARK, requiredProperties: ['sheet', 'number'] });
		if (pr.refused) return { refused: { ...pr.refused, collection: 'parcels' } };
		rejected.push(...pr.rejected.map((r) => ({ collection: 'parcels' as const, ...r })));
		const locate = wardLocator(ctx.boundaries);
		const matches = wardMatcher(ctx.boundaries);
		const names = new Set<string>();
		const parcelIndex = indexer(new Set(pr.rejected.map((r) => r.index)));
		for (const f of pr.accepted) {
			const index = parcelIndex();
			const bad = (code: string, vi: string, en: string) => rejected.push({ collection: 'parcels', index, ...(f.id !== undefined ? { id: f.id } : {}), code, reason: both(vi, en) });
			const p = f.properties, g = f.geometry as Parcel['geometry'];
			const sheet = intOf(p.sheet), number = intOf(p.number);
			if (sheet === null || number === null) {
				bad('attribute-invalid', 'số tờ và số thửa phải là số nguyên dương', 'sheet and number must be positive whole numbers');
				continue;
			}
			const [lng, lat] = centroidOf(g);
			let wardCode = typeof p.wardCode === 'string' ? p.wardCode : undefined;
			if (wardCode !== undefined) {
				if (!ctx.wards.has(wardCode)) {
					bad('ward-unknown', `không có phường/xã mã ${wardCode.slice(0, 12)}`, `no ward or commune has the code ${wardCode.slice(0, 12)}`);
					continue;
				}
				if (matches(wardCode, lat, lng, PARCEL_WARD_TOLERANCE_M) === false) {
					bad('ward-mismatch', `thửa đất không nằm trong phường/xã ${wardCode}`, `the parcel does not lie in ward ${wardCode}`);
					continue;
				}
			} else wardCode = locate(lat, lng)?.code;
			if (!wardCode) {
				bad('ward-unknown', 'không xác định được phường/xã của thửa đất (thêm wardCode)', 'the parcel’s ward cannot be found (add wardCode)');
				continue;
			}
			const name = `${wardCode}/${sheet}/${number}`;
			if (names.has(name)) {
				bad('duplicate-parcel', `trùng tờ ${sheet} thửa ${number}`, `duplicate sheet ${sheet} number ${number}`);
				continue;
			}
			names.add(name);
			const area = areaM2(g);
			parcels.push({ wardCode, sheet, number, areaM2: area > 0 ? Math.round(area * 10) / 10 : 0.1, ...(typeof p.address === 'string' && p.address ? { address: p.address.slice(0, 300) } : {}), geometry: g });
		}
	}
	rejected.sort((a, b) => (a.collection === b.collection ? a.index - b.index : a.collection === 'zones' ? -1 : 1));
	return { refused: null, zones, parcels, rejected };
}

/** Counts through a collection's indexes, skipping the rejected ones: the index of each accepted feature in turn. */
function indexer(skip: Set<number>) {
	let i = -1;
	return () => {
		do i++;
		while (skip.has(i));
		return i;
	};
}

/** Parcels with the land-use mark validateFeatureCollection needs (an own landUseCode, if any, is not theirs to have). */
function markParcels(input: unknown): unknown {
	if (typeof input !== 'object' || input === null || !Array.isArray((input as { features?: unknown }).features)) return input;
	const fc = input as { features: unknown[] };
	return {
		...fc,
		features: fc.features.map((f) =>
			typeof f === 'object' && f !== null && !Array.isArray(f)
				? { ...f, properties: { ...((f as { properties?: object }).properties ?? {}), landUseCode: PARCEL_MARK } }
				: f
		)
	};
}

