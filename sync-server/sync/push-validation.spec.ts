import { describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { ReportInput } from '$lib/domain/report';
import type { TenantConfig } from '$lib/domain/tenant';
import { canonical, checkPhotosAndPlace, rejectionFromIssues } from './push-validation';

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

describe('checkPhotosAndPlace', () => {
	const config = {
		categories: [
			{ code: 'construction-order', nameVi: '', nameEn: '', icon: '', photosRequired: 2 },
			{ code: 'environment', nameVi: '', nameEn: '', icon: '' }
		]
	} as unknown as TenantConfig;
	// A stand-in for the boundaries: ward 24778 holds the points between 11.95 and 12 N.
	const wardMatches = (code: string, lat: number) => (code === '24778' ? lat > 11.95 && lat < 12 : null);
	const report = (over: Record<string, unknown>) => ReportInput.parse({ ...base(), location: { source: 'gps', lat: 11.96, lng: 108.45 }, ...over });

	it('refuses fewer photos than the category requires; a category that does not say requires none', () => {
		expect(checkPhotosAndPlace(config, wardMatches, 'r', report({ categoryCode: 'construction-order', photoIds: [uuidv7()] }))).toMatchObject({ code: 'too_few_photos', path: ['photoIds'] });
		expect(checkPhotosAndPlace(config, wardMatches, 'r', report({ categoryCode: 'construction-order', photoIds: [uuidv7(), uuidv7()] }))).toBeNull();
		expect(checkPhotosAndPlace(config, wardMatches, 'r', report({}))).toBeNull();
	});

	it('refuses coordinates the ward does not hold; the ward alone, or a ward with no shape, passes', () => {
		expect(checkPhotosAndPlace(config, wardMatches, 'r', report({ location: { source: 'gps', lat: 21.03, lng: 105.85 } }))).toMatchObject({ code: 'location_outside_ward', path: ['location'] });
		expect(checkPhotosAndPlace(config, wardMatches, 'r', report({ location: { source: 'ward' } }))).toBeNull();
		expect(checkPhotosAndPlace(config, wardMatches, 'r', report({ wardCode: '24781', location: { source: 'exif', lat: 1, lng: 1 } }))).toBeNull();
		expect(checkPhotosAndPlace(config, undefined, 'r', report({ location: { source: 'gps', lat: 21.03, lng: 105.85 } }))).toBeNull();
	});
});

describe('canonical', () => {
	it('ignores key order and undefined fields', () => {
		expect(canonical({ a: 1, b: { d: 2, c: [1, 2] }, u: undefined })).toBe(canonical({ b: { c: [1, 2], d: 2 }, a: 1 }));
	});
});
