import { describe, expect, it } from 'vitest';
import type { TenantConfig } from '../domain/tenant';
import type { Draft } from '../sync/local-db';
import { buildReport } from './report-build';

const tenant: Pick<TenantConfig, 'id' | 'codeSet' | 'categories' | 'adminUnits'> = {
	id: 'lam-dong',
	codeSet: '2025',
	categories: [
		{ code: 'construction-order', nameVi: 'Trật tự xây dựng', nameEn: 'Construction order', icon: '🏗️', photosRequired: 1 },
		{ code: 'public-service', nameVi: 'Thái độ phục vụ', nameEn: 'Service attitude', icon: '🏛️', photosRequired: 0 },
		{ code: 'no-rule', nameVi: 'Khác', nameEn: 'Other', icon: '❓' }
	],
	adminUnits: [{ code: '24778', codeSet: '2025', name: 'Phường Lâm Viên - Đà Lạt', nameEn: 'Lam Vien', type: 'phường' }]
};

const draft = (over: Partial<Draft>): Draft => ({
	id: '0190f6a0-0000-7000-8000-000000000001',
	categoryCode: 'construction-order',
	description: '',
	location: { source: 'ward' },
	wardCode: '24778',
	name: '',
	phone: '',
	photoIds: [],
	updatedAt: 0,
	...over
});
const PHOTO = '0190f6a0-0000-7000-8000-0000000000aa';

describe('buildReport: photos the category requires', () => {
	it('fewer photos than the category asks: no report, the photos field says too_few_photos', () => {
		const built = buildReport(draft({ photoIds: [] }), { tenant, authorId: 'device:x' });
		expect(built.report).toBeUndefined();
		expect(built.errors.photos).toBe('too_few_photos');
	});

	it('enough photos: the report', () => {
		const built = buildReport(draft({ photoIds: [PHOTO] }), { tenant, authorId: 'device:x' });
		expect(built.errors).toEqual({});
		expect(built.report?.photoIds).toEqual([PHOTO]);
	});

	it('a category asking for none, or not saying (default 0), sends without photos', () => {
		for (const categoryCode of ['public-service', 'no-rule'])
			expect(buildReport(draft({ categoryCode }), { tenant, authorId: 'device:x' }).errors).toEqual({});
	});
});
