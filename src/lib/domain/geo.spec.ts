import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wardMatcher, WARD_EDGE_TOLERANCE_M, type BoundaryCollection } from './geo';

const lamDong: BoundaryCollection = JSON.parse(
	readFileSync(new URL('../../../data/tenants/lam-dong/boundaries.geojson', import.meta.url), 'utf8')
);

/** A 0.01° square (about 1.1 km a side at the equator) with a 0.002° hole in the middle. */
const square: BoundaryCollection = {
	type: 'FeatureCollection',
	features: [
		{
			type: 'Feature',
			properties: { code: 'sq', name: 'Square' },
			geometry: {
				type: 'Polygon',
				coordinates: [
					[[0, 0], [0.01, 0], [0.01, 0.01], [0, 0.01], [0, 0]],
					[[0.004, 0.004], [0.006, 0.004], [0.006, 0.006], [0.004, 0.006], [0.004, 0.004]]
				]
			}
		}
	]
};

describe('wardMatcher: do coordinates agree with a ward?', () => {
	const inSquare = wardMatcher(square);

	it('inside the shape agrees; far outside does not', () => {
		expect(inSquare('sq', 0.002, 0.002)).toBe(true);
		expect(inSquare('sq', 0.5, 0.5)).toBe(false);
	});

	it('a fix just outside the edge agrees within the tolerance, and not beyond it', () => {
		const deg = (m: number) => m / 110_574;
		expect(inSquare('sq', deg(-150), 0.005)).toBe(true); // 150 m south of the edge
		expect(inSquare('sq', deg(-260), 0.005)).toBe(false); // 260 m south
		expect(inSquare('sq', deg(-260), 0.005, 300)).toBe(true);
		expect(WARD_EDGE_TOLERANCE_M).toBe(200);
	});

	it('a hole is not the ward, except near its edge', () => {
		// The hole is ~220 m across: its centre is ~110 m from its edge, inside the tolerance.
		expect(inSquare('sq', 0.005, 0.005)).toBe(true);
		expect(inSquare('sq', 0.005, 0.005, 50)).toBe(false);
	});

	it('a code with no shape cannot be judged', () => {
		expect(inSquare('nope', 0.002, 0.002)).toBeNull();
	});

	it('Lâm Đồng: Hà Nội coordinates do not agree with a Đà Lạt ward; the ward’s own centre does', () => {
		const matches = wardMatcher(lamDong);
		expect(matches('24778', 21.0285, 105.8542)).toBe(false); // Hoàn Kiếm, Hà Nội
		expect(matches('24778', 11.962, 108.452)).toBe(true); // in Lâm Viên - Đà Lạt
		expect(matches('24778', 11.9465, 108.4419)).toBe(false); // ~700 m into Xuân Hương
		expect(matches('24781', 11.9465, 108.4419)).toBe(true);
		expect(matches('22918', 11.962, 108.452)).toBe(false); // Mũi Né is ~150 km away
	});
});
