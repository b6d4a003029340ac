/**
 * Web Push against the real server: a resident's device registers a subscription, a handler acts on
 * the report, and the server's encrypted, VAPID-signed POST reaches the push service — here a local
 * HTTPS server standing in for the browser vendor's, with a throw-away certificate the server is told
 * to trust (PUSH_CA_FILE). Its body is decrypted with the subscription's private key, as the browser
 * would, to check what the message says and what it does not.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { Report } from '$lib/domain/report';
import { browserSubscription as subscriptionAt, decryptPush as decrypt, startFakePushService, type FakePushService, type ReceivedPush as Received } from '../support/fake-push-service';
import { resolveVapidKeys } from '../../sync-server/push/vapid';
import { act, call, deviceSession, fileReport, makeEvent, push, signIn, startServer, type DeviceSession, type Session, type TestServer } from './harness';

/** The push service: records every POST, answers with its `status` (201 as the real ones do). */
let pushService: FakePushService;
let received: Received[];

let srv: TestServer;
let ana: DeviceSession;
let lamVien: Session;

beforeAll(async () => {
	pushService = await startFakePushService();
	received = pushService.received;
	srv = await startServer({ pushCaFile: pushService.caFile, pushAllowLocalEndpoints: true, iocWarningsMs: 50 });
	[ana, lamVien] = await signIn(srv.url, 'device', 'ubnd-lam-vien');
});

afterAll(async () => {
	await srv?.close();
	await pushService?.close();
});

const browserSubscription = (name: string) => subscriptionAt(pushService.url, name);

/** Ana files a report with her contact (a name and phone the messages must never carry). */
const file = () => fileReport(srv.url, ana, {}, {});

async function nextPush(path: string, after: number, timeoutMs = 10_000): Promise<Received> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		const got = received.slice(after).find((r) => r.path === path);
		if (got) return got;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`no push to ${path} within ${timeoutMs} ms`);
}

function subscribe(token: string | undefined, body: object) {
	return call<{ ok?: boolean; error?: { code: string } }>(`${srv.url}/api/push/subscriptions`, { token, body });
}

