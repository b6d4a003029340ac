import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BoundaryCollection } from './geo';
import { parseLandUseCsv } from './land-use';
import { findParcel, normaliseParcelNumber, zoneAt, zoningIndex, ZoningPlanFile, type Parcel, type ZoningZone } from './zoning';
import { bboxOf, placement } from './zoning-geo';

type Pair = [number, number];
const square = (x0: number, y0: number, x1: number, y1: number): Pair[] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const zone = (id: string, rings: Pair[][], landUseCode = 'ODT'): ZoningZone => ({
	id,
	planId: 'p',
	landUseCode,
	onPlannedRoad: false,
	protectedArea: false,
	geometry: { type: 'Polygon', coordinates: rings }
});
const parcel = (sheet: number, number: number, wardCode = '24778', ring = square(0, 0, 1, 1)): Parcel => ({
	wardCode,
	sheet,
	number,
	areaM2: 100,
	geometry: { type: 'Polygon', coordinates: [ring] }
});

// A housing zone (0..10) with a park cut out of it (4..6), the park its own zone, and a road zone beside (10..12).
const housing = zone('housing', [square(0, 0, 10, 10), square(4, 4, 6, 6)]);
const park = zone('park', [square(4, 4, 6, 6)], 'DKV');
const road = zone('road', [square(10, 0, 12, 10)], 'DGT');

describe('point in zone', () => {
	it('a point in a hole is not in the zone with the hole, but in the zone that fills it', () => {
		expect(placement(5, 5, housing.geometry)).toBe('outside');
		expect(zoneAt([housing, park], 5, 5)?.id).toBe('park');
		expect(zoneAt([housing], 5, 5)).toBeNull();
	});

	it('a point on the rim of a hole or on the outer edge belongs to the zone (a tap on the line finds a zone)', () => {
		expect(placement(4, 5, housing.geometry)).toBe('edge');
		expect(placement(0, 3, housing.geometry)).toBe('edge');
		expect(placement(0, 0, housing.geometry)).toBe('edge');
		expect(zoneAt([housing], 5, 4)?.id).toBe('housing');
		expect(zoneAt([housing], 10, 10)?.id).toBe('housing');
	});

	it('on the line between two zones the answer is the first in plan order, every time; inside wins over an edge', () => {
		expect(zoneAt([housing, road], 5, 10)?.id).toBe('housing');
		expect(zoneAt([road, housing], 5, 10)?.id).toBe('road');
		// Inside the road and on no edge of the housing.
		expect(zoneAt([housing, road], 5, 11)?.id).toBe('road');
		// The park's edge is the hole's rim: a point inside the park beats the housing's edge.
		expect(zoneAt([housing, park], 5, 5.5)?.id).toBe('park');
	});

	it('outside every zone: none', () => {
		expect(zoneAt([housing, park, road], 5, 12.5)).toBeNull();
		expect(zoneAt([housing, park, road], -0.001, 5)).toBeNull();
	});

	it('a MultiPolygon zone answers for each of its parts', () => {
		const two: ZoningZone = { ...road, id: 'two', geometry: { type: 'MultiPolygon', coordinates: [[square(0, 0, 1, 1)], [square(5, 5, 6, 6)]] } };
		expect(zoneAt([two], 5.5, 5.5)?.id).toBe('two');
		expect(zoneAt([two], 3, 3)).toBeNull();
	});

	it('the index answers as the plain scan does', () => {
		const zones = [housing, park, road];
		const index = zoningIndex(zones, []);
		for (let x = -1; x <= 13; x += 0.5) for (let y = -1; y <= 11; y += 0.5) expect(index.zoneAt(y, x)?.id, `${x},${y}`).toBe(zoneAt(zones, y, x)?.id);
	});

	it('a parcel straddling a zone line lies in both zones; one touching a line with a corner only in one', () => {
		const index = zoningIndex([housing, road], []);
		expect(index.zonesOf(parcel(1, 1, '24778', square(9, 1, 11, 2))).map((z) => z.id)).toEqual(['housing', 'road']);
		expect(index.zonesOf(parcel(1, 2, '24778', square(8, 1, 10, 2))).map((z) => z.id)).toEqual(['housing']);
	});
});

