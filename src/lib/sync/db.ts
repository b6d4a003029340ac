import { createRxDatabase, removeRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { Contact } from '../domain/contact';
import type { ReportEvent } from '../domain/event';
import type { Media } from '../domain/media';
import type { Report } from '../domain/report';
import { rxSchemas } from './rx-schemas';

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

export const DB_NAME = 'cau-noi-inbox';
/** The resident's own reports (/my): a separate database, since one phone may hold both. */
export const MY_DB_NAME = 'cau-noi-my';

export interface OpenOptions {
	name?: string;
	/** Tests pass a validating storage; the app uses plain Dexie (the server validates with zod). */
	storage?: RxStorage<any, any>;
}

async function create(name: string, storage: RxStorage<any, any>): Promise<CauNoiDatabase> {
	const db = await createRxDatabase<CauNoiCollections>({ name, storage, multiInstance: true, eventReduce: true });
	try {
		await db.addCollections({
			reports: { schema: rxSchemas.reports },
			contacts: { schema: rxSchemas.contacts },
			events: { schema: rxSchemas.events },
			media: { schema: rxSchemas.media }
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
	try {
		return await create(name, storage);
	} catch (e) {
		// The schema changed with a new app version (DB6). The local copy is only a replica of the
		// server: drop it and pull again rather than migrate.
		if ((e as { code?: string }).code !== 'DB6') throw e;
		await removeRxDatabase(name, storage);
		return create(name, storage);
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
