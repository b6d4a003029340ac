import { describe, expect, it } from 'vitest';
import type { BoundaryFeature } from '$lib/domain/geo';
import { MAP_WIDTH, pointOf, projectWard } from './ward-map';

/** A ward 0.02° square around Đà Lạt, with a hole. */
const square: BoundaryFeature = {
	type: 'Feature',
	properties: { code: '1', name: 'Test' },
	geometry: {
		type: 'Polygon',
		coordinates: [
			[[108.44, 11.94], [108.46, 11.94], [108.46, 11.96], [108.44, 11.96], [108.44, 11.94]],
			[[108.449, 11.949], [108.451, 11.949], [108.451, 11.951], [108.449, 11.949]]
		]
	}
};

describe('projectWard', () => {
	it('fits the ward in the SVG box, north up, with one subpath per ring', () => {
		const map = projectWard(square);
		expect(map.width).toBe(MAP_WIDTH);
		expect(map.path.match(/M/g)).toHaveLength(2);
		const nw = map.project(11.96, 108.44);
		const se = map.project(11.94, 108.46);
		expect(nw.x).toBeLessThan(se.x);
		expect(nw.y).toBeLessThan(se.y);
		expect(map.inView(11.96, 108.44) && map.inView(11.94, 108.46) && map.inView(11.95, 108.45)).toBe(true);
		// Metres east and north are drawn alike: a square on the ground is square on screen.
		const ratio = (se.x - nw.x) / (se.y - nw.y);
		expect(ratio).toBeCloseTo(Math.cos((11.95 * Math.PI) / 180), 2);
	});

	it('keeps a marker just outside the border on the map, and leaves a far one off', () => {
		const map = projectWard(square, [{ lat: 11.961, lng: 108.45 }, { lat: 12.5, lng: 108.45 }]);
		expect(map.inView(11.961, 108.45)).toBe(true);
		expect(map.inView(12.5, 108.45)).toBe(false);
	});
});

describe('pointOf', () => {
	it('plots coordinates and not a ward picked from the list', () => {
		expect(pointOf({ source: 'gps', lat: 1, lng: 2 })).toEqual({ lat: 1, lng: 2 });
		expect(pointOf({ source: 'ward' })).toBeNull();
	});
});
