/**
 * The device's offline copy of public reports (src/lib/public/public-cache.service.ts, on an
 * in-memory IndexedDB) against the real server: a ward is fetched whole once, then only what
 * changed; a detail opened once is there offline; a report taken down leaves the device.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '$lib/domain/report';
import { cachedDetail, fetchDetail, getArea, refreshWard, wardReports } from '$lib/public/public-cache.service';
import { localDb } from '$lib/sync/local-db';
import { act, fileReport, signIn, startServer, type DeviceSession, type Session, type TestServer } from './harness';

let srv: TestServer;
let ana: DeviceSession;
let lamVien: Session;
const WARD = '24778';

beforeAll(async () => {
	srv = await startServer();
	[ana, lamVien] = await signIn(srv.url, 'device', 'ubnd-lam-vien');
});
afterAll(async () => {
	await srv?.close();
	localDb.close();
});

const file = (description: string) => fileReport(srv.url, ana, { description });

/** Refreshes until the device holds `n` reports of the ward (the server's index trails writes a little). */
async function refreshUntil(n: number) {
	await expect
		.poll(async () => {
			await refreshWard(WARD, { origin: srv.url });
			return (await wardReports(WARD)).length;
		})
		.toBe(n);
}

describe('public cache of a ward', () => {
	const filed: Report[] = [];

	it('fetches the ward once, then only what changed, and keeps the time of the last sync', async () => {
		for (const d of ['Rác ở chợ', 'Cống tắc', 'Cây đổ']) filed.push(await file(d));
		await refreshUntil(3);
		const area = await getArea(WARD);
		expect(area?.since).toEqual(expect.any(String));
		expect(area!.syncedAt).toBeGreaterThan(Date.now() - 60_000);
		expect((await wardReports(WARD)).map((r) => r.description)).toEqual(['Cây đổ', 'Cống tắc', 'Rác ở chợ']);

		await act(srv.url, lamVien, filed[0], 'accepted');
		// Only the changed report comes back.
		await expect.poll(() => refreshWard(WARD, { origin: srv.url })).toBe(1);
		expect((await localDb.publicReports.get(filed[0].id))?.status).toBe('in_progress');
		expect(await refreshWard(WARD, { origin: srv.url })).toBe(0);
	});

	it('keeps a detail opened once for offline reading, and drops a report the server no longer shows', async () => {
		const res = await fetchDetail(filed[0].id, { origin: srv.url });
		expect(res.ok).toBe(true);
		const saved = await cachedDetail(filed[0].id);
		expect(saved?.detail.events.map((e) => e.type)).toContain('accepted');

		// Never opened: the list row stands in, without a timeline.
		expect((await cachedDetail(filed[1].id))?.detail).toMatchObject({ report: { id: filed[1].id }, events: [] });

		await srv.handle.storage.store<Report>('reports').bulkPut([{ doc: { ...filed[2], _deleted: true } }]);
		expect(await fetchDetail(filed[2].id, { origin: srv.url })).toEqual({ ok: false, code: 'not_found' });
		expect(await cachedDetail(filed[2].id)).toBeNull();
	});

	it('says "network" when the server cannot be reached, and keeps what it has', async () => {
		const dead = 'http://127.0.0.1:9';
		await expect(refreshWard(WARD, { origin: dead })).rejects.toMatchObject({ code: 'network' });
		expect(await fetchDetail(filed[0].id, { origin: dead })).toEqual({ ok: false, code: 'network' });
		expect((await cachedDetail(filed[0].id))?.detail.report.id).toBe(filed[0].id);
	});
});
