/**
 * What the server refuses in a new report because the form should have caught it (issue 10: 3, 4):
 * coordinates that disagree with the chosen ward (a Hà Nội GPS fix kept for a Đà Lạt ward), and
 * fewer photos than the category asks (`photosRequired` in tenant.json). Each refusal has a code and
 * words in both languages; the form (src/lib/report) never sends such a report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { translate } from '$lib/i18n/messages';
import '$lib/i18n/messages.en';
import { makeReport, push, signIn, startServer, type DeviceSession, type TestServer } from './harness';
import { LAM_VIEN_POINT } from '../support/documents';

let srv: TestServer;
let ana: DeviceSession;

beforeAll(async () => {
	srv = await startServer();
	[ana] = await signIn(srv.url, 'device');
});
afterAll(() => srv.close());

async function pushReport(overrides: Record<string, unknown>) {
	const report = makeReport(ana.user.sub, overrides);
	const res = await push(srv.url, ana.token, 'reports', [report]);
	expect(res.status).toBe(200);
	return { report, rejected: res.body.rejected, stored: res.body.conflicts[0] as Record<string, unknown> | undefined };
}

describe('coordinates must agree with the ward', () => {
	it('Hà Nội coordinates with a Đà Lạt ward are refused with location_outside_ward, nothing stored', async () => {
		const { report, rejected, stored } = await pushReport({
			wardCode: '24778',
			location: { source: 'gps', lat: 21.0285, lng: 105.8542, accuracyM: 8 }
		});
		expect(stored).toBeUndefined();
		expect(rejected).toEqual([expect.objectContaining({ id: report.id, code: 'location_outside_ward', path: ['location'] })]);
		expect(rejected[0].message).toMatch(/phường\/xã.*\/.*ward/i);
		for (const locale of ['vi', 'en'] as const)
			expect(translate(locale, 'errors.location_outside_ward')).not.toBe('errors.location_outside_ward');
	});

	it('a fix inside the ward, and a report placed by its ward alone, are accepted', async () => {
		for (const location of [{ source: 'gps', ...LAM_VIEN_POINT, accuracyM: 10 }, { source: 'ward' }]) {
			const { rejected, stored } = await pushReport({ wardCode: '24778', location });
			expect(rejected).toEqual([]);
			expect(stored).toMatchObject({ wardCode: '24778', location });
		}
	});

	it('a fix 100 m outside the ward’s edge (GPS error at a boundary street) is accepted; 2 km outside is not', async () => {
		// Lâm Viên's boundary with Xuân Hương crosses 108.4469 E at about 11.9508 N (tenant boundaries).
		const near = await pushReport({ wardCode: '24778', location: { source: 'gps', lat: 11.9499, lng: 108.4469, accuracyM: 30 } });
		expect(near.rejected).toEqual([]);
		const far = await pushReport({ wardCode: '24778', location: { source: 'gps', lat: 11.925, lng: 108.43, accuracyM: 30 } });
		expect(far.rejected.map((r) => r.code)).toEqual(['location_outside_ward']);
	});
});

describe('photos a category requires', () => {
	it('a category that asks for a photo refuses a report with none (too_few_photos), accepts it with one', async () => {
		const none = await pushReport({ categoryCode: 'construction-order', photoIds: [] });
		expect(none.stored).toBeUndefined();
		expect(none.rejected).toEqual([expect.objectContaining({ code: 'too_few_photos', path: ['photoIds'] })]);
		expect(none.rejected[0].message).toContain('1');
		for (const locale of ['vi', 'en'] as const) expect(translate(locale, 'errors.too_few_photos')).not.toBe('errors.too_few_photos');

		const one = await pushReport({ categoryCode: 'construction-order', photoIds: [uuidv7()] });
		expect(one.rejected).toEqual([]);
	});

	it('a category that asks for none accepts a report without photos', async () => {
		const { rejected } = await pushReport({ categoryCode: 'public-service', photoIds: [] });
		expect(rejected).toEqual([]);
	});
});
