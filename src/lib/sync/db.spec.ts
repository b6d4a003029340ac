import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRxPlugin } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { uuidv7 } from '../domain/common';
import { Contact } from '../domain/contact';
import { ReportEvent } from '../domain/event';
import { Media } from '../domain/media';
import { Report } from '../domain/report';
import { openDatabase, type CauNoiDatabase } from './db';
import { normalizePulled } from './rx-schemas';

// Dev-mode (schema checks) in unit tests only: never imported by app code.
disableWarnings();
addRxPlugin(RxDBDevModePlugin);

let db: CauNoiDatabase;

function report(receivedAt: string, status: 'received' | 'assigned' = 'received') {
	return Report.parse({
		id: uuidv7(),
		tenantId: 'lam-dong',
		authorId: 'device:0c4b2f86-5f5e-4e48-9a39-1f0d3a5b8a11',
		categoryCode: 'environment',
		description: 'Rác đổ trộm ở đầu hẻm',
		location: { source: 'gps', lat: 11.9416, lng: 108.4423, accuracyM: 8 },
		wardCode: '24781',
		wardCodeSet: '2025',
		photoIds: [uuidv7()],
		createdAt: '2025-08-01T08:00:00.000+07:00',
		trackingCode: 'LD-2025-000001',
		receivedAt,
		status,
		assignedUnitIds: ['ubnd-xuan-huong'],
		dueAt: '2025-08-01T14:00:00.000+07:00',
		seenByUnitIds: [],
		updatedAt: receivedAt
	});
}

beforeAll(async () => {
	db = await openDatabase({
		name: `test-${Date.now()}`,
		storage: wrappedValidateAjvStorage({ storage: getRxStorageDexie() })
	});
});
afterAll(async () => {
	await db?.remove();
});

describe('RxDB schemas derived from the zod schemas', () => {
	it('stores documents exactly as the shared zod schemas parse them', async () => {
		const r = report('2025-08-01T01:00:05.000Z');
		await db.reports.insert(r);
		const c = Contact.parse({ id: uuidv7(), reportId: r.id, tenantId: 'lam-dong', authorId: r.authorId, name: 'Chị Lan', phone: '0912 345 678' });
		await db.contacts.insert(c);
		const ev = ReportEvent.parse({ id: uuidv7(), reportId: r.id, tenantId: 'lam-dong', type: 'seen', actorId: 'staff:police', actorRole: 'handler', unitId: 'police', at: '2025-08-01T08:10:00.000+07:00' });
		await db.events.insert(ev);
		const m = Media.parse({ id: r.photoIds[0], reportId: r.id, tenantId: 'lam-dong', authorId: r.authorId, status: 'ready', mime: 'image/webp', width: 1600, height: 1200, bytes: 500_000, createdAt: '2025-08-01T01:00:09.000Z' });
		await db.media.insert(m);

		const back = (await db.reports.findOne(r.id).exec())!.toJSON();
		expect(Report.parse(back)).toEqual(r);
		expect((await db.contacts.findOne(c.id).exec())!.phone).toBe('0912345678');
		expect(await db.events.count().exec()).toBe(1);
		expect(await db.media.count().exec()).toBe(1);
	});

	it('refuses a document the zod schema would refuse (an unknown field)', async () => {
		await expect(db.reports.insert({ ...report('2025-08-01T02:00:00.000Z'), extra: 1 } as never)).rejects.toThrow();
	});

	it('answers the inbox query newest first, with its compound index', async () => {
		await db.reports.bulkInsert([report('2025-08-02T01:00:00.000Z', 'assigned'), report('2025-08-03T01:00:00.000Z')]);
		const newest = await db.reports.find({ sort: [{ receivedAt: 'desc' }] }).exec();
		expect(newest.map((d) => d.receivedAt)).toEqual([
			'2025-08-03T01:00:00.000Z',
			'2025-08-02T01:00:00.000Z',
			'2025-08-01T01:00:05.000Z'
		]);
		const assigned = await db.reports.find({ selector: { status: 'assigned' }, sort: [{ receivedAt: 'desc' }] }).exec();
		expect(assigned).toHaveLength(1);
	});

	it('fills receivedAt/status of a pulled report the server had not derived yet', async () => {
		const { receivedAt: _r, status: _s, ...bare } = report('2025-08-04T01:00:00.000Z');
		const doc = normalizePulled('reports', bare);
		await db.reports.insert(doc as never);
		expect((await db.reports.findOne(bare.id).exec())!.receivedAt).toBe(bare.createdAt);
	});
});

describe('logout', () => {
	it('removes every IndexedDB database of the inbox, not only its documents', async () => {
		const { removeDatabase, getDatabase, DB_NAME } = await import('./db');
		const inbox = await getDatabase({ storage: wrappedValidateAjvStorage({ storage: getRxStorageDexie() }) });
		await inbox.reports.insert(report('2025-08-05T01:00:00.000Z'));
		const names = async () => (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith(`rxdb-dexie-${DB_NAME}--`));
		expect((await names()).length).toBeGreaterThan(0);
		await removeDatabase();
		expect(await names()).toEqual([]);
	});
});