describe('Web Push', () => {
	it('publishes the VAPID public key', async () => {
		const res = await call<{ publicKey: string }>(`${srv.url}/api/push/key`);
		expect(res.status).toBe(200);
		expect(Buffer.from(res.body.publicKey, 'base64url')).toHaveLength(65);
	});

	it('sends an encrypted, signed message with no personal data when a handler acts on the report', async () => {
		const report = await file();
		const sub = browserSubscription('ana');
		expect((await subscribe(ana.token, sub.body)).status).toBe(200);
		const before = received.length;

		await act(srv.url, lamVien, report, 'accepted');
		const msg = await nextPush('/push/ana', before);

		expect(msg.headers.ttl).toMatch(/^\d+$/);
		expect(Number(msg.headers.ttl)).toBeGreaterThan(0);
		expect(msg.headers['content-encoding']).toBe('aes128gcm');
		const { publicKey } = (await call<{ publicKey: string }>(`${srv.url}/api/push/key`)).body;
		expect(msg.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=/);
		expect(msg.headers.authorization).toContain(`k=${publicKey}`);

		const payload = JSON.parse(decrypt(msg.body, sub.ecdh, sub.auth)) as Record<string, unknown>;
		expect(payload).toMatchObject({ reportId: report.id, trackingCode: report.trackingCode, type: 'accepted' });
		expect(Object.keys(payload).sort()).toEqual(['at', 'eventId', 'reportId', 'trackingCode', 'type']);
		const raw = decrypt(msg.body, sub.ecdh, sub.auth);
		expect(raw).not.toContain('0912345678');
		expect(raw).not.toContain('Nguyễn');
		expect(raw).not.toContain(ana.user.sub);
	});

	it('tells the resident a coordinating unit reported its part, not that the report is resolved', async () => {
		// Environment reports: the ward committee leads, the environment unit coordinates (tenant.json).
		const report = await file();
		expect(report.leadUnitId).toBe('ubnd-lam-vien');
		const [environment] = await signIn(srv.url, 'natural-resources-environment');
		const sub = browserSubscription('ana');
		expect((await subscribe(ana.token, sub.body)).status).toBe(200);
		const before = received.length;
		await act(srv.url, environment, report, 'resolved', { unitId: 'natural-resources-environment', note: 'Đã thu gom' });
		const part = await nextPush('/push/ana', before);
		expect(JSON.parse(decrypt(part.body, sub.ecdh, sub.auth))).toMatchObject({ reportId: report.id, type: 'part_reported' });
		const after = received.length;
		await act(srv.url, lamVien, report, 'resolved', { unitId: 'ubnd-lam-vien', note: 'Xong' });
		const result = await nextPush('/push/ana', after);
		expect(JSON.parse(decrypt(result.body, sub.ecdh, sub.auth))).toMatchObject({ reportId: report.id, type: 'resolved' });
	});

	it('does not announce the resident their own words, nor the intake, nor another resident\'s report', async () => {
		const report = await file();
		const sub = browserSubscription('ana');
		expect((await subscribe(ana.token, sub.body)).status).toBe(200);
		const otherReport = await fileReport(srv.url, await deviceSession(srv.url));
		const before = received.length;

		await act(srv.url, lamVien, report, 'info_requested', { note: 'Rác ở số nhà nào?' });
		await nextPush('/push/ana', before);
		await act(srv.url, ana, report, 'info_provided', { note: 'Trước số 12' });
		await push(srv.url, lamVien.token, 'events', [makeEvent(lamVien, otherReport, 'accepted')]);
		await new Promise((r) => setTimeout(r, 500));
		// Only the question reached Ana's phone.
		expect(received.slice(before).map((r) => r.path)).toEqual(['/push/ana']);
	});

	it('reaches every device of a verified resident on a report linked to them', async () => {
		const report = await file();
		const personId = `person:${uuidv7()}`;
		// The phone verification links the report to the person (server field, written here directly).
		const reports = srv.handle.storage.store<Report>('reports');
		const cur = (await reports.getMany([report.id])).get(report.id)!;
		expect((await reports.bulkPut([{ doc: { ...cur.doc, personId }, rev: cur.rev }]))[0].ok).toBe(true);
		// The same person's second phone, verified too: its token carries the person.
		const second = await srv.handle.tokens.sign({ sub: `device:${uuidv7()}`, role: 'resident', tenantId: 'lam-dong', unitIds: [], personId });
		const phone = browserSubscription('second-phone');
		expect((await subscribe(second.token, phone.body)).status).toBe(200);
		const before = received.length;

		await act(srv.url, lamVien, report, 'accepted');
		const msg = await nextPush('/push/second-phone', before);
		expect(JSON.parse(decrypt(msg.body, phone.ecdh, phone.auth))).toMatchObject({ reportId: report.id, type: 'accepted' });
	});

	it('forgets a subscription the push service says is gone (410)', async () => {
		const report = await file();
		const sub = browserSubscription('gone');
		expect((await subscribe(ana.token, sub.body)).status).toBe(200);
		const stored = srv.handle.storage.store('push-subscriptions');
		expect(await stored.get(ana.user.sub)).toMatchObject({ endpoint: sub.endpoint });

		pushService.status = 410;
		try {
			const before = received.length;
			await act(srv.url, lamVien, report, 'accepted');
			await nextPush('/push/gone', before);
			await expect.poll(() => stored.get(ana.user.sub), { timeout: 5_000 }).toBeNull();

			// Nothing is sent to it again.
			const after = received.length;
			await act(srv.url, lamVien, report, 'progress', { note: 'Đã liên hệ đội vệ sinh' });
			await new Promise((r) => setTimeout(r, 500));
			expect(received.slice(after)).toEqual([]);
		} finally {
			pushService.status = 201;
		}
	});

	it('a device withdraws its subscription', async () => {
		const report = await file();
		expect((await subscribe(ana.token, browserSubscription('withdrawn').body)).status).toBe(200);
		const del = await call<{ removed: boolean }>(`${srv.url}/api/push/subscriptions`, { method: 'DELETE', token: ana.token });
		expect(del.status).toBe(200);
		expect(del.body.removed).toBe(true);
		const before = received.length;
		await act(srv.url, lamVien, report, 'accepted');
		await new Promise((r) => setTimeout(r, 500));
		expect(received.slice(before)).toEqual([]);
	});

	it('registers a subscription only for a resident device with a valid token and a real push address', async () => {
		const sub = browserSubscription('x').body as { endpoint: string; keys: { p256dh: string; auth: string } };
		const anonymous = await subscribe(undefined, sub);
		expect(anonymous.status).toBe(401);
		expect(anonymous.body.error?.code).toBe('unauthenticated');
		const forged = await subscribe('not-a-token', sub);
		expect(forged.status).toBe(401);
		// A volunteer's account is shared by a team: no notices to whoever holds it.
		const [volunteer] = await signIn(srv.url, 'tcns-lang-biang');
		const shared = await subscribe(volunteer.token, sub);
		expect(shared.status).toBe(403);
		expect(shared.body.error?.code).toBe('forbidden_scope');
		const badKeys = await subscribe(ana.token, { ...sub, keys: { p256dh: 'abc', auth: sub.keys.auth } });
		expect(badKeys.status).toBe(400);
		expect(badKeys.body.error?.code).toBe('validation_failed');
		const plainHttp = await subscribe(ana.token, { ...sub, endpoint: sub.endpoint.replace('https:', 'http:') });
		expect(plainHttp.status).toBe(400);
		expect((await call(`${srv.url}/api/push/subscriptions`, { method: 'DELETE' })).status).toBe(401);
	});
});

