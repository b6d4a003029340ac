import { describe, expect, it } from 'vitest';
import { checkJsonNesting, validateFeatureCollection, type ValidateOptions } from './geojson-validate';
import { hasSelfIntersection, polygonProblem } from './polygon-validity';

/** A province-sized box around Lâm Đồng (WGS 84) and a test land-use list; both stand in for tenant data. */
const BBOX: [number, number, number, number] = [107.2, 11.1, 108.8, 12.4];
const KNOWN = new Set(['ODT', 'ONT', 'DGT']);
const wgsOpts: ValidateOptions = { crs: { kind: 'wgs84' }, bbox: BBOX, isKnownLandUse: (c) => KNOWN.has(c) };
const vnOpts = (centralMeridianDeg: number): ValidateOptions => ({ ...wgsOpts, crs: { kind: 'vn2000', centralMeridianDeg } });

type P = [number, number];
/** Closed square ring, counter-clockwise, side s, lower-left corner (x, y). */
const square = (x: number, y: number, s: number): P[] => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const feature = (coordinates: unknown, properties: Record<string, unknown> = { landUseCode: 'ODT' }, extra: Record<string, unknown> = {}) => ({
	type: 'Feature',
	...extra,
	properties,
	geometry: { type: 'Polygon', coordinates }
});
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

// Đà Lạt centre ≈ 108.4419 E, 11.9404 N; in VN-2000 on 107°45′ ≈ E 575166, N 1320567.
const DL: P = [108.4419, 11.9404];
const DL_VN: P = [575166, 1320567];
const d = 0.001; // ~110 m

describe('zoning import validation — geometry', () => {
	it('accepts a valid square and returns it in WGS 84', () => {
		const r = validateFeatureCollection(fc(feature([square(DL[0], DL[1], d)], { landUseCode: 'ODT', maxFloors: 5 }, { id: 'z1' })), wgsOpts);
		expect(r.refused).toBeNull();
		expect(r.rejected).toEqual([]);
		expect(r.accepted).toHaveLength(1);
		expect(r.accepted[0].id).toBe('z1');
		expect(r.accepted[0].geometry).toEqual({ type: 'Polygon', coordinates: [square(DL[0], DL[1], d)] });
	});

	it('refuses a bow-tie (self-intersecting) polygon, naming it', () => {
		const [x, y] = DL;
		const bowTie: P[] = [[x, y], [x + d, y + d], [x + d, y], [x, y + d], [x, y]];
		const r = validateFeatureCollection(fc(feature([square(x, y, d)]), feature([bowTie], { landUseCode: 'ODT' }, { id: 'no' })), wgsOpts);
		expect(r.accepted).toHaveLength(1);
		expect(r.rejected).toEqual([{ index: 1, id: 'no', code: 'self-intersection', reason: expect.stringContaining('intersects itself') }]);
		expect(r.rejected[0].reason).toContain('tự cắt');
	});

	it('refuses a hole outside its shell, accepts a hole inside', () => {
		const [x, y] = DL;
		const inside = validateFeatureCollection(fc(feature([square(x, y, d), square(x + d / 4, y + d / 4, d / 4)])), wgsOpts);
		expect(inside.accepted).toHaveLength(1);
		const outside = validateFeatureCollection(fc(feature([square(x, y, d), square(x + 2 * d, y, d / 4)])), wgsOpts);
		expect(outside.accepted).toEqual([]);
		expect(outside.rejected[0]).toMatchObject({ index: 0, code: 'hole-outside-shell' });
		expect(outside.rejected[0].reason).toMatch(/lỗ thủng .* \/ a hole lies outside/);
	});

	it('refuses a hole crossing its shell, an open ring, a short ring and non-finite numbers', () => {
		const [x, y] = DL;
		const open = square(x, y, d).slice(0, 4);
		const r = validateFeatureCollection(
			fc(
				feature([square(x, y, d), square(x + d / 2, y + d / 2, d)]),
				feature([open]),
				feature([[[x, y], [x + d, y], [x, y]]]),
				feature([[[x, y], [x + d, y], ['1e3', y + d], [x, y]]]),
				{ type: 'Feature', properties: { landUseCode: 'ODT' }, geometry: { type: 'Point', coordinates: [x, y] } }
			),
			wgsOpts
		);
		expect(r.rejected.map((j) => j.code)).toEqual(['self-intersection', 'ring-not-closed', 'ring-too-short', 'coordinates-invalid', 'geometry-type']);
	});

	it('polygon checks: a touch at a vertex inside one ring and a spike are faults; a plain square and an L are not', () => {
		const figure8: P[] = [[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1], [0, 0]];
		expect(hasSelfIntersection([figure8])).toBe(true);
		const spike: P[] = [[0, 0], [2, 0], [2, 1], [3, 1], [2, 1], [2, 2], [0, 2], [0, 0]];
		expect(hasSelfIntersection([spike])).toBe(true);
		const ell: P[] = [[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]];
		expect(polygonProblem([ell])).toBeNull();
		// Repeated consecutive points are tolerated.
		expect(polygonProblem([[[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0]]])).toBeNull();
		// A hole inside another hole.
		expect(polygonProblem([square(0, 0, 10), square(1, 1, 6), square(2, 2, 2)])).toBe('hole-in-hole');
	});

	it('checks a plan-size ring (4 000 vertices) quickly', () => {
		const n = 4000;
		const ring: P[] = Array.from({ length: n }, (_, i) => {
			const t = (2 * Math.PI * i) / n;
			return [Math.cos(t) * (1 + 0.1 * Math.sin(7 * t)), Math.sin(t) * (1 + 0.1 * Math.sin(7 * t))];
		});
		ring.push(ring[0]);
		const t0 = performance.now();
		expect(polygonProblem([ring])).toBeNull();
		expect(performance.now() - t0).toBeLessThan(1000);
	});
});

