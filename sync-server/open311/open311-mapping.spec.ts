import { describe, expect, it } from 'vitest';
import type { PublicReport } from '$lib/domain/public';
import { buildDemoTenant } from '../seed/demo-tenant';
import { isoInOffset, toGeoRequest, toServiceDefinition } from './open311-mapping';
import { spanOf } from './open311.routes';

const tenant = await buildDemoTenant();

describe('GeoReport v2 mapping', () => {
	it('writes times in the tenant’s offset, never Z', () => {
		expect(isoInOffset('2026-12-05T02:30:00.123Z', '+07:00')).toBe('2026-12-05T09:30:00+07:00');
		expect(isoInOffset('2026-12-05T20:00:00Z', '+07:00')).toBe('2026-12-06T03:00:00+07:00');
	});

	it('a request from the public projection: closed with its result, units by name, the blurred place', () => {
		const r: PublicReport = {
			id: '0193a0b0-0000-7000-8000-000000000001',
			tenantId: 'lam-dong',
			trackingCode: 'LD-261205-ABCDE',
			categoryCode: 'environment',
			description: 'Rác',
			location: { source: 'gps', lat: 11.9625, lng: 108.4525, approxM: 100 },
			wardCode: '24778',
			photoIds: [],
			receivedAt: '2026-12-05T01:00:00.000Z',
			status: 'resolved',
			assignedUnitIds: ['ubnd-lam-vien'],
			seenByUnitIds: [],
			dueAt: '2026-12-08T10:00:00.000Z',
			updatedAt: '2026-12-06T03:00:00.000Z'
		};
		const events = [
			{ id: 'e1', reportId: r.id, type: 'progress' as const, actorRole: 'handler' as const, publicNote: 'Đang xử lý', at: '2026-12-05T02:00:00.000Z' },
			{ id: 'e2', reportId: r.id, type: 'resolved' as const, actorRole: 'handler' as const, publicNote: 'Đã dọn xong', at: '2026-12-06T03:00:00.000Z' }
		];
		const g = toGeoRequest(r, events, { tenant, utcOffset: '+07:00', locale: 'vi', origin: 'https://x.vn' });
		expect(g).toMatchObject({
			service_request_id: 'LD-261205-ABCDE',
			status: 'closed',
			status_notes: 'Đã dọn xong',
			agency_responsible: 'UBND phường Lâm Viên',
			requested_datetime: '2026-12-05T08:00:00+07:00',
			expected_datetime: '2026-12-08T17:00:00+07:00',
			lat: 11.9625,
			long: 108.4525,
			media_url: null,
			service_notice: null
		});
	});

	it('every service has the ward attribute listing the tenant’s communes', () => {
		const def = toServiceDefinition(tenant.categories[0], tenant, 'en');
		expect(def.attributes[0].values).toHaveLength(tenant.adminUnits.length);
		expect(def.attributes[0].values[0].name).toBe(tenant.adminUnits[0].nameEn);
	});

	it('a span of 90 days at most, the last 90 by default', () => {
		const now = new Date('2026-12-05T00:00:00Z');
		expect(spanOf(undefined, undefined, now)).toEqual({ from: '2026-09-06T00:00:00.000Z', to: '2026-12-05T00:00:00.000Z' });
		expect(spanOf('2026-11-01T00:00:00+07:00', '2026-11-30T00:00:00+07:00', now).from).toBe('2026-10-31T17:00:00.000Z');
		expect(() => spanOf('2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z', now)).toThrow(/90/);
		expect(() => spanOf('2026-12-01T00:00:00Z', '2026-11-01T00:00:00Z', now)).toThrow(/after/);
		expect(() => spanOf('soon', undefined, now)).toThrow(/ISO 8601/);
	});
});
