/**
 * The device's outbox against the real sync-server: what a resident sees in "Hộp thư đi" after
 * sending — tracking code, photos k/n, a refused report that does not block the next one, nothing
 * lost while the server is unreachable. Runs the same flushOutbox the service worker runs, on
 * fake-indexeddb (Dexie) in Node.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localDb } from '$lib/sync/local-db';
import { flushOutbox } from '$lib/sync/outbox-sender';
import { getDeviceIdentity } from '$lib/sync/session';
import { login, pullAll, startServer, type TestServer } from './harness';
import { queueOutboxReport, readFixtureJpeg } from './outbox-queue';

let server: TestServer;
let jpeg: Blob;

beforeAll(async () => {
	server = await startServer();
	jpeg = await readFixtureJpeg();
});
afterAll(async () => {
	await server?.close();
});
beforeEach(async () => {
	await Promise.all([localDb.outbox.clear(), localDb.photos.clear()]);
});

describe('outbox → sync-server', () => {
	it('delivers a report with its contact and photos, and shows the tracking code', async () => {
		const id = await queueOutboxReport({ photos: [jpeg, jpeg], contact: true });
		const result = await flushOutbox({ origin: server.url });
		expect(result).toEqual({ delivered: 1, waiting: 0, needsAttention: 0 });

		const row = (await localDb.outbox.get(id))!;
		expect(row.state.kind).toBe('delivered');
		expect(row.trackingCode).toMatch(/^LD-/);
		expect(row.state).toEqual({ kind: 'delivered', trackingCode: row.trackingCode });
		// The uploaded photos' blobs are dropped from the phone; their records say done.
		const photos = await localDb.photos.where('reportId').equals(id).toArray();
		expect(photos.map((p) => [p.status, p.blob])).toEqual([['done', undefined], ['done', undefined]]);

		// What a handler of the ward sees: the report, the reporter's phone and both photos ready.
		const handler = await login(server.url, 'ubnd-xuan-huong');
		const reports = (await pullAll(server.url, handler.token, 'reports')).docs;
		expect(reports.find((r) => r.id === id)).toMatchObject({ trackingCode: row.trackingCode, status: expect.any(String) });
		const contacts = (await pullAll(server.url, handler.token, 'contacts')).docs;
		expect(contacts.find((c) => c.reportId === id)).toMatchObject({ phone: '0912345678' });
		const media = (await pullAll(server.url, handler.token, 'media')).docs.filter((m) => m.reportId === id);
		expect(media.map((m) => m.status)).toEqual(['ready', 'ready']);
	});

	it('a refused report needs attention with its reason, and the next report still goes through', async () => {
		const bad = await queueOutboxReport({ wardCode: '99999' });
		const good = await queueOutboxReport();
		const result = await flushOutbox({ origin: server.url });
		expect(result).toMatchObject({ delivered: 1, needsAttention: 1 });
		expect((await localDb.outbox.get(bad))!.state).toEqual({ kind: 'needs_attention', code: 'unknown_ward' });
		expect((await localDb.outbox.get(good))!.state.kind).toBe('delivered');
		// Not retried by itself: a second flush leaves it as it is, for the user to edit or remove.
		await flushOutbox({ origin: server.url, force: true });
		expect((await localDb.outbox.get(bad))!.state.kind).toBe('needs_attention');
	});

	it('keeps everything while the server is unreachable, then delivers once it is back', async () => {
		const id = await queueOutboxReport({ photos: [jpeg] });
		const dead = await flushOutbox({ origin: 'http://127.0.0.1:9' });
		expect(dead).toEqual({ delivered: 0, waiting: 1, needsAttention: 0 });
		const waiting = (await localDb.outbox.get(id))!;
		expect(waiting.state.kind).toBe('waiting');
		expect(waiting.error?.code).toBe('network');
		expect((await localDb.photos.get(waiting.photoIds[0]))!.blob).toBeTruthy();

		const back = await flushOutbox({ origin: server.url, force: true });
		expect(back).toMatchObject({ delivered: 1, waiting: 0 });
		expect((await localDb.outbox.get(id))!.trackingCode).toMatch(/^LD-/);
	});

	it('renews a stale device token silently and still delivers', async () => {
		const identity = await getDeviceIdentity();
		await localDb.identity.put({ ...identity, token: 'not-a-valid-token', expiresAt: Date.now() + 3_600_000 });
		const id = await queueOutboxReport();
		await flushOutbox({ origin: server.url });
		expect((await localDb.outbox.get(id))!.state.kind).toBe('delivered');
		expect((await getDeviceIdentity()).token).not.toBe('not-a-valid-token');
	});

	it('a report sent twice (the answer was lost) is stored once and keeps its tracking code', async () => {
		const id = await queueOutboxReport();
		await flushOutbox({ origin: server.url });
		const first = (await localDb.outbox.get(id))!;
		// As if the phone never heard the answer: back to waiting, pushed again.
		await localDb.outbox.put({ ...first, state: { kind: 'waiting' }, reportPushed: false, trackingCode: undefined });
		await flushOutbox({ origin: server.url });
		const again = (await localDb.outbox.get(id))!;
		expect(again.state.kind).toBe('delivered');
		expect(again.trackingCode).toBe(first.trackingCode);
		const handler = await login(server.url, 'ubnd-xuan-huong');
		const copies = (await pullAll(server.url, handler.token, 'reports')).docs.filter((r) => r.id === id);
		expect(copies).toHaveLength(1);
	});
});
