/**
 * The handler inbox's RxDB replication against the real sync-server: a report a resident sent
 * arrives in the handler's local database with its server fields and the reporter's contact; an
 * expired staff session stops the replication and asks for a new login instead of retrying forever.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { ApiFailure } from '$lib/sync/api';
import { openDatabase, type CauNoiDatabase } from '$lib/sync/db';
import { startReplication } from '$lib/sync/replication';
import { deviceSession, login, makeContact, makeReport, push, startServer, type TestServer } from './harness';

let server: TestServer;
let db: CauNoiDatabase;

beforeAll(async () => {
	server = await startServer();
	db = await openDatabase({ name: `it-inbox-${uuidv7()}` });
});
afterAll(async () => {
	await db?.remove();
	await server?.close();
});

describe('handler inbox replication', () => {
	it('brings the reports of the handler’s ward, with tracking code and the reporter’s phone', async () => {
		const device = await deviceSession(server.url);
		const report = makeReport(device.user.sub, { wardCode: '24781', location: { source: 'gps', lat: 11.9416, lng: 108.4423 } });
		expect((await push(server.url, device.token, 'reports', [report])).status).toBe(200);
		expect((await push(server.url, device.token, 'contacts', [makeContact(report)])).status).toBe(200);

		const handler = await login(server.url, 'ubnd-xuan-huong');
		const replication = startReplication(db, { origin: server.url, role: handler.user.role, getToken: async () => handler.token });
		await Promise.all(replication.states.map((s) => s.awaitInitialReplication()));

		const inbox = await db.reports.find({ sort: [{ receivedAt: 'desc' }] }).exec();
		const mine = inbox.find((d) => d.id === report.id);
		expect(mine?.trackingCode).toMatch(/^LD-/);
		expect(mine?.assignedUnitIds).toContain('ubnd-xuan-huong');
		const contact = await db.contacts.findOne({ selector: { reportId: report.id as string } }).exec();
		expect(contact?.phone).toBe('0912345678');
		await replication.stop();
	});

	it('an expired session stops the replication and asks for a login', async () => {
		let asked: string | null = null;
		const replication = startReplication(db, {
			origin: server.url,
			role: 'handler',
			collections: ['reports'],
			getToken: async () => {
				throw new ApiFailure('token_expired', 401);
			},
			onAuthError: (code) => (asked = code)
		});
		await new Promise((r) => setTimeout(r, 300));
		expect(asked).toBe('token_expired');
		expect(replication.states.every((s) => s.isStopped())).toBe(true);
	});
});
