/**
 * The sync-server is up but its database is not (the CouchDB cluster stopped or restarting, or
 * wedged and not answering): the
 * server must answer 500 `server_error` — not crash, not hang — and the device's outbox must keep
 * the report waiting (not "needs attention": nothing is wrong with the report) and deliver it once
 * the database is back, stored once. Runs the same flushOutbox the service worker runs, on
 * fake-indexeddb (Dexie) in Node, against the real sync-server storing into a CouchDB stand-in
 * (couch-standin.ts) this file stops and starts again on the same port and data, or freezes.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localDb } from '$lib/sync/local-db';
import { flushOutbox } from '$lib/sync/outbox-sender';
import { getDeviceToken } from '$lib/sync/session';
import { startCouchStandIn, type CouchStandIn } from './couch-standin';
import { call, login, pullAll, startServer, type TestServer } from './harness';
import { queueOutboxReport, readFixtureJpeg } from './outbox-queue';

let couch: CouchStandIn;
let server: TestServer;
const cleanups: (() => Promise<void>)[] = [];

/** A sync-server storing into its own CouchDB stand-in, which the test stops, starts and freezes. */
async function setUp(config: Parameters<typeof startServer>[0] = {}) {
	couch = await startCouchStandIn({ dirPrefix: 'caunoi-couch-down-' });
	const own = couch;
	cleanups.push(() => own.close());
	server = await startServer({ couchdbUrl: couch.url, ...config });
	const running = server;
	cleanups.push(async () => {
		// Back up first (a failed test may leave it down), so the server closes without waiting on it.
		own.unfreeze();
		await own.start().catch(() => undefined);
		await running.close();
	});
	// The phone already has its token (it filed before): what fails below is the database, not auth.
	await getDeviceToken({ origin: server.url, forceRefresh: true });
}

beforeEach(async () => {
	await Promise.all([localDb.outbox.clear(), localDb.photos.clear()]);
});
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Queues a report with one photo as the form does on "Gửi". */
async function queueReport(description: string): Promise<string> {
	return queueOutboxReport({ description, photos: [await readFixtureJpeg()] });
}

describe('outbox → sync-server whose database is down', () => {
	it('keeps the report waiting on a 500 server_error and delivers it once the database is back', async () => {
		await setUp();
		const description = `Cống thoát nước bị tắc đường Phan Bội Châu ${Date.now()}`;
		const id = await queueReport(description);

		await couch.stop();

		// What the device meets: the server is up and says 500 server_error, promptly.
		const health = await call<{ error: { code: string } }>(`${server.url}/api/health`);
		expect(health.status).toBe(500);
		expect(health.body.error.code).toBe('server_error');

		const started = Date.now();
		const down = await flushOutbox({ origin: server.url });
		// At once, well under the phone's own 30 s timeout: the server answered, it did not hang.
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(down).toEqual({ delivered: 0, waiting: 1, needsAttention: 0 });
		const waiting = (await localDb.outbox.get(id))!;
		expect(waiting.state).toEqual({ kind: 'waiting' });
		expect(waiting.reportPushed).toBe(false);
		expect(waiting.trackingCode).toBeUndefined();
		// The reason is kept for the outbox's UI, and a retry is scheduled (not left to the user).
		expect(waiting.error?.code).toBe('server_error');
		expect(waiting.attempts).toBe(1);
		expect(waiting.nextAttemptAt).toBeGreaterThan(Date.now());
		// The photo is still on the phone, waiting.
		const photo = (await localDb.photos.get(waiting.photoIds[0]))!;
		expect(photo.status).toBe('pending');
		expect(photo.blob).toBeTruthy();

		// Still down on a second try: still waiting, one more attempt counted, never needs_attention.
		await flushOutbox({ origin: server.url, force: true });
		const stillWaiting = (await localDb.outbox.get(id))!;
		expect(stillWaiting.state.kind).toBe('waiting');
		expect(stillWaiting.error?.code).toBe('server_error');
		expect(stillWaiting.attempts).toBe(2);

		await couch.start();

		const back = await flushOutbox({ origin: server.url, force: true });
		expect(back).toEqual({ delivered: 1, waiting: 0, needsAttention: 0 });
		const delivered = (await localDb.outbox.get(id))!;
		expect(delivered.state.kind).toBe('delivered');
		expect(delivered.trackingCode).toMatch(/^LD-\d{6}-[A-Z0-9]+$/);
		expect(delivered.error).toBeUndefined();

		await expectStoredOnce(id, description, delivered.trackingCode!);
	});

	it('answers 500 server_error in time when the database hangs, and delivers once it answers again', async () => {
		// A short deadline so the test is quick; the default (COUCHDB_TIMEOUT_MS) is 15 s.
		await setUp({ couchdbTimeoutMs: 1_000 });
		const description = `Đèn tín hiệu hỏng ở ngã ba Trần Phú ${Date.now()}`;
		const id = await queueReport(description);

		couch.freeze();

		const started = Date.now();
		const hung = await flushOutbox({ origin: server.url });
		// The server's answer, not the phone's own 30 s timeout (that would read as a network error).
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(hung).toEqual({ delivered: 0, waiting: 1, needsAttention: 0 });
		const waiting = (await localDb.outbox.get(id))!;
		expect(waiting.state).toEqual({ kind: 'waiting' });
		expect(waiting.error?.code).toBe('server_error');
		expect(waiting.reportPushed).toBe(false);

		couch.unfreeze();

		const back = await flushOutbox({ origin: server.url, force: true });
		expect(back).toEqual({ delivered: 1, waiting: 0, needsAttention: 0 });
		const delivered = (await localDb.outbox.get(id))!;
		expect(delivered.state.kind).toBe('delivered');
		expect(delivered.trackingCode).toMatch(/^LD-\d{6}-[A-Z0-9]+$/);
		await expectStoredOnce(id, description, delivered.trackingCode!);
	});
});

/** Stored once, under the code the resident sees, with its photo, as the routed handler sees it. */
async function expectStoredOnce(id: string, description: string, trackingCode: string) {
	const handler = await login(server.url, 'ubnd-xuan-huong');
	const copies = (await pullAll(server.url, handler.token, 'reports')).docs.filter((r) => r.id === id);
	expect(copies).toHaveLength(1);
	expect(copies[0]).toMatchObject({ trackingCode, description });
	const media = (await pullAll(server.url, handler.token, 'media')).docs.filter((m) => m.reportId === id);
	expect(media.map((m) => m.status)).toEqual(['ready']);
}
