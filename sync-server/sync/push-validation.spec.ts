import { describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { ReportInput } from '$lib/domain/report';
import { canonical, rejectionFromIssues } from './push-validation';

const base = () => ({
	id: uuidv7(),
	tenantId: 'lam-dong',
	authorId: 'device:abc',
	categoryCode: 'environment',
	description: 'x',
	location: { source: 'gps', lat: 11.94, lng: 108.44 },
	wardCode: '24778',
	wardCodeSet: '2025',
	photoIds: [],
	createdAt: new Date().toISOString()
});

function codeFor(doc: Record<string, unknown>) {
	const r = ReportInput.safeParse(doc);
	if (r.success) return null;
	return rejectionFromIssues(String(doc.id), r.error.issues, doc);
}

describe('rejection codes', () => {
	it('name the problem a resident can fix', () => {
		const { location: _l, ...noLocation } = base();
		const { wardCode: _w, ...noWard } = base();
		expect(codeFor({ ...base(), extra: 1 })).toMatchObject({ code: 'unknown_field', path: ['extra'] });
		expect(codeFor({ ...base(), categoryCode: '' })).toMatchObject({ code: 'missing_category' });
		expect(codeFor(noLocation)).toMatchObject({ code: 'missing_location', path: ['location'] });
		expect(codeFor({ ...base(), location: { source: 'gps' } })).toMatchObject({ code: 'missing_location' });
		expect(codeFor(noWard)).toMatchObject({ code: 'missing_location' });
		expect(codeFor({ ...base(), wardCode: '12' })).toMatchObject({ code: 'unknown_ward' });
		expect(codeFor({ ...base(), photoIds: Array.from({ length: 6 }, () => uuidv7()) })).toMatchObject({ code: 'too_many_photos' });
		expect(codeFor({ ...base(), createdAt: 'yesterday' })).toMatchObject({ code: 'validation_failed', path: ['createdAt'] });
	});
});

describe('canonical', () => {
	it('ignores key order and undefined fields', () => {
		expect(canonical({ a: 1, b: { d: 2, c: [1, 2] }, u: undefined })).toBe(canonical({ b: { c: [1, 2], d: 2 }, a: 1 }));
	});
});
