import { describe, expect, it } from 'vitest';
import { blurLocation } from './public';

const metres = (a: { lat: number; lng: number }, b: { lat: number; lng: number }) =>
	Math.hypot((a.lng - b.lng) * 111_320 * Math.cos((a.lat * Math.PI) / 180), (a.lat - b.lat) * 110_574);

describe('blurLocation: a public point snapped to a grid', () => {
	it('keeps the point within half a cell diagonal, drops the accuracy, says the size', () => {
		for (const [lat, lng] of [[11.961873, 108.452391], [12.6675, 108.0378], [-33.86, 151.2], [60.1, -0.5]]) {
			for (const size of [50, 100, 500]) {
				const b = blurLocation({ source: 'gps', lat, lng, accuracyM: 5 }, size);
				if (b.source === 'ward') throw new Error('lost the point');
				expect(b.approxM).toBe(size);
				expect(b.accuracyM).toBeUndefined();
				expect(metres(b, { lat, lng })).toBeLessThanOrEqual(size * 0.71 + 0.5);
			}
		}
	});

	it('is the same answer every time, and for every point of the cell', () => {
		const a = blurLocation({ source: 'exif', lat: 11.9612, lng: 108.4521 }, 100);
		expect(blurLocation({ source: 'exif', lat: 11.9612, lng: 108.4521 }, 100)).toEqual(a);
		expect(blurLocation({ source: 'exif', lat: 11.96121, lng: 108.45211 }, 100)).toEqual(a);
	});

	it('leaves a ward-only location and an unblurred category as they are', () => {
		expect(blurLocation({ source: 'ward' }, 100)).toEqual({ source: 'ward' });
		expect(blurLocation({ source: 'gps', lat: 1, lng: 2, accuracyM: 3 }, undefined)).toEqual({ source: 'gps', lat: 1, lng: 2, accuracyM: 3 });
	});
});
