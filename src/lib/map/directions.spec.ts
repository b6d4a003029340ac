import { describe, expect, it } from 'vitest';
import { DEFAULT_DIRECTIONS_URL, directionsUrl, isDirectionsTemplate } from './directions';

const office = { lat: 11.9746, lng: 108.4663 };

describe('directionsUrl', () => {
	it("by default opens Google Maps' universal directions to the place", () => {
		expect(directionsUrl(office)).toBe('https://www.google.com/maps/dir/?api=1&destination=11.9746,108.4663');
		expect(directionsUrl(office, undefined)).toBe(directionsUrl(office, DEFAULT_DIRECTIONS_URL));
	});

	it("fills the tenant's own template, every placeholder", () => {
		const t = 'https://maps.example.vn/route?to={lat},{lng}&lat={lat}&lng={lng}';
		expect(directionsUrl(office, t)).toBe('https://maps.example.vn/route?to=11.9746,108.4663&lat=11.9746&lng=108.4663');
	});

	it('keeps six decimals at most, and a tiny or negative coordinate never as an exponent', () => {
		expect(directionsUrl({ lat: 11.97461234567, lng: 108.46631987654 })).toContain('destination=11.974612,108.46632');
		expect(directionsUrl({ lat: 0.0000001, lng: -0.5 })).toContain('destination=0,-0.5');
	});

	it('falls back to the default for a template that is not https or lacks a coordinate', () => {
		for (const bad of ['http://maps.example/?q={lat},{lng}', 'javascript:alert({lat},{lng})', 'https://maps.example/?q={lat}', '', 'https://{lat}{lng}:x'])
			expect(directionsUrl(office, bad), bad).toBe('https://www.google.com/maps/dir/?api=1&destination=11.9746,108.4663');
	});

	it('gives no link for a place that is not on Earth', () => {
		expect(directionsUrl({ lat: Number.NaN, lng: 108 })).toBeNull();
		expect(directionsUrl({ lat: 91, lng: 108 })).toBeNull();
		expect(directionsUrl({ lat: 12, lng: 181 })).toBeNull();
	});
});

describe('isDirectionsTemplate', () => {
	it('accepts an https template naming both coordinates', () => {
		expect(isDirectionsTemplate(DEFAULT_DIRECTIONS_URL)).toBe(true);
		expect(isDirectionsTemplate('HTTPS://maps.example/?q={lat},{lng}')).toBe(false);
		expect(isDirectionsTemplate(null)).toBe(false);
	});
});

describe("the tenant's map.directionsUrl", () => {
	it('is refused by the tenant schema unless https with both coordinates', async () => {
		const { MapConfig } = await import('../domain/tenant');
		const base = { tileUrl: '/api/tiles/{z}/{x}/{y}.png', attribution: 'demo', minZoom: 8, maxZoom: 16 };
		expect(MapConfig.safeParse(base).success).toBe(true);
		expect(MapConfig.safeParse({ ...base, directionsUrl: 'https://maps.example.vn/?to={lat},{lng}' }).success).toBe(true);
		expect(MapConfig.safeParse({ ...base, directionsUrl: 'http://maps.example.vn/?to={lat},{lng}' }).success).toBe(false);
		expect(MapConfig.safeParse({ ...base, directionsUrl: 'https://maps.example.vn/?to={lat}' }).success).toBe(false);
	});
});
