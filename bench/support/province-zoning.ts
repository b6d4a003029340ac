import type { BoundaryCollection } from '../../src/lib/domain/geo';
import type { Parcel, ZoningZone } from '../../src/lib/domain/zoning';
import { placement } from '../../src/lib/domain/zoning-geo';

/**
 * A whole province's zoning, made up for the zoning look-up benchmark (bench/zoning-lookup.bench.ts):
 * no real province publishes its plans as data. Detailed plans (1/2000) cover the towns: each ward
 * (phường) is cut into blocks of `wardCellM` metres, each block a zone split into `parcelsPerBlock`
 * parcels; a rural commune (xã) has coarse land-use zones of `communeCellM`. Blocks are kept where
 * their centre lies in the ward. Runs in the benchmark's page (no Node API), the same for a seed.
 */
export interface ProvinceZoningOptions {
	wardCellM: number;
	communeCellM: number;
	parcelsPerBlock: number;
	seed: number;
}

const M_PER_DEG_LAT = 111_320;
const URBAN = ['ODT', 'TMD', 'DGD', 'DYT', 'SKC', 'DVH'];
const RURAL = ['ONT', 'LUA', 'CLN', 'RSX', 'RPH', 'NTS'];

function rng(seed: number) {
	let s = seed >>> 0;
	return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const rect = (w: number, s: number, e: number, n: number): ZoningZone['geometry'] => ({
	type: 'Polygon',
	coordinates: [
		[
			[w, s],
			[e, s],
			[e, n],
			[w, n],
			[w, s]
		]
	]
});

export function provinceZoning(boundaries: BoundaryCollection, urbanCodes: ReadonlySet<string>, o: ProvinceZoningOptions) {
	const random = rng(o.seed);
	const zones: ZoningZone[] = [];
	const parcels: Parcel[] = [];
	for (const f of boundaries.features) {
		const code = String(f.properties.code);
		const urban = urbanCodes.has(code);
		const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
		const pts = polys.flat(2);
		const [w, s, e, n] = [Math.min(...pts.map((p) => p[0])), Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[1]))];
		const dLat = (urban ? o.wardCellM : o.communeCellM) / M_PER_DEG_LAT;
		const dLng = dLat / Math.cos((((s + n) / 2) * Math.PI) / 180);
		let sheet = 1;
		for (let lat = s; lat < n; lat += dLat) {
			let number = 1;
			for (let lng = w; lng < e; lng += dLng) {
				if (placement(lng + dLng / 2, lat + dLat / 2, f.geometry) !== 'inside') continue;
				const uses = urban ? URBAN : RURAL;
				zones.push({
					id: `z-${code}-${zones.length}`,
					planId: 'bench-province',
					landUseCode: uses[Math.floor(random() * uses.length)],
					...(urban ? { maxFloors: 2 + Math.floor(random() * 8), densityPct: 40 + Math.floor(random() * 50) } : {}),
					onPlannedRoad: random() < 0.05,
					protectedArea: random() < 0.02,
					wardCodes: [code],
					geometry: rect(lng, lat, lng + dLng, lat + dLat)
				});
				if (!urban) continue;
				// The block's parcels: strips across it, numbered along the sheet (one sheet per row of blocks).
				const k = o.parcelsPerBlock;
				for (let i = 0; i < k; i++) {
					const pw = lng + (dLng * i) / k;
					parcels.push({
						wardCode: code,
						sheet,
						number: number++,
						areaM2: Math.round(((o.wardCellM * o.wardCellM) / k) * 10) / 10,
						geometry: rect(pw, lat, pw + dLng / k, lat + dLat)
					});
				}
			}
			sheet++;
		}
	}
	return { zones, parcels };
}