describe('Web Push of the operations centre’s warnings', () => {
	it('reaches the officials concerned who turned notices on, and says what and where, not who', async () => {
		const [leader] = await signIn(srv.url, 'lanhdao');
		const sub = browserSubscription('leader');
		expect((await subscribe(leader.token, sub.body)).status).toBe(200);
		const before = received.length;
		// Five reports of one category in one commune today, none before: a spike.
		for (let i = 0; i < 5; i++) await fileReport(srv.url, ana, { categoryCode: 'culture-tourism' });
		const until = Date.now() + 10_000;
		let payload: Record<string, unknown> | undefined;
		while (!payload && Date.now() < until) {
			for (const msg of received.slice(before).filter((r) => r.path === '/push/leader')) {
				const p = JSON.parse(decrypt(msg.body, sub.ecdh, sub.auth)) as Record<string, unknown>;
				if (String(p.id).includes('culture-tourism')) payload = p;
			}
			await new Promise((r) => setTimeout(r, 50));
		}
		expect(payload).toMatchObject({ kind: 'ioc-warning', type: 'spike', value: 5 });
		expect(JSON.stringify(payload)).not.toMatch(/Nguyễn|09\d{8}|description/);
	});
});

describe('VAPID keys', () => {
	it('are generated once into DATA_DIR and kept across restarts', async () => {
		const dataDir = await mkdtemp(path.join(tmpdir(), 'caunoi-vapid-'));
		try {
			const first = await resolveVapidKeys({ dataDir, vapidSubject: 'mailto:ops@example.org' });
			const again = await resolveVapidKeys({ dataDir, vapidSubject: 'mailto:ops@example.org' });
			expect(again.publicKey).toBe(first.publicKey);
			expect(again.privateKey).toBe(first.privateKey);
			expect(first.source).toBe('file');
		} finally {
			await rm(dataDir, { recursive: true, force: true });
		}
	});

	it('refuse half a key pair from the environment', async () => {
		await expect(resolveVapidKeys({ dataDir: tmpdir(), vapidSubject: 'mailto:a@b.org', vapidPublicKey: 'x'.repeat(87) })).rejects.toThrow(
			/both/
		);
	});
});
