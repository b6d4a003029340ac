import { addRxPlugin, createRxDatabase, removeRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { Contact } from '../domain/contact';
import type { ReportEvent } from '../domain/event';
import type { Media } from '../domain/media';
import type { Report } from '../domain/report';
import { DB_NAME, MY_DB_NAME } from './db-names';
import { migrationStrategies, rxSchemas } from './rx-schemas';

// A new app version migrates what the device stored under an older schema (rx-schemas.ts).
addRxPlugin(RxDBMigrationSchemaPlugin);

/**
 * The replicated documents on the device: RxDB on Dexie (IndexedDB). Loaded only by the pages
 * that need live queries (the handler inbox), never by the report form. Four collections, well
 * under the free tier's 13. Dev-mode is added by unit tests only, never in a build.
 */

export type CauNoiCollections = {
	reports: RxCollection<Report>;
	contacts: RxCollection<Contact>;
	events: RxCollection<ReportEvent>;
	media: RxCollection<Media>;
};
export type CauNoiDatabase = RxDatabase<CauNoiCollections>;

export { DB_NAME, MY_DB_NAME };

export interface OpenOptions {
	name?: string;
	/** Tests pass a validating storage; the app uses plain Dexie (the server validates with zod). */
	storage?: RxStorage<any, any>;
}

async function create(name: string, storage: RxStorage<any, any>): Promise<CauNoiDatabase> {
	const db = await createRxDatabase<CauNoiCollections>({ name, storage, multiInstance: true, eventReduce: true });
	try {
		// autoMigrate (RxDB's default): each collection is migrated before addCollections resolves,
		// so no replication starts on a collection that is still being migrated. The migration
		// carries the replications' meta data along: a write not pushed yet is pushed afterwards.
		await db.addCollections({
			reports: { schema: rxSchemas.reports, migrationStrategies: migrationStrategies.reports },
			contacts: { schema: rxSchemas.contacts, migrationStrategies: migrationStrategies.contacts },
			events: { schema: rxSchemas.events, migrationStrategies: migrationStrategies.events },
			media: { schema: rxSchemas.media, migrationStrategies: migrationStrategies.media }
		});
	} catch (e) {
		await db.close();
		throw e;
	}
	return db;
}

export async function openDatabase(opts: OpenOptions = {}): Promise<CauNoiDatabase> {
	const name = opts.name ?? DB_NAME;
	const storage = opts.storage ?? getRxStorageDexie();
	let db: CauNoiDatabase;
	try {
		db = await create(name, storage);
	} catch (e) {
		// Cannot be migrated: a schema changed without a new version (DB6, which rx-schemas.spec.ts
		// is there to prevent) or a migration strategy failed (DM4). Without a way out the page could
		// never open its database again: drop it and pull again, but first take out what this
		// device wrote and has not pushed (db-rescue.ts), which exists nowhere else.
		const code = (e as { code?: string }).code;
		if (code !== 'DB6' && code !== 'DM4') throw e;
		const rescue = await import('./db-rescue');
		const unpushed = await rescue.readUnpushed(name, storage).catch((err) => {
			console.error('[db] could not read the unpushed writes before dropping the database', err);
			return {};
		});
		rescue.stash(name, unpushed);
		console.warn(`[db] ${code}: database ${name} dropped; unpushed writes kept:`, Object.values(unpushed).flat().length);
		await removeRxDatabase(name, storage);
		db = await create(name, storage);
		await rescue.restore(db, name, unpushed);
		return db;
	}
	// A previous start dropped the database and was closed before it wrote the rescued writes back.
	if (hasRescueStash(name)) await (await import('./db-rescue')).restore(db, name);
	return db;
}

function hasRescueStash(name: string): boolean {
	try {
		return !!globalThis.localStorage?.getItem(`cau-noi-rescue:${name}`);
	} catch {
		return false;
	}
}

/** Open databases by name: the handler's inbox and the resident's reports can both be open in one page. */
const shared = new Map<string, Promise<CauNoiDatabase>>();

/** The page's one database of that name (RxDB refuses to open the same name twice in one page). */
export function getDatabase(opts: OpenOptions = {}): Promise<CauNoiDatabase> {
	const name = opts.name ?? DB_NAME;
	let db = shared.get(name);
	if (!db) {
		db = openDatabase({ ...opts, name }).catch((e) => {
			shared.delete(name);
			throw e;
		});
		shared.set(name, db);
	}
	return db;
}

/**
 * RxDB's Dexie storage "remove" clears the documents but leaves each collection's IndexedDB
 * database (and the replication's meta data) behind: delete them all by name.
 */
async function deleteIndexedDbs(name: string): Promise<void> {
	const idb = globalThis.indexedDB as (IDBFactory & { databases?: () => Promise<IDBDatabaseInfo[]> }) | undefined;
	const all = (await idb?.databases?.().catch(() => [])) ?? [];
	const prefix = `rxdb-dexie-${name}--`;
	await Promise.all(
		all
			.filter((d) => d.name?.startsWith(prefix))
			.map(
				(d) =>
					new Promise<void>((resolve) => {
						const req = idb!.deleteDatabase(d.name!);
						req.onsuccess = req.onerror = () => resolve();
						// Another tab still has it open: it goes when that tab closes; do not wait for it.
						req.onblocked = () => setTimeout(resolve, 2_000);
					})
			)
	);
}

/** Logout: the official's inbox (reports, contacts with phone numbers) must not stay on the device. */
export async function removeDatabase(name = DB_NAME): Promise<void> {
	const open = shared.get(name);
	const db = open ? await open.catch(() => null) : null;
	shared.delete(name);
	if (db) await db.remove();
	else await removeRxDatabase(name, getRxStorageDexie()).catch(() => undefined);
	await deleteIndexedDbs(name);
}
