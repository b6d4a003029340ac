import { describe, expect, it } from 'vitest';
import { pointOf } from './ward-map';

describe('pointOf', () => {
	it('plots coordinates and not a ward picked from the list', () => {
		expect(pointOf({ source: 'gps', lat: 1, lng: 2 })).toEqual({ lat: 1, lng: 2 });
		expect(pointOf({ source: 'ward' })).toBeNull();
	});
});