describe('parcel search by sheet and number', () => {
	it('reads numbers the ways residents type them', () => {
		for (const typed of ['Tờ 12', '12', ' 012 ', 'tờ bản đồ số 12', 'Thửa số 12', 'số 12', 'TỜ 12', 12]) expect(normaliseParcelNumber(typed), String(typed)).toBe(12);
		for (const bad of ['', 'abc', '0', '-3', '12a', '1 2', 1.5, 0]) expect(normaliseParcelNumber(bad), String(bad)).toBeNull();
	});

	it('finds a parcel of the named ward only, however its numbers are typed', () => {
		const parcels = [parcel(12, 7), parcel(12, 8), parcel(12, 7, '24781')];
		expect(findParcel(parcels, 'Tờ 12', ' 007 ', '24778')).toBe(parcels[0]);
		expect(findParcel(parcels, '12', '7', '24781')).toBe(parcels[2]);
		expect(findParcel(parcels, '12', '9', '24778')).toBeNull();
		expect(findParcel(parcels, '13', '7', '24778')).toBeNull();
		expect(findParcel(parcels, 'twelve', '7', '24778')).toBeNull();
	});
});

describe('the demo plan (data/tenants/lam-dong/zoning/demo-plan.json)', () => {
	const root = new URL('../../../', import.meta.url);
	const text = readFileSync(new URL('data/tenants/lam-dong/zoning/demo-plan.json', root), 'utf8');
	const file = ZoningPlanFile.parse(JSON.parse(text));
	const boundaries = JSON.parse(readFileSync(new URL('data/tenants/lam-dong/boundaries.geojson', root), 'utf8')) as BoundaryCollection;
	const ward = boundaries.features.find((f) => f.properties.code === '24778')!;
	const codes = new Set(parseLandUseCsv(readFileSync(new URL('data/land-use-codes.csv', root), 'utf8')).map((u) => u.code));

	it('validates, says it is demo data, and stays small', () => {
		expect(file.plan.demo).toBe(true);
		expect(file.plan.nameVi).toContain('dữ liệu demo');
		expect(text.length).toBeLessThan(400 * 1024);
		expect(file.zones.length).toBeGreaterThanOrEqual(30);
		expect(file.parcels.length).toBeGreaterThanOrEqual(350);
		expect(new Set(file.parcels.map((p) => p.sheet))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
		for (const z of file.zones) expect(codes.has(z.landUseCode), z.landUseCode).toBe(true);
		expect(file.zones.some((z) => z.onPlannedRoad)).toBe(true);
		expect(file.zones.some((z) => z.protectedArea)).toBe(true);
	});

	it('every parcel lies in the ward, and sheet + number name one parcel', () => {
		for (const p of file.parcels) {
			expect(p.wardCode).toBe('24778');
			for (const [lng, lat] of p.geometry.type === 'Polygon' ? p.geometry.coordinates[0] : []) expect(placement(lng, lat, ward.geometry), `${p.sheet}/${p.number}`).not.toBe('outside');
		}
		expect(new Set(file.parcels.map((p) => `${p.sheet}/${p.number}`)).size).toBe(file.parcels.length);
	});

	it('the zones tile the ward: a point in the ward has a zone, a point outside has none', () => {
		const index = zoningIndex(file.zones, file.parcels);
		const [x0, y0, x1, y1] = bboxOf(ward.geometry);
		let inside = 0;
		for (let i = 1; i < 40; i++)
			for (let j = 1; j < 40; j++) {
				const lng = x0 + ((x1 - x0) * (i + 0.37)) / 40, lat = y0 + ((y1 - y0) * (j + 0.41)) / 40;
				const inWard = placement(lng, lat, ward.geometry) === 'inside';
				if (inWard) inside++;
				expect(index.zoneAt(lat, lng) !== null, `${lat},${lng}`).toBe(inWard);
			}
		expect(inside).toBeGreaterThan(500);
	});
});
