import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BoundaryCollection } from '$lib/domain/geo';
import type { ZoningPlanFile } from '$lib/domain/zoning';
import { validateFeatureCollection, type ValidateOptions } from './geojson-validate';
import { checkZoningFile } from './zoning-check';

const root = new URL('../../data/tenants/lam-dong/', import.meta.url);
const demo = () => JSON.parse(readFileSync(new URL('zoning/demo-plan.json', root), 'utf8')) as ZoningPlanFile;
const boundaries = JSON.parse(readFileSync(new URL('boundaries.geojson', root), 'utf8')) as BoundaryCollection;
const ctx = { tenantId: 'lam-dong', wards: new Set(boundaries.features.map((f) => f.properties.code)), boundaries };

describe('the tenant loader’s check of a zoning plan file', () => {
	it('accepts the demo plan', () => {
		const { file, problems } = checkZoningFile(demo(), ctx);
		expect(problems).toEqual([]);
		expect(file?.zones.length).toBeGreaterThan(0);
	});

	it('passes the import’s own validator: every zone and parcel a simple polygon (it could be imported again)', () => {
		const f = demo();
		const asFeatures = (items: { id?: string; landUseCode?: string; geometry: unknown }[]) => ({
			type: 'FeatureCollection',
			features: items.map((z) => ({ type: 'Feature', id: z.id, properties: { landUseCode: z.landUseCode ?? 'ODT' }, geometry: z.geometry }))
		});
		const opts: ValidateOptions = { crs: { kind: 'wgs84' }, bbox: [104, 10, 110, 14], isKnownLandUse: () => true };
		expect(validateFeatureCollection(asFeatures(f.zones), opts).rejected).toEqual([]);
		expect(validateFeatureCollection(asFeatures(f.parcels), opts).rejected).toEqual([]);
	});

	it('refuses an unknown land-use code, another tenant’s plan, a repeated parcel and a parcel outside its ward', () => {
		const f = demo();
		f.zones[0].landUseCode = 'XYZ';
		f.plan.tenantId = 'dak-lak';
		f.parcels[1] = { ...f.parcels[1], sheet: f.parcels[0].sheet, number: f.parcels[0].number };
		// Xuân Hương is another Đà Lạt ward: the parcel's shape is in Lâm Viên.
		f.parcels[2] = { ...f.parcels[2], wardCode: '24781' };
		const { file, problems } = checkZoningFile(f, ctx);
		expect(file).toBeNull();
		expect(problems).toEqual([
			expect.stringMatching(/^plan\.tenantId: /),
			expect.stringMatching(/^zones\.0\.landUseCode: unknown land-use code "XYZ"/),
			expect.stringMatching(/^parcels\.1: duplicate sheet/),
			expect.stringMatching(/^parcels\.2\.geometry: not in ward 24781/)
		]);
	});

	it('refuses a file that is not a plan, with the path of each problem', () => {
		const { file, problems } = checkZoningFile({ plan: {}, zones: [{}] }, ctx);
		expect(file).toBeNull();
		expect(problems.some((p) => p.startsWith('plan.'))).toBe(true);
		expect(problems.some((p) => p.startsWith('parcels'))).toBe(true);
	});
});
