import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addRxPlugin, createRxDatabase, type RxJsonSchema } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { uuidv7 } from '../domain/common';
import { Contact } from '../domain/contact';
import { ReportEvent } from '../domain/event';
import { Media } from '../domain/media';
import { Report } from '../domain/report';
import type { SyncCollection } from '../domain/sync-protocol';
import { openDatabase, type CauNoiCollections, type CauNoiDatabase } from './db';
import { SCHEMA_HASHES, schemaHash } from '../../../tests/support/rx-schema-history';
import { migrationStrategies, normalizePulled, rxSchemas } from './rx-schemas';

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

/**
 * A new app version whose zod schemas add fields meets a database written by the old one. The
 * local copy is not only a replica: a handler's steps written offline wait in it to be pushed.
 */
describe('a database written by an older app version', () => {
	const storage = () => wrappedValidateAjvStorage({ storage: getRxStorageDexie() });

	/** The schemas as the old app had them: version 0, before the fields this version added. */
	function oldSchemas(): Record<SyncCollection, RxJsonSchema<any>> {
		const old = structuredClone(rxSchemas) as Record<SyncCollection, RxJsonSchema<any> & { properties: Record<string, unknown> }>;
		delete old.events.properties.publicNote;
		delete old.events.properties.scope;
		delete old.media.properties.sha256;
		// Reports v1 and events v2: a lead unit, and the statuses and steps of withdrawing and contesting.
		delete old.reports.properties.leadUnitId;
		const without = (prop: unknown, values: string[]) => {
			const p = prop as { enum?: string[] };
			if (p.enum) p.enum = p.enum.filter((v) => !values.includes(v));
		};
		without(old.reports.properties.status, ['withdrawn', 'contested']);
		without(old.events.properties.type, ['withdrawn', 'contested']);
		// Reports v2: a pin placed on the map by hand is a location source.
		for (const place of (old.reports.properties.location as { oneOf: { properties: { source: unknown } }[] }).oneOf) without(place.properties.source, ['map']);
		// Reports v3: what the operations centre counts.
		for (const field of ['firstResponseAt', 'resolvedAt', 'reopenCount', 'satisfied']) delete old.reports.properties[field];
		// Reports v4: the units that have acted.
		delete old.reports.properties.actedByUnitIds;
		// Reports v5: the system that filed it through Open311.
		delete old.reports.properties.filedVia;
		for (const [name, schema] of Object.entries(old)) {
			(schema as { version: number }).version = 0;
			// The pinned hash proves these are the schemas the old version really stored.
			expect(schemaHash(schema), name).toBe(SCHEMA_HASHES[name as SyncCollection][0]);
		}
		return old;
	}

	function step(actorId: string, note: string): ReportEvent {
		return ReportEvent.parse({ id: uuidv7(), reportId: uuidv7(), tenantId: 'lam-dong', type: 'progress', actorId, actorRole: 'handler', unitId: 'police', note, at: '2025-08-01T09:00:00.000+07:00' });
	}

	/** A server that is unreachable until `online`: what it received, and one event it holds. */
	function fakeServer(held: ReportEvent) {
		const server = { online: false, failedPushes: 0, pushed: [] as ReportEvent[] };
		const replicate = (db: CauNoiDatabase) =>
			replicateRxCollection<ReportEvent, { n: number }>({
				collection: db.events,
				replicationIdentifier: 'cau-noi-events-test',
				live: true,
				retryTime: 20,
				waitForLeadership: false,
				pull: { handler: async (cp) => ({ documents: cp ? [] : [{ ...held, _deleted: false }], checkpoint: { n: 1 } }) },
				push: {
					handler: async (rows) => {
						if (!server.online) {
							server.failedPushes++;
							throw new Error('offline');
						}
						server.pushed.push(...rows.map((r) => r.newDocumentState as ReportEvent));
						return [];
					}
				}
			});
		return { server, replicate };
	}

	/** The old app: pulls the server's event, then the handler writes a step while offline. */
	async function writeOffline(name: string, schemas: Record<SyncCollection, RxJsonSchema<any>>, mine: ReportEvent, theirs: ReportEvent) {
		const { server, replicate } = fakeServer(theirs);
		const old = await createRxDatabase<CauNoiCollections>({ name, storage: storage(), multiInstance: true });
		// The strategies that version of the app had: one per version up to its own.
		const strategies = (c: string, version: number) => Object.fromEntries(Object.entries(migrationStrategies[c as SyncCollection]).filter(([v]) => +v <= version));
		const collections = Object.entries(schemas).map(([c, schema]) => [c, { schema, migrationStrategies: strategies(c, schema.version) }]);
		await old.addCollections(Object.fromEntries(collections) as never);
		const rep = replicate(old as CauNoiDatabase);
		await rep.awaitInitialReplication().catch(() => undefined);
		await vi.waitFor(async () => expect(await old.events.findOne(theirs.id).exec()).not.toBeNull());
		await old.events.insert(mine);
		await vi.waitFor(() => expect(server.failedPushes).toBeGreaterThan(0));
		await rep.cancel();
		await old.close();
	}

	async function pushAfterUpdate(db: CauNoiDatabase, theirs: ReportEvent) {
		const { server, replicate } = fakeServer(theirs);
		server.online = true;
		const rep = replicate(db);
		await rep.awaitInSync();
		await vi.waitFor(() => expect(server.pushed.length).toBeGreaterThan(0));
		await rep.cancel();
		return server.pushed;
	}

	it('keeps a step written offline through the schema migration, and pushes it afterwards', async () => {
		const name = `migrate-${Date.now()}`;
		const mine = step('staff:police', 'Đã đến hiện trường');
		const theirs = step('staff:ward', 'Đã chuyển công an');
		await writeOffline(name, oldSchemas(), mine, theirs);

		const db = await openDatabase({ name, storage: storage() });
		expect((await db.events.findOne(mine.id).exec())?.toJSON()).toMatchObject({ note: 'Đã đến hiện trường' });
		expect(await db.events.findOne(theirs.id).exec()).not.toBeNull();
		// Only the step that never reached the server goes up: what was pulled stays pulled.
		expect((await pushAfterUpdate(db, theirs)).map((e) => e.id)).toEqual([mine.id]);
		await db.remove();
	});

	it('keeps a step written offline when a schema changed without a new version (cannot migrate)', async () => {
		const name = `unmigratable-${Date.now()}`;
		const schemas = structuredClone(rxSchemas) as Record<SyncCollection, RxJsonSchema<any> & { properties: Record<string, unknown> }>;
		// Same version, other fields: what RxDB refuses with DB6.
		delete schemas.events.properties.publicNote;
		const mine = step('staff:police', 'Đã đến hiện trường');
		const theirs = step('staff:ward', 'Đã chuyển công an');
		await writeOffline(name, schemas, mine, theirs);

		const db = await openDatabase({ name, storage: storage() });
		expect((await db.events.findOne(mine.id).exec())?.toJSON()).toMatchObject({ note: 'Đã đến hiện trường' });
		expect((await pushAfterUpdate(db, theirs)).map((e) => e.id)).toEqual([mine.id]);
		await db.remove();
	});
});
