import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { wardLocator, wardMatcher, type BoundaryCollection } from '$lib/domain/geo';
import type { LandUse } from '$lib/domain/land-use';
import {
	addressHitOf,
	normaliseParcelNumber,
	zoningIndex,
	type LandUseName,
	type Parcel,
	type ParcelAddressList,
	type ParcelAnswer,
	type ZoningAnswer,
	type ZoningPlanFile,
	type ZoningWardList,
	type ZoningWardPackage,
	type ZoningZone
} from '$lib/domain/zoning';
import { centroidOf, polygonsOf } from '$lib/domain/zoning-geo';
import { parcelAddressIndex } from '$lib/domain/parcel-address';
import { landUseCodes } from './land-use-codes';

/** A ward's package, serialised, tagged and compressed once (a device downloads it whole for offline use). */
export interface WardBlob {
	json: Buffer;
	etag: string;
	encoded(): Promise<{ br: Buffer; gzip: Buffer }>;
}

const bytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

function blobOf(value: unknown): WardBlob {
	const json = Buffer.from(JSON.stringify(value));
	let done: Promise<{ br: Buffer; gzip: Buffer }> | null = null;
	return {
		json,
		etag: `"${createHash('sha256').update(bytes(json)).digest('base64url').slice(0, 27)}"`,
		encoded: () =>
			(done ??= Promise.all([
				promisify(brotliCompress)(bytes(json), { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } }),
				promisify(gzip)(bytes(json), { level: 9 })
			]).then(([br, gz]) => ({ br, gzip: gz })))
	};
}

const parcelKey = (ward: string, sheet: number, number: number) => `${ward}/${sheet}/${number}`;

/**
 * The tenant's zoning plan in memory: built once at start (and again when `use` is given a new
 * version), so a look-up is a grid cell's few shapes, never a scan of every zone.
 */
export function createZoningService(deps: { zoning: ZoningPlanFile | null; boundaries: BoundaryCollection }) {
	const codes = landUseCodes();
	const matches = wardMatcher(deps.boundaries);
	const locate = wardLocator(deps.boundaries);
	const landUse = (code: string): LandUseName => {
		const u: LandUse | undefined = codes.get(code);
		// The loader refuses unknown codes; a code missing here would be a changed CSV: answer the code itself.
		return { code, nameVi: u?.nameVi ?? code, nameEn: u?.nameEn ?? code };
	};
	const landUsesOf = (zones: readonly ZoningZone[]) => [...new Set(zones.map((z) => z.landUseCode))].sort().map(landUse);

	/** Whether a zone lies in a ward: as the plan says, or (no wardCodes) its centre or a corner inside the ward. */
	const inWard = (z: ZoningZone, ward: string) => {
		if (z.wardCodes) return z.wardCodes.includes(ward);
		const points = [centroidOf(z.geometry), ...polygonsOf(z.geometry).flatMap((rings) => rings[0])];
		return points.some(([lng, lat]) => matches(ward, lat, lng, 0) === true);
	};

	let state: ReturnType<typeof build> | null = null;
	function build(file: ZoningPlanFile) {
		return {
			file,
			index: zoningIndex(file.zones, file.parcels),
			parcels: new Map(file.parcels.map((p) => [parcelKey(p.wardCode, p.sheet, p.number), p])),
			wards: new Map<string, WardBlob | null>(),
			/** The parcels' addresses, folded and indexed on the first address search of this version. */
			addresses: null as ReturnType<typeof parcelAddressIndex<Parcel>> | null,
			list: null as ZoningWardList | null
		};
	}
	const use = (file: ZoningPlanFile | null) => void (state = file ? build(file) : null);
	use(deps.zoning);

	return {
		/** Replaces the plan served (a new version, checked as the loader checks a file). */
		use,
		plan: () => state?.file.plan ?? null,

		/** The zone at a point with its plan and land use, and the parcel there if one is known; null: no zone. */
		at(lat: number, lng: number): ZoningAnswer | null {
			if (!state) return null;
			const zone = state.index.zoneAt(lat, lng);
			if (!zone) return null;
			const parcel: Parcel | null = state.index.parcelAt(lat, lng);
			return { zone, plan: state.file.plan, landUse: landUse(zone.landUseCode), ...(parcel ? { parcel } : {}) };
		},

		/** A parcel by ward, sheet and number as typed ("Tờ 12", " 012 "), with the zone(s) it lies in; null: none. */
		parcel(ward: string, sheet: string, number: string): ParcelAnswer | null {
			const s = normaliseParcelNumber(sheet), n = normaliseParcelNumber(number);
			if (!state || s === null || n === null) return null;
			const parcel = state.parcels.get(parcelKey(ward, s, n));
			if (!parcel) return null;
			const zones = state.index.zonesOf(parcel);
			return { parcel, zones, plan: state.file.plan, landUses: landUsesOf(zones) };
		},

		/** The parcels of a ward whose address matches what was typed (domain/parcel-address.ts), best first, at most 10. */
		searchAddress(ward: string, query: string): ParcelAddressList {
			if (!state) return { parcels: [] };
			state.addresses ??= parcelAddressIndex(state.file.parcels);
			return { parcels: state.addresses.search(ward, query).map(addressHitOf) };
		},

		/**
		 * The wards the plan covers, with their zone and parcel counts (built once per version). A zone
		 * counts in the wards it names, or else in the ward of its centre: a cheap, stable answer for a list.
		 */
		wardList(): ZoningWardList | null {
			if (!state) return null;
			if (state.list) return state.list;
			const counts = new Map<string, { zones: number; parcels: number }>();
			const at = (code: string) => counts.get(code) ?? counts.set(code, { zones: 0, parcels: 0 }).get(code)!;
			for (const z of state.file.zones) {
				const [lng, lat] = centroidOf(z.geometry);
				const codes = z.wardCodes ?? [locate(lat, lng)?.code ?? ''];
				for (const code of codes) if (code) at(code).zones++;
			}
			for (const p of state.file.parcels) at(p.wardCode).parcels++;
			const wards = [...counts].map(([code, c]) => ({ code, ...c })).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
			return (state.list = { planVersion: state.file.plan.version, wards });
		},

		/** Everything of a ward (its zones, parcels, plan and land-use names), built on first request; null: nothing there. */
		ward(code: string): WardBlob | null {
			if (!state) return null;
			const cached = state.wards.get(code);
			if (cached !== undefined) return cached;
			const zones = state.file.zones.filter((z) => inWard(z, code));
			const parcels = state.file.parcels.filter((p) => p.wardCode === code);
			const pkg: ZoningWardPackage = { wardCode: code, plan: state.file.plan, zones, parcels, landUses: landUsesOf(zones) };
			const blob = zones.length || parcels.length ? blobOf(pkg) : null;
			// Only codes that exist are remembered (a scanner's made-up codes must not grow the map).
			if (blob || matches(code, 0, 0) !== null) state.wards.set(code, blob);
			return blob;
		}
	};
}
export type ZoningService = ReturnType<typeof createZoningService>;
