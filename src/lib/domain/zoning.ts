/**
 * Zoning (quy hoạch): an approved plan, its zones (land-use code, floors, height, density, planned
 * road, protected area) and the land parcels (thửa đất, named by map sheet and parcel number: số tờ,
 * số thửa). Geometry is GeoJSON in WGS 84 ([lng, lat]); the rules are in zoning-geo.ts.
 */
import { z } from 'zod';
import { AdminCode, TenantId } from './common';
import { centroidOf, gridIndex, placement, polygonsOf, type AreaGeometry as AreaShape } from './zoning-geo';

const Lng = z.number().min(-180).max(180);
const Lat = z.number().min(-90).max(90);
const Position = z.tuple([Lng, Lat]);
/** A closed ring: at least 4 positions, the last equal to the first (GeoJSON, RFC 7946 §3.1.6). */
const LinearRing = z
	.array(Position)
	.min(4)
	.refine((r) => r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1], 'a ring must end where it starts');
/** The outer ring, then its holes. */
const PolygonRings = z.array(LinearRing).min(1);

export const AreaGeometry = z.discriminatedUnion('type', [
	z.strictObject({ type: z.literal('Polygon'), coordinates: PolygonRings }),
	z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(PolygonRings).min(1) })
]);

const IsoDate = z.iso.date();
const LandUseCode = z.string().regex(/^[A-Z]{3}$/, 'a land-use code such as ODT');

export const ZoningPlan = z.strictObject({
	id: z.string().regex(/^[a-z0-9-]{2,80}$/),
	tenantId: TenantId,
	nameVi: z.string().min(1),
	nameEn: z.string().min(1),
	/** The approving decision as people cite it: number and date, e.g. "Quyết định số 704/QĐ-TTg ngày 12/5/2014". */
	decision: z.string().min(1),
	approvedAt: IsoDate,
	/** The period the plan runs for (a new version keeps the old one readable by its period). */
	periodFrom: IsoDate,
	periodTo: IsoDate.optional(),
	version: z.number().int().min(1),
	/** Made-up data for trying the app: every screen that shows it must say so. */
	demo: z.boolean()
});
export type ZoningPlan = z.infer<typeof ZoningPlan>;

export const ZoningZone = z.strictObject({
	id: z.string().regex(/^[A-Za-z0-9._-]{1,80}$/),
	planId: z.string(),
	landUseCode: LandUseCode,
	maxFloors: z.number().int().min(0).max(200).optional(),
	maxHeightM: z.number().min(0).max(1000).optional(),
	/** Building density (mật độ xây dựng), % of the lot. */
	densityPct: z.number().min(0).max(100).optional(),
	onPlannedRoad: z.boolean(),
	protectedArea: z.boolean(),
	/** The wards the zone lies in, when the plan says; otherwise the server finds them from the boundaries. */
	wardCodes: z.array(AdminCode).optional(),
	geometry: AreaGeometry
});
export type ZoningZone = z.infer<typeof ZoningZone>;

export const Parcel = z.strictObject({
	wardCode: AdminCode,
	/** Số tờ bản đồ: the cadastral map sheet. */
	sheet: z.number().int().min(1),
	/** Số thửa: the parcel's number on its sheet. */
	number: z.number().int().min(1),
	areaM2: z.number().positive(),
	address: z.string().optional(),
	geometry: AreaGeometry
});
export type Parcel = z.infer<typeof Parcel>;

/** A tenant's plan file (data/tenants/<id>/zoning/*.json): the plan, its zones and the parcels it covers. */
export const ZoningPlanFile = z.strictObject({
	plan: ZoningPlan,
	zones: z.array(ZoningZone),
	parcels: z.array(Parcel)
});
export type ZoningPlanFile = z.infer<typeof ZoningPlanFile>;

export const LandUseName = z.strictObject({ code: LandUseCode, nameVi: z.string(), nameEn: z.string() });
export type LandUseName = z.infer<typeof LandUseName>;

/** GET /api/zoning/at: the zone at a point, its plan and land use, and the parcel there if one is known. */
export const ZoningAnswer = z.strictObject({
	zone: ZoningZone,
	plan: ZoningPlan,
	landUse: LandUseName,
	parcel: Parcel.optional()
});
export type ZoningAnswer = z.infer<typeof ZoningAnswer>;

/** GET /api/zoning/parcels: a parcel and the zone(s) it lies in. */
export const ParcelAnswer = z.strictObject({
	parcel: Parcel,
	zones: z.array(ZoningZone),
	plan: ZoningPlan,
	landUses: z.array(LandUseName)
});
export type ParcelAnswer = z.infer<typeof ParcelAnswer>;

/**
 * GET /api/zoning/parcels/search?ward=&q=: the parcels of a ward whose address matches what is typed
 * (domain/parcel-address.ts), best first, at most 10. No geometry: a short list to choose from, the
 * chosen one then looked up by sheet and number (ParcelAnswer).
 */
