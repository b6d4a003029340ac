import { describe, expect, it } from 'vitest';
import { Report, ReportInput } from './report';
import { uuidv7, Id } from './common';

const base = () => ({
	id: uuidv7(),
	tenantId: 'lam-dong',
	authorId: 'device:abc',
	categoryCode: 'environment',
	description: 'Rác đổ trộm bên đường',
	location: { source: 'gps', lat: 11.94, lng: 108.44, accuracyM: 12 },
	wardCode: '24778',
	wardCodeSet: '2025',
	photoIds: [],
	createdAt: new Date().toISOString()
});

describe('report schema', () => {
	it('accepts a complete report and defaults _deleted', () => {
		const r = ReportInput.parse(base());
		expect(r._deleted).toBe(false);
	});
	it('makes valid, time-ordered UUIDv7 ids', () => {
		const a = uuidv7(1000), b = uuidv7(2000);
		expect(Id.safeParse(a).success).toBe(true);
		expect(a[14]).toBe('7');
		expect(a < b).toBe(true);
	});
	it('refuses a report without category', () => {
		const r = ReportInput.safeParse({ ...base(), categoryCode: '' });
		expect(r.success).toBe(false);
		expect(r.error?.issues[0].path).toEqual(['categoryCode']);
	});
	it('refuses a report without location', () => {
		const { location: _, ...rest } = base();
		expect(ReportInput.safeParse(rest).success).toBe(false);
	});
	it('accepts a ward-only location', () => {
		expect(ReportInput.safeParse({ ...base(), location: { source: 'ward' } }).success).toBe(true);
	});
	it('refuses fields the schema does not know', () => {
		const r = ReportInput.safeParse({ ...base(), extra: 1 });
		expect(r.success).toBe(false);
		expect(r.error?.issues[0].code).toBe('unrecognized_keys');
	});
	it('refuses server fields in what a device pushes, but the stored report has them', () => {
		const withServer = { ...base(), trackingCode: 'LD-1', status: 'received' };
		expect(ReportInput.safeParse(withServer).success).toBe(false);
		expect(Report.safeParse(withServer).success).toBe(true);
	});
	it('caps photos at five', () => {
		const photoIds = Array.from({ length: 6 }, () => uuidv7());
		expect(ReportInput.safeParse({ ...base(), photoIds }).success).toBe(false);
	});
});
