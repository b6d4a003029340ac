/** Live replication over SSE: a new report reaches the units it is routed to without polling. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse } from '$lib/domain/sync-protocol';
import { deviceSession, login, makeReport, openStream, pull, push, STORAGE_MODE, startServer, type SseClient, type TestServer } from './harness';

let srv: TestServer;
const streams: SseClient[] = [];
beforeAll(async () => {
	srv = await startServer();
});
afterAll(async () => {
	for (const s of streams) s.close();
	await srv?.close();
});

async function stream(base: string, token: string, collection: 'reports' | 'events' | 'contacts' = 'reports') {
	const s = await openStream(base, token, collection);
	streams.push(s);
	expect(await s.next()).toBe('RESYNC');
	return s;
}

describe('SSE stream', () => {
	it('delivers a new report to its units at once, and nothing to another unit', async () => {
		const resident = await deviceSession(srv.url);
		const lamVien = await login(srv.url, 'ubnd-lam-vien');
		const police = await login(srv.url, 'police');
		const wardStream = await stream(srv.url, lamVien.token);
		const wardEvents = await stream(srv.url, lamVien.token, 'events');
		const policeStream = await stream(srv.url, police.token);
		const authorStream = await stream(srv.url, resident.token);

		const report = makeReport(resident.user.sub);
		await push(srv.url, resident.token, 'reports', [report]);

		const batch = (await wardStream.next()) as PullResponse;
		expect(batch.documents.map((d) => d.id)).toEqual([report.id]);
		expect(batch.documents[0]).toMatchObject({ status: 'assigned', trackingCode: expect.any(String) });
		expect(batch.checkpoint).toEqual({ seq: expect.anything() });
		// The checkpoint is the store's: a pull from it finds nothing newer.
		const after = await pull(srv.url, lamVien.token, 'reports', batch.checkpoint);
		expect(after.body.documents).toEqual([]);

		const events: string[] = [];
		while (events.length < 2) {
			const b = (await wardEvents.next()) as PullResponse;
			events.push(...b.documents.map((d) => String(d.type)));
		}
		expect(events.sort()).toEqual(['assigned', 'received']);

		expect(((await authorStream.next()) as PullResponse).documents[0].id).toBe(report.id);
		expect(await policeStream.collect(300)).toEqual([]);
	});

	it.skipIf(STORAGE_MODE !== 'couch')('fans out writes made through another instance on the same CouchDB', async () => {
		const other = await (await import('./harness')).startServer({ couch: srv.couch });
		try {
			const resident = await deviceSession(other.url);
			const lamVien = await login(srv.url, 'ubnd-lam-vien');
			const s = await stream(srv.url, lamVien.token);
			const report = makeReport(resident.user.sub);
			await push(other.url, resident.token, 'reports', [report]);
			const batch = (await s.next(10_000)) as PullResponse;
			expect(batch.documents.map((d) => d.id)).toEqual([report.id]);
		} finally {
			await other.close();
		}
	});
});
