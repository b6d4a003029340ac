import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wardLocator, type BoundaryCollection, type BoundaryFeature } from '../domain/geo';
import { featureCentre, metresPerPixel, nudged, startView, tileUrlTemplate } from './map-view';

const boundaries: BoundaryCollection = JSON.parse(readFileSync(new URL('../../../data/tenants/lam-dong/boundaries.geojson', import.meta.url), 'utf8'));
const locate = wardLocator(boundaries);
const tenantView = { lat: 11.9404, lng: 108.4583, zoom: 13 };

describe('tileUrlTemplate', () => {
	it('puts the tenant\'s own tiles under the app\'s API root, a province under a path included', () => {
		expect(tileUrlTemplate('/api/tiles/{z}/{x}/{y}.png', 'https://caunoi.example/dak-lak')).toBe('https://caunoi.example/dak-lak/api/tiles/{z}/{x}/{y}.png');
		expect(tileUrlTemplate('/api/tiles/{z}/{x}/{y}.png', 'http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787/api/tiles/{z}/{x}/{y}.png');
	});
	it('leaves another server\'s template as it is', () => {
		const osm = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
		expect(tileUrlTemplate(osm, 'https://caunoi.example')).toBe(osm);
	});
});

describe('nudged', () => {
	it('moves the pin 40 screen pixels, so a press moves it about as far at any zoom on screen', () => {
		for (const zoom of [13, 16]) {
			const north = nudged(tenantView, 'north', zoom);
			const east = nudged(tenantView, 'east', zoom);
			const metres = metresPerPixel(tenantView.lat, zoom) * 40;
			expect((north.lat - tenantView.lat) * 111_320).toBeCloseTo(metres, 3);
			expect((east.lng - tenantView.lng) * 111_320 * Math.cos((tenantView.lat * Math.PI) / 180)).toBeCloseTo(metres, 3);
			expect(north.lng).toBe(tenantView.lng);
		}
		// Zoomed in three levels, a press moves eight times less far on the ground.
		const far = nudged(tenantView, 'south', 13).lat - tenantView.lat;
		const near = nudged(tenantView, 'south', 16).lat - tenantView.lat;
		expect(far / near).toBeCloseTo(8, 6);
		expect(nudged(tenantView, 'west', 13).lng).toBeLessThan(tenantView.lng);
	});
});

describe('featureCentre', () => {
	it('lies inside its own ward, for every ward of the demo province', () => {
		const outside = boundaries.features.filter((f) => {
			const c = featureCentre(f);
			return !c || locate(c.lat, c.lng)?.code !== f.properties.code;
		});
		expect(outside.map((f) => f.properties.name)).toEqual([]);
	});
	it('is inside a C-shaped ward whose bounding-box centre is not', () => {
		const c: BoundaryFeature = {
			type: 'Feature',
			properties: { code: 'c', name: 'C' },
			geometry: { type: 'Polygon', coordinates: [[[0, 0], [3, 0], [3, 1], [1, 1], [1, 2], [3, 2], [3, 3], [0, 3], [0, 0]]] }
		};
		const centre = featureCentre(c)!;
		const located = wardLocator({ type: 'FeatureCollection', features: [c] })(centre.lat, centre.lng);
		expect(located?.code).toBe('c');
		expect(centre.lng).toBeLessThan(1);
	});
});

describe('startView', () => {
	const range = { minZoom: 8, maxZoom: 16 };
	it('opens at the fix, else the ward, else the tenant centre, within the base map\'s zooms', () => {
		const fix = { lat: 11.95, lng: 108.44 };
		const ward = { lat: 11.97, lng: 108.47 };
		expect(startView({ fix, wardCentre: ward, tenant: tenantView, zoomRange: range })).toEqual({ ...fix, zoom: 16 });
		expect(startView({ fix: null, wardCentre: ward, tenant: tenantView, zoomRange: range })).toEqual({ ...ward, zoom: 15 });
		expect(startView({ tenant: tenantView, zoomRange: range })).toEqual(tenantView);
		expect(startView({ tenant: { ...tenantView, zoom: 5 }, zoomRange: range }).zoom).toBe(8);
	});
});
