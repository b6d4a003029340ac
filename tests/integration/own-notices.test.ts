/**
 * The home page's notice badge for the resident's own reports, without /my open: the device asks the
 * real server for its reports' events since its last check (Dexie on fake-indexeddb, as on a phone).
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOwnNotices } from '$lib/my/own-notices';
import { unreadCount } from '$lib/my/notices';
import type { Report } from '$lib/domain/report';
import { localDb } from '$lib/sync/local-db';
import { flushOutbox } from '$lib/sync/outbox-sender';
import { act, signIn, startServer, type TestServer } from './harness';
import { queueOutboxReport } from './outbox-queue';

let server: TestServer;

beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.close());

describe('notices for my own reports', () => {
	it('asks nothing before the device has filed, then counts only what handlers did after the first check', async () => {
		expect(await checkOwnNotices({ origin: server.url })).toBe(0);
		expect(await localDb.settings.get('my.ownEventsCheckpoint')).toBeUndefined();

		const id = await queueOutboxReport({ photos: [], contact: false });
		expect((await flushOutbox({ origin: server.url })).delivered).toBe(1);
		const [handler] = await signIn(server.url, 'ubnd-xuan-huong');
		const report = { id } as Pick<Report, 'id'>;
		await act(server.url, handler, report, 'accepted');

		// The first check records the past as read: no badge for what happened before it.
		expect(await checkOwnNotices({ origin: server.url })).toBe(0);
		expect(await unreadCount()).toBe(0);

		await act(server.url, handler, report, 'progress', { note: 'Đội vệ sinh đang đến' });
		await act(server.url, handler, report, 'resolved', { note: 'Đã dọn sạch' });
		expect(await checkOwnNotices({ origin: server.url })).toBe(2);
		expect(await unreadCount()).toBe(2);
		// Checked again: nothing new, nothing counted twice.
		expect(await checkOwnNotices({ origin: server.url })).toBe(0);
		expect(await unreadCount()).toBe(2);
	});

	it('records a coordinating unit’s result as its part reported, as the push says, and the lead’s as the result', async () => {
		const id = await queueOutboxReport({ photos: [], contact: false });
		expect((await flushOutbox({ origin: server.url })).delivered).toBe(1);
		const [ward, environment] = await signIn(server.url, 'ubnd-xuan-huong', 'natural-resources-environment');
		const report = { id } as Pick<Report, 'id'>;
		await act(server.url, ward, report, 'accepted', { unitId: 'ubnd-xuan-huong' });
		await checkOwnNotices({ origin: server.url });
		// Checked between the intake and the results: the lead is known from what came before.
		const part = await act(server.url, environment, report, 'resolved', { unitId: 'natural-resources-environment', note: 'Phần của Sở xong' });
		await checkOwnNotices({ origin: server.url });
		const lead = await act(server.url, ward, report, 'resolved', { unitId: 'ubnd-xuan-huong', note: 'Xong' });
		await checkOwnNotices({ origin: server.url });
		expect((await localDb.notices.get(part.id))?.type).toBe('part_reported');
		expect((await localDb.notices.get(lead.id))?.type).toBe('resolved');
	});
});
