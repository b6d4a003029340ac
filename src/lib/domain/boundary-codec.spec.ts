import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBoundaries, encodeBoundaries, isCompactBoundaries } from './boundary-codec';
import type { BoundaryCollection, BoundaryFeature } from './geo';

const load = (id: string): BoundaryCollection =>
	JSON.parse(readFileSync(new URL(`../../../data/tenants/${id}/boundaries.geojson`, import.meta.url), 'utf8'));

const square = (x: number, y: number, s: number) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const feature = (code: string, geometry: BoundaryFeature['geometry'], id?: string): BoundaryFeature => ({
	type: 'Feature',
	...(id === undefined ? {} : { id }),
	properties: { code, name: `Ward ${code}` },
	geometry
});

describe('compact boundaries (shared arcs, integers at the data precision)', () => {
	for (const id of ['lam-dong', 'dak-lak']) {
		it(`gives back ${id}'s boundaries exactly, in a fraction of the GeoJSON's bytes`, () => {
			const geo = load(id);
			const compact = encodeBoundaries(geo);
			expect(compact.scale).toBe(1e5);
			// Through the wire: JSON text both ways, as the server sends it and the device reads it.
			const back = decodeBoundaries(JSON.parse(JSON.stringify(compact)));
			expect(back).toEqual(geo);
			expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(geo).length / 4);
		});
	}

	it('shares the border of two neighbours: stored once, walked both ways', () => {
		// Two unit squares side by side: the border x = 1 belongs to both.
		const geo: BoundaryCollection = {
			type: 'FeatureCollection',
			features: [
				feature('a', { type: 'Polygon', coordinates: [square(0, 0, 1)] }),
				feature('b', { type: 'Polygon', coordinates: [square(1, 0, 1)] })
			]
		};
		const compact = encodeBoundaries(geo);
		expect(decodeBoundaries(compact)).toEqual(geo);
		const points = compact.arcs.reduce((n, a) => n + a.length / 2, 0);
		// 8 ring points (without the closing ones); the shared border's 2 are stored once, plus arc ends.
		expect(points).toBeLessThan(12);
		expect(compact.features[1].polygons[0][0].slice(1).some((ref) => ref < 0)).toBe(true);
	});

	it('keeps holes, multipolygons, feature ids, other properties, a ring enclosed by another, and an unclosed ring', () => {
		const geo: BoundaryCollection = {
			type: 'FeatureCollection',
			features: [
				{ ...feature('outer', { type: 'Polygon', coordinates: [square(0, 0, 4), square(1, 1, 1).reverse()] }, 'x1'), properties: { code: 'outer', name: 'O', nameEn: 'O', areaKm2: 12.5 } },
				// The hole of `outer` is this ward, its rings drawn from the same points.
				feature('inner', { type: 'Polygon', coordinates: [square(1, 1, 1)] }),
				feature('islands', { type: 'MultiPolygon', coordinates: [[square(10.12345, 10, 0.5)], [square(-20, -5.5, 0.25)]] }),
				feature('open', { type: 'Polygon', coordinates: [[[5, 5], [6, 5], [6, 6]]] })
			]
		};
		expect(decodeBoundaries(JSON.parse(JSON.stringify(encodeBoundaries(geo))))).toEqual(geo);
	});

	it('picks the precision the data has: finer data is kept exactly too', () => {
		const fine: BoundaryCollection = {
			type: 'FeatureCollection',
			features: [feature('f', { type: 'Polygon', coordinates: [[[108.1234567, 11.9876543], [108.2, 11.9], [108.15, 12.0000001], [108.1234567, 11.9876543]]] })]
		};
		const compact = encodeBoundaries(fine);
		expect(compact.scale).toBe(1e7);
		expect(decodeBoundaries(compact)).toEqual(fine);
	});

	it('rounds coordinates finer than 1e-9° (0.1 mm) to that, and no further', () => {
		const ring = [[108.123456789012, 11.5], [108.2, 11.5], [108.2, 11.6], [108.123456789012, 11.5]];
		const compact = encodeBoundaries({ type: 'FeatureCollection', features: [feature('f', { type: 'Polygon', coordinates: [ring] })] });
		expect(compact.scale).toBe(1e9);
		const back = decodeBoundaries(compact).features[0].geometry.coordinates[0] as number[][];
		back.forEach((p, i) => {
			expect(Math.abs(p[0] - ring[i][0])).toBeLessThan(1e-9);
			expect(p[1]).toBe(ring[i][1]);
		});
	});

	it('tells its own format from GeoJSON and from anything else', () => {
		expect(isCompactBoundaries(encodeBoundaries(load('dak-lak')))).toBe(true);
		expect(isCompactBoundaries(load('dak-lak'))).toBe(false);
		expect(isCompactBoundaries(null)).toBe(false);
		expect(isCompactBoundaries({ format: 'cau-noi-boundaries', version: 99 })).toBe(false);
	});
});