describe('zoning import validation — coordinates and the province', () => {
	it('accepts a VN-2000 square on the right central meridian (107°45′) and converts it near Đà Lạt', () => {
		const r = validateFeatureCollection(fc(feature([square(DL_VN[0], DL_VN[1], 100)])), vnOpts(107.75));
		expect(r.rejected).toEqual([]);
		const [lng, lat] = r.accepted[0].geometry.coordinates[0][0] as P;
		expect(Math.abs(lng - DL[0])).toBeLessThan(0.001);
		expect(Math.abs(lat - DL[1])).toBeLessThan(0.001);
	});

	it('a Lâm Đồng feature read with meridian 105° lands outside the province, and says to check the meridian', () => {
		const r = validateFeatureCollection(fc(feature([square(DL_VN[0], DL_VN[1], 100)], { landUseCode: 'ODT' }, { id: 7 })), vnOpts(105));
		expect(r.accepted).toEqual([]);
		expect(r.rejected).toEqual([{ index: 0, id: 7, code: 'outside-province', reason: expect.stringContaining('ngoài phạm vi tỉnh') }]);
		expect(r.rejected[0].reason).toContain('outside the province (check the central meridian)');
	});

	it('VN-2000 metres uploaded as WGS 84, or easting and northing swapped, are outside the province', () => {
		const asWgs = validateFeatureCollection(fc(feature([square(DL_VN[0], DL_VN[1], 100)])), wgsOpts);
		expect(asWgs.rejected[0].code).toBe('outside-province');
		expect(asWgs.rejected[0].reason).toContain('check the coordinate system');
		const swapped = validateFeatureCollection(fc(feature([square(DL_VN[1], DL_VN[0], 100)])), vnOpts(107.75));
		expect(swapped.rejected[0].code).toBe('outside-province');
	});
});