export const ParcelAddressHit = z.strictObject({
	wardCode: AdminCode,
	sheet: z.number().int().min(1),
	number: z.number().int().min(1),
	address: z.string(),
	areaM2: z.number().positive()
});
export type ParcelAddressHit = z.infer<typeof ParcelAddressHit>;
export const ParcelAddressList = z.strictObject({ parcels: z.array(ParcelAddressHit).max(10) });
export type ParcelAddressList = z.infer<typeof ParcelAddressList>;

/** A parcel as an address hit (its address is there: only parcels with one are indexed). */
export const addressHitOf = (p: Parcel): ParcelAddressHit => ({ wardCode: p.wardCode, sheet: p.sheet, number: p.number, address: p.address ?? '', areaM2: p.areaM2 });

/** GET /api/zoning/wards/:code: all of a ward, for use with no signal. */
export const ZoningWardPackage = z.strictObject({
	wardCode: AdminCode,
	plan: ZoningPlan,
	zones: z.array(ZoningZone),
	parcels: z.array(Parcel),
	landUses: z.array(LandUseName)
});
export type ZoningWardPackage = z.infer<typeof ZoningWardPackage>;

/**
 * GET /api/zoning/wards: the wards the current plan covers, with how many of its zones and parcels
 * lie there: the parcel search offers only wards with parcels, a download only wards with zoning.
 */
export const ZoningWardList = z.strictObject({
	planVersion: z.number().int().min(1),
	wards: z.array(z.strictObject({ code: AdminCode, zones: z.number().int().min(0), parcels: z.number().int().min(0) }))
});
export type ZoningWardList = z.infer<typeof ZoningWardList>;

/**
 * A sheet or parcel number as people type it, or null when it is none: "Tờ 12", "12", " 012 ",
 * "thửa số 7", "Tờ bản đồ số 3" → 12, 12, 12, 7, 3. Land papers print leading zeros; residents add the word.
 */
export function normaliseParcelNumber(input: string | number): number | null {
	if (typeof input === 'number') return Number.isInteger(input) && input >= 1 ? input : null;
	const text = input
		.normalize('NFC')
		.toLowerCase()
		.replace(/\b(tờ\s*bản\s*đồ|tờ|thửa\s*đất|thửa|số|sheet|parcel|no\.?)(?=\s|\d|$)/gu, ' ')
		.replace(/[#:.]/g, ' ')
		.trim();
	if (!/^\d{1,7}$/.test(text)) return null;
	const n = Number(text);
	return n >= 1 ? n : null;
}

/** The parcel of a ward by sheet and number (typed any of the ways normaliseParcelNumber reads), or null. */
export function findParcel(parcels: readonly Parcel[], sheet: string | number, number: string | number, wardCode: string): Parcel | null {
	const s = normaliseParcelNumber(sheet), n = normaliseParcelNumber(number);
	if (s === null || n === null) return null;
	return parcels.find((p) => p.wardCode === wardCode && p.sheet === s && p.number === n) ?? null;
}

/**
 * The zone at a point. Inside a zone beats on its edge; on a line between zones (or at a corner) the
 * first zone in the plan's order is the answer, the same one every time. Null: no zone there.
 */
export function zoneAt<Z extends { geometry: AreaShape }>(zones: readonly Z[], lat: number, lng: number): Z | null {
	let onEdge: Z | null = null;
	for (const z of zones) {
		const p = placement(lng, lat, z.geometry);
		if (p === 'inside') return z;
		if (p === 'edge' && !onEdge) onEdge = z;
	}
	return onEdge;
}

/** A built index: the same answers as zoneAt/parcelAt, without testing every shape. */
export function zoningIndex(zones: readonly ZoningZone[], parcels: readonly Parcel[]) {
	const zoneGrid = gridIndex(zones, (z) => z.geometry);
	const parcelGrid = gridIndex(parcels, (p) => p.geometry);
	return {
		zoneAt: (lat: number, lng: number) => zoneAt(zoneGrid.candidates(lng, lat), lat, lng),
		parcelAt: (lat: number, lng: number) => zoneAt(parcelGrid.candidates(lng, lat), lat, lng),
		/**
		 * The zones a parcel lies in: the one at its centre, and any holding one of its corners strictly
		 * inside (a lot may straddle a zone line; a corner merely touching a line does not count).
		 */
		zonesOf(parcel: Parcel): ZoningZone[] {
			const found = new Set<ZoningZone>();
			const [cx, cy] = centroidOf(parcel.geometry);
			const centre = zoneAt(zoneGrid.candidates(cx, cy), cy, cx);
			if (centre) found.add(centre);
			for (const [lng, lat] of polygonsOf(parcel.geometry).flatMap((rings) => rings[0].slice(0, -1)))
				for (const z of zoneGrid.candidates(lng, lat)) if (placement(lng, lat, z.geometry) === 'inside') found.add(z);
			return zones.filter((z) => found.has(z));
		}
	};
}
