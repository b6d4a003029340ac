/**
 * Looking a report up by its tracking code, as a resident does with a code printed, written on paper
 * or read aloud on the phone: `GET /api/public/codes/:code` against the real server. Any spelling of
 * a code is that code; unknown and non-public codes get one same answer; and an address may try only
 * so many different codes (counted in their canonical form), so codes cannot be enumerated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicReportDetail } from '$lib/domain/public';
import type { Report } from '$lib/domain/report';
import { call, fileReport, signIn, startServer, type DeviceSession, type TestServer } from './harness';

type ErrorBody = { error: { code: string; message: string } };

const lookUp = (srv: TestServer, typed: string) =>
	call<PublicReportDetail & ErrorBody>(`${srv.url}/api/public/codes/${encodeURIComponent(typed)}`);

/** A well-formed code the server never issued (its suffix is random in the tests' tenant). */
const NEVER_ISSUED = ['LD-200101-00000', 'LD-200101-00001', 'LD-200101-00002', 'LD-200101-00003'];

describe('look-up by tracking code', () => {
	let srv: TestServer;
	let ana: DeviceSession;
	let report: Report;

	beforeAll(async () => {
		srv = await startServer();
		[ana] = await signIn(srv.url, 'device');
		report = await fileReport(srv.url, ana, { description: 'Đèn đường hỏng trước số 12' });
	});
	afterAll(() => srv?.close());

	it('finds a public report from its code typed in lower case, with spaces for dashes, or none', async () => {
		expect(report.trackingCode).toMatch(/^LD-\d{6}-[0-9A-Z]{5}$/);
		for (const typed of [report.trackingCode!, ` ${report.trackingCode!.toLowerCase().replace(/-/g, ' ')} `, report.trackingCode!.replace(/-/g, '')]) {
			const res = await lookUp(srv, typed);
			expect(res.status, typed).toBe(200);
			expect(res.body.report).toMatchObject({ id: report.id, trackingCode: report.trackingCode, description: 'Đèn đường hỏng trước số 12' });
			expect(res.body.events.map((e) => e.type)).toEqual(expect.arrayContaining(['received', 'assigned']));
			// The public projection only: nothing that names the reporter.
			expect(res.body.report).not.toHaveProperty('authorId');
			expect(res.headers.get('cache-control')).toBe('no-cache');
		}
	});

	it('answers unknown and no-longer-public codes with the same 404', async () => {
		const gone = await fileReport(srv.url, ana, { description: 'sẽ bị gỡ' });
		expect((await lookUp(srv, gone.trackingCode!)).status).toBe(200);
		const reports = srv.handle.storage.store<Report>('reports');
		await reports.bulkPut([{ doc: { ...gone, _deleted: true, updatedAt: new Date().toISOString() } }]);

		const unknown = await lookUp(srv, NEVER_ISSUED[0]);
		const removed = await lookUp(srv, gone.trackingCode!);
		expect(unknown.status).toBe(404);
		expect(unknown.body.error.code).toBe('tracking_code_unknown');
		expect(removed.status).toBe(404);
		expect(removed.body).toEqual(unknown.body);
	});

	it('refuses what cannot be a code with tracking_code_invalid, in both languages', async () => {
		for (const typed of ['hello', 'LD-261305-6FGD8', 'LD-261205-6FG$8', 'LD-261205-6FGD8' + ' '.repeat(60)]) {
			const res = await lookUp(srv, typed);
			expect(res.status, typed).toBe(400);
			expect(res.body.error.code).toBe('tracking_code_invalid');
		}
		expect((await lookUp(srv, 'hello')).body.error.message).toMatch(/Mã theo dõi.*\/.*tracking code/i);
	});
});

describe('look-ups from one address', () => {
	let srv: TestServer;
	let ana: DeviceSession;
	let report: Report;
	const LIMIT = 3;

	beforeAll(async () => {
		srv = await startServer({ codeLookupLimit: LIMIT });
		[ana] = await signIn(srv.url, 'device');
		report = await fileReport(srv.url, ana);
	});
	afterAll(() => srv?.close());

	it('are limited in different codes, counted in canonical form: spellings of one code count once', async () => {
		// Two spellings of one code, then two more codes: three different codes, the limit.
		for (const typed of ['dlk-261205-6fgd8', ' DLK 261205 6FGD8 ', NEVER_ISSUED[1], report.trackingCode!]) {
			const res = await lookUp(srv, typed);
			expect(res.status, typed).not.toBe(429);
		}
		// The same codes again, spelled otherwise, still answer: a resident reloading is not enumerating.
		expect((await lookUp(srv, 'DLK2612056FGD8')).status).toBe(404);
		expect((await lookUp(srv, report.trackingCode!.toLowerCase())).status).toBe(200);
		// A fourth different code is one too many.
		const refused = await lookUp(srv, NEVER_ISSUED[2]);
		expect(refused.status).toBe(429);
		expect(refused.body.error.code).toBe('rate_limited');
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		// Refused whether or not the code exists: the answer tells nothing about it.
		const other = await fileReport(srv.url, ana);
		expect((await lookUp(srv, other.trackingCode!)).status).toBe(429);
	});
});