describe('zoning import validation — attributes', () => {
	const at = (properties: Record<string, unknown>) => validateFeatureCollection(fc(feature([square(DL[0], DL[1], d)], properties)), wgsOpts);

	it('requires a known land-use code', () => {
		expect(at({}).rejected[0].code).toBe('land-use-missing');
		const unknown = at({ landUseCode: 'XYZ' }).rejected[0];
		expect(unknown.code).toBe('land-use-unknown');
		expect(unknown.reason).toContain('XYZ');
		expect(at({ landUseCode: 'DGT' }).accepted).toHaveLength(1);
	});

	it('maxFloors, maxHeightM and densityPct must be numbers in range when present', () => {
		expect(at({ landUseCode: 'ODT', maxFloors: '5' }).rejected[0]).toMatchObject({ code: 'attribute-invalid', reason: expect.stringContaining('maxFloors') });
		expect(at({ landUseCode: 'ODT', maxFloors: 2.5 }).rejected[0].code).toBe('attribute-invalid');
		expect(at({ landUseCode: 'ODT', densityPct: 140 }).rejected[0].reason).toContain('densityPct');
		expect(at({ landUseCode: 'ODT', maxHeightM: -1 }).rejected[0].code).toBe('attribute-invalid');
		expect(at({ landUseCode: 'ODT', maxFloors: 7, maxHeightM: 25.5, densityPct: 60, maxHeightNote: null }).accepted).toHaveLength(1);
	});

	it('extra required attributes and over-deep properties are refused per feature', () => {
		const r = validateFeatureCollection(fc(feature([square(DL[0], DL[1], d)])), { ...wgsOpts, requiredProperties: ['planId'] });
		expect(r.rejected[0]).toMatchObject({ code: 'attribute-missing', reason: expect.stringContaining('planId') });
		const deep = at({ landUseCode: 'ODT', a: { b: { c: { d: { e: { f: 1 } } } } } });
		expect(deep.rejected[0].code).toBe('properties-too-deep');
	});
});

describe('zoning import validation — the whole file', () => {
	it('refuses what is not a FeatureCollection, and an empty one', () => {
		expect(validateFeatureCollection({ type: 'Feature' }, wgsOpts).refused?.code).toBe('not-collection');
		expect(validateFeatureCollection(null, wgsOpts).refused?.code).toBe('not-collection');
		expect(validateFeatureCollection(fc(), wgsOpts).refused?.code).toBe('empty');
	});

	it('refuses an oversize file whole: too many features or too many vertices, nothing accepted', () => {
		const one = feature([square(DL[0], DL[1], d)]);
		const many = validateFeatureCollection(fc(...Array.from({ length: 20_001 }, () => one)), wgsOpts);
		expect(many.refused?.code).toBe('too-many-features');
		expect(many.refused?.reason).toMatch(/quá nhiều đối tượng.* \/ too many features/);
		expect(many.accepted).toEqual([]);
		const big: P[] = Array.from({ length: 2_000_001 }, (_, i) => [DL[0] + (i % 100) * 1e-6, DL[1]]);
		const heavy = validateFeatureCollection(fc(feature([big])), wgsOpts);
		expect(heavy.refused?.code).toBe('too-many-vertices');
		expect(heavy.accepted).toEqual([]);
	});

	it('checks raw nesting before parsing', () => {
		expect(checkJsonNesting('['.repeat(100_000))?.code).toBe('too-deep');
		expect(checkJsonNesting(JSON.stringify(fc(feature([square(0, 0, 1)], { landUseCode: 'ODT', note: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[' }))))).toBeNull();
	});
});

describe('zoning import validation — work bound', () => {
	it('a crafted comb that would make the intersection check quadratic is refused as too complex, not run for hours', () => {
		// Teeth of long horizontal segments: every segment overlaps every other in x.
		const teeth = 2000;
		const comb: P[] = [];
		for (let i = 0; i < teeth; i++) comb.push([0, i * 2], [100, i * 2], [100, i * 2 + 1], [0.5, i * 2 + 1]);
		comb.push([-1, teeth * 2], [-1, 0], [0, 0]);
		const t0 = performance.now();
		const tight = polygonProblem([comb], { comparisons: 1_000_000 });
		expect(tight).toBe('too-complex');
		expect(performance.now() - t0).toBeLessThan(1000);
		const r = validateFeatureCollection(fc(feature([comb])), { ...wgsOpts, bbox: [-10, -10, 200, 5000], limits: { maxComparisons: 1_000_000 } });
		expect(r.rejected[0]).toMatchObject({ code: 'too-complex', reason: expect.stringContaining('simplify') });
	});
});
