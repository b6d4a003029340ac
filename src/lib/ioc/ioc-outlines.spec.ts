import { describe, expect, it } from 'vitest';
import type { BoundaryCollection } from '../domain/geo';
import { thinOutlines, thinRing } from './ioc-outlines';

describe("the communes' outlines for the map", () => {
	it('drops points closer than the tolerance, keeping the ring closed and at least four points', () => {
		const ring = [[108, 11], [108.0001, 11.0001], [108.01, 11], [108.0101, 11.0001], [108.01, 11.01], [108, 11.01], [108, 11]];
		expect(thinRing(ring, 0.002)).toEqual([[108, 11], [108.01, 11], [108.01, 11.01], [108, 11.01], [108, 11]]);
		const tiny = [[108, 11], [108.0001, 11], [108.0001, 11.0001], [108, 11]];
		expect(thinRing(tiny, 0.002)).toEqual(tiny);
	});

	it('keeps each commune’s code and names, and nothing else', () => {
		const collection: BoundaryCollection = {
			type: 'FeatureCollection',
			features: [{ type: 'Feature', properties: { code: '24781', name: 'Phường Lâm Viên', nameEn: 'Lam Vien Ward', areaKm2: 12 }, geometry: { type: 'Polygon', coordinates: [[[108, 11], [108.01, 11], [108.01, 11.01], [108, 11]]] } }]
		};
		const [f] = thinOutlines(collection);
		expect(f.properties).toEqual({ code: '24781', name: 'Phường Lâm Viên', nameEn: 'Lam Vien Ward' });
		expect(f.geometry.type).toBe('Polygon');
	});
});
