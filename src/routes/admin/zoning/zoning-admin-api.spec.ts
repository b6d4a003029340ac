import { describe, expect, it } from 'vitest';
import { allOutside, importBody, readGeoJson, reasonParts, ZONING_IMPORT_MAX_BYTES } from './zoning-admin-api';

const file = (text: string, size = text.length) => ({ size, text: async () => text });
const meta = { nameVi: ' Quy hoạch ', nameEn: 'Plan', decision: 'QĐ 1', approvedAt: '2026-01-01', periodFrom: '2026-01-01', periodTo: '' };

describe('the admin zoning form before sending', () => {
	it('refuses a file over the server’s limit without reading it, and says what else is wrong', async () => {
		expect(await readGeoJson({ size: ZONING_IMPORT_MAX_BYTES + 1, text: () => Promise.reject(new Error('not read')) })).toEqual({ problem: 'too-big' });
		expect(await readGeoJson(file('{not json'))).toEqual({ problem: 'not-json' });
		expect(await readGeoJson(file('{"type":"Feature","geometry":null}'))).toEqual({ problem: 'not-geojson' });
		expect(await readGeoJson(file('{"type":"FeatureCollection","features":[]}'))).toEqual({ value: { type: 'FeatureCollection', features: [] } });
	});

	it('builds the body the server reads, without an empty end date, and refuses one over the limit', () => {
		const body = JSON.parse(importBody(meta, 'vn2000', { type: 'FeatureCollection', features: [] })!);
		expect(body.crs).toBe('vn2000');
		expect(body.plan).toEqual({ nameVi: 'Quy hoạch', nameEn: 'Plan', decision: 'QĐ 1', approvedAt: '2026-01-01', periodFrom: '2026-01-01' });
		expect(body.parcels).toBeUndefined();
		expect(importBody(meta, 'wgs84', 'x'.repeat(ZONING_IMPORT_MAX_BYTES))).toBeNull();
	});

	it('splits a reason into its Vietnamese and English words', () => {
		expect(reasonParts('mã loại đất không có trong danh mục: QQQ / unknown land-use code: QQQ')).toEqual({ vi: 'mã loại đất không có trong danh mục: QQQ', en: 'unknown land-use code: QQQ' });
		expect(reasonParts('phường/xã')).toEqual({ vi: 'phường/xã', en: 'phường/xã' });
	});

	it('tells a file wholly outside the province (a wrong meridian) from one with a few bad zones', () => {
		const out = { code: 'outside-province', collection: 'zones' as const, index: 0, reason: '' };
		expect(allOutside({ stored: false, accepted: { zones: 0, parcels: 0 }, rejected: [out, { ...out, index: 1 }] })).toBe(true);
		expect(allOutside({ stored: false, accepted: { zones: 1, parcels: 0 }, rejected: [out] })).toBe(false);
		expect(allOutside({ stored: false, accepted: { zones: 0, parcels: 0 }, rejected: [out, { ...out, code: 'land-use-unknown' }] })).toBe(false);
	});
});
