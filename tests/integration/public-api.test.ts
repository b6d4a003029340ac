/**
 * The public API against the real server: a ward's reports page by page with a cursor (how a device
 * keeps an area fresh), one report's public timeline, the photos of public reports — and what stays
 * out: reports not received or deleted, a resident's answers and their photos.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { PublicReportDetail, PublicReportPage } from '$lib/domain/public';
import type { Report } from '$lib/domain/report';
import { buildServer } from '../../sync-server/app';
import {
	act,
	call,
	fileReport,
	makeReport,
	signIn,
	startServer,
	TEST_TOKEN_SECRET,
	type DeviceSession,
	type EventDoc,
	type Session,
	type TestServer
} from './harness';

let srv: TestServer;
let ana: DeviceSession;
let lamVien: Session; // handler of the ward committee of Lâm Viên (routed for every category there)
let leader: Session;
let photoBytes: Buffer;

const LAM_VIEN = '24778';
const CAM_LY = '24787';

beforeAll(async () => {
	srv = await startServer();
	[ana, lamVien, leader] = await signIn(srv.url, 'device', 'ubnd-lam-vien', 'lanhdao');
	photoBytes = await sharp({ create: { width: 480, height: 360, channels: 3, background: '#3a7' } })
		.jpeg()
		.toBuffer();
});
afterAll(() => srv?.close());

const file = (overrides: Record<string, unknown> = {}) => fileReport(srv.url, ana, overrides);

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** A photo sent as the device does (tus, creation then one PATCH); resolves once stored. */
async function upload(token: string, meta: { mediaId: string; reportId: string; eventId?: string }) {
	const headers = { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${token}` };
	const metadata = Object.entries({ ...meta, filetype: 'image/jpeg' })
		.filter(([, v]) => v)
		.map(([k, v]) => `${k} ${b64(v!)}`)
		.join(',');
	const created = await fetch(`${srv.url}/api/media/uploads`, {
		method: 'POST',
		headers: { ...headers, 'Upload-Length': String(photoBytes.length), 'Upload-Metadata': metadata }
	});
	expect(created.status).toBe(201);
	const res = await fetch(new URL(created.headers.get('location')!, srv.url), {
		method: 'PATCH',
		headers: { ...headers, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
		body: new Uint8Array(photoBytes)
	});
	expect(res.status).toBe(204);
}

const listUrl = (ward: string, since?: string | null, limit?: number) =>
	`${srv.url}/api/public/reports?${new URLSearchParams({ ward, ...(since ? { since } : {}), ...(limit ? { limit: String(limit) } : {}) })}`;

/** Every page of a ward from `since`, as a device refreshes an area. */
async function readWard(ward: string, since: string | null = null, limit = 2) {
	const reports: PublicReportPage['reports'] = [];
	let cursor = since;
	for (let i = 0; i < 100; i++) {
		const res = await call<PublicReportPage>(listUrl(ward, cursor, limit));
		expect(res.status).toBe(200);
		reports.push(...res.body.reports);
		if (res.body.next === null) break;
		cursor = res.body.next;
	}
	return { reports, cursor };
}

describe('a ward’s public reports', () => {
	let filed: Report[];
	let cursor: string | null;

	it('come page by page, oldest change first, and only that ward’s', async () => {
		filed = [];
		for (let i = 0; i < 5; i++) filed.push(await file({ description: `Ổ gà số ${i}` }));
		await file({ wardCode: CAM_LY, description: 'Ở Cam Ly', location: { source: 'ward' } });

		// The index follows the store's changes feed: a write shows a moment later, not within the push.
		let all = await readWard(LAM_VIEN);
		await expect.poll(async () => (all = await readWard(LAM_VIEN)).reports.map((r) => r.id)).toEqual(filed.map((r) => r.id));
		const first = await call<PublicReportPage>(listUrl(LAM_VIEN, null, 2));
		expect(first.body.reports).toHaveLength(2);
		expect(first.body.next).toEqual(expect.any(String));
		const times = all.reports.map((r) => r.updatedAt!);
		expect([...times].sort()).toEqual(times);
		expect(all.reports[0]).toMatchObject({ status: 'assigned', wardCode: LAM_VIEN, description: 'Ổ gà số 0' });
		expect(all.reports[0].assignedUnitIds).toContain('ubnd-lam-vien');
		expect(all.reports[0]).not.toHaveProperty('authorId');
		cursor = all.cursor;

		await expect.poll(async () => (await readWard(CAM_LY)).reports.map((r) => r.description)).toEqual(['Ở Cam Ly']);
	});

	it('from the last cursor, bring only what changed since: a handled report comes again, newer', async () => {
		await act(srv.url, lamVien, filed[1], 'accepted');
		let since = await readWard(LAM_VIEN, cursor);
		await expect
			.poll(async () => (since = await readWard(LAM_VIEN, cursor)).reports.map((r) => [r.id, r.status]))
			.toEqual([[filed[1].id, 'in_progress']]);
		const nothing = await call<PublicReportPage>(listUrl(LAM_VIEN, since.cursor));
		expect(nothing.body).toEqual({ reports: [], next: null });
	});

	it('leave out reports the server has not received and deleted ones', async () => {
		const reports = srv.handle.storage.store<Report>('reports');
		const unreceived = { ...(makeReport(ana.user.sub) as unknown as Report), description: 'chưa tiếp nhận' };
		await reports.bulkPut([{ doc: unreceived }]);
		const gone = await file({ description: 'sẽ bị xóa' });
		const listed = async () => (await readWard(LAM_VIEN, null, 500)).reports.map((r) => r.id);
		await expect.poll(listed).toContain(gone.id);
		await reports.bulkPut([{ doc: { ...gone, _deleted: true, updatedAt: new Date().toISOString() } }]);

		// Gone once deleted; the changes feed is in order, so the unreceived one was seen before.
		await expect.poll(listed).not.toContain(gone.id);
		expect(await listed()).not.toContain(unreceived.id);
		for (const id of [unreceived.id, gone.id, uuidv7()]) {
			const res = await call<{ error: { code: string } }>(`${srv.url}/api/public/reports/${id}`);
			expect(res.status).toBe(404);
			expect(res.body.error.code).toBe('not_found');
		}
	});

	it('refuse a bad ward, cursor or limit with validation_failed', async () => {
		for (const url of [
			`${srv.url}/api/public/reports`,
			listUrl('lam-vien'),
			listUrl(LAM_VIEN, 'yesterday'),
			listUrl(LAM_VIEN, null, 501),
			`${srv.url}/api/public/reports/not-an-id`
		]) {
			const res = await call<{ error: { code: string } }>(url);
			expect(res.status, url).toBe(400);
			expect(res.body.error.code).toBe('validation_failed');
		}
	});

	it('are listed again by a restarted server from what it stored (the index is rebuilt)', async () => {
		const before = (await readWard(LAM_VIEN, null, 500)).reports.map((r) => r.id);
		const old = srv;
		await old.handle.close();
		const again = await buildServer({
			port: 0,
			host: '127.0.0.1',
			dataDir: old.dataDir,
			logLevel: 'silent',
			tokenSecret: TEST_TOKEN_SECRET,
			staticDir: `${old.dataDir}/no-build`,
			couchdbUrl: old.couch?.url
		});
		try {
			const res = await call<PublicReportPage>(`${again.url}/api/public/reports?ward=${LAM_VIEN}&limit=500`);
			expect(res.body.reports.map((r) => r.id)).toEqual(before);
		} finally {
			await again.close();
			await old.close();
		}
		srv = await startServer();
		[ana, lamVien, leader] = await signIn(srv.url, 'device', 'ubnd-lam-vien', 'lanhdao');
	});
});

describe('a public report’s detail and photos', () => {
	let report: Report;
	const ids = { own: uuidv7(), answer: uuidv7(), step: uuidv7() };
	let answerEvent: EventDoc;
	let progressEvent: EventDoc;

	beforeAll(async () => {
		report = await file({ photoIds: [ids.own], description: 'Cây đổ chắn đường' });
		await upload(ana.token, { mediaId: ids.own, reportId: report.id });
		await act(srv.url, lamVien, report, 'seen');
		await act(srv.url, lamVien, report, 'info_requested', { note: 'Cây đổ ở số nhà nào?' });
		answerEvent = await act(srv.url, ana, report, 'info_provided', { note: 'Trước nhà tôi, số 12', photoIds: [ids.answer] });
		await upload(ana.token, { mediaId: ids.answer, reportId: report.id, eventId: answerEvent.id });
		await act(srv.url, leader, report, 'directive', { note: 'Anh Tùng đội 3 xử lý trong ngày', publicNote: 'Xử lý trong ngày' });
		progressEvent = await act(srv.url, lamVien, report, 'progress', { note: 'Đã cưa cây, gặp chủ nhà', publicNote: 'Đã cưa cây', photoIds: [ids.step] });
		await upload(lamVien.token, { mediaId: ids.step, reportId: report.id, eventId: progressEvent.id });
	});

	it('shows the timeline in server order: staff public texts and photos, not private notes nor the resident’s answer', async () => {
		const res = await call<PublicReportDetail>(`${srv.url}/api/public/reports/${report.id}`);
		expect(res.status).toBe(200);
		expect(res.body.report).toMatchObject({ id: report.id, seenByUnitIds: ['ubnd-lam-vien'], photoIds: [ids.own] });
		const types = res.body.events.map((e) => e.type);
		// `received` and `assigned` share the intake's time; their order between them is by id.
		expect(types.slice(0, 2).sort()).toEqual(['assigned', 'received']);
		expect(types.slice(2)).toEqual(['seen', 'info_requested', 'info_provided', 'directive', 'progress']);
		const answer = res.body.events.find((e) => e.type === 'info_provided')!;
		expect(answer).toEqual({ id: answerEvent.id, reportId: report.id, type: 'info_provided', actorRole: 'resident', at: expect.any(String) });
		expect(res.body.events.find((e) => e.type === 'directive')).toMatchObject({ actorRole: 'leader', publicNote: 'Xử lý trong ngày' });
		expect(res.body.events.find((e) => e.type === 'progress')).toMatchObject({ unitId: 'ubnd-lam-vien', publicNote: 'Đã cưa cây', photoIds: [ids.step] });
		// The private notes stay with the units and the reporter; the question had no public text.
		expect(res.body.events.find((e) => e.type === 'info_requested')).not.toHaveProperty('publicNote');
		for (const e of res.body.events) expect(e).not.toHaveProperty('note');
		for (const words of ['Anh Tùng', 'gặp chủ nhà', 'Cây đổ ở số nhà nào']) expect(JSON.stringify(res.body)).not.toContain(words);
		expect(JSON.stringify(res.body)).not.toContain(ana.user.sub);
		expect(JSON.stringify(res.body)).not.toContain('Trước nhà tôi');
	});

	it('serves the report’s photo and the step’s photo publicly, never the resident’s answer photo', async () => {
		for (const [id, size] of [
			[ids.own, ''],
			[ids.own, '?size=thumb'],
			[ids.step, '']
		]) {
			const res = await fetch(`${srv.url}/api/public/media/${id}${size}`);
			expect(res.status, `${id}${size}`).toBe(200);
			expect(res.headers.get('content-type')).toBe('image/webp');
			expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
			const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
			expect(meta.format).toBe('webp');
			if (size) expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(320);
		}
		for (const id of [ids.answer, uuidv7()]) {
			const res = await call<{ error: { code: string } }>(`${srv.url}/api/public/media/${id}`);
			expect(res.status).toBe(404);
			expect(res.body.error.code).toBe('not_found');
		}
	});

	it('hides a phone number a handler typed into a public text', async () => {
		await act(srv.url, lamVien, report, 'progress', { note: 'x', publicNote: 'Đã gọi người báo tin (0912) 345 678 để xác minh' });
		const res = await call<PublicReportDetail>(`${srv.url}/api/public/reports/${report.id}`);
		const note = res.body.events.at(-1)!.publicNote!;
		expect(note).toContain('Đã gọi người báo tin');
		expect(note).not.toMatch(/345/);
	});

	it('answers a burst of requests from one address with rate_limited', async () => {
		let limited: Response | undefined;
		for (let i = 0; i < 300 && !limited; i++) {
			const res = await fetch(listUrl('99999'));
			if (res.status === 429) limited = res;
			else await res.arrayBuffer();
		}
		expect(limited?.status).toBe(429);
		expect(((await limited!.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
	});
});
