import {
	createRxDatabase,
	deepEqual,
	getAllCollectionDocuments,
	getHeightOfRevision,
	normalizeMangoQuery,
	prepareQuery,
	type RxJsonSchema,
	type RxStorage,
	type RxStorageInstance
} from 'rxdb';

/**
 * The last resort when a device's database cannot be migrated to this app version's schemas (a
 * schema changed without a new version, or a migration strategy failed): the database is dropped
 * and pulled again, but what the user wrote on this device and the replication has not pushed
 * yet exists nowhere else. It is read here from the old storage with the schema it was stored
 * with, kept in localStorage while the database is recreated (a closed tab in between loses
 * nothing), and written into the new database as local writes, so the replication pushes it.
 * Loaded only on that path (dynamic import from db.ts).
 *
 * Only collections the device writes through RxDB are rescued (events; reports and contacts go
 * through the outbox, media is written by the server). Events are append-only and the push is
 * idempotent, so keeping one too many is harmless: keeping one too few is not.
 */

const RESCUED_COLLECTIONS = ['events'] as const;
type Rescued = Partial<Record<(typeof RESCUED_COLLECTIONS)[number], Record<string, unknown>[]>>;

const stashKey = (name: string) => `cau-noi-rescue:${name}`;

function storageOf(): Storage | undefined {
	try {
		return globalThis.localStorage;
	} catch {
		return undefined;
	}
}

type Doc = Record<string, unknown> & { _meta?: Record<string, unknown>; _rev?: string };

/** The document as the user wrote it, without what the storage and the replication add. */
function userData(doc: Doc): Record<string, unknown> {
	const { _meta: _m, _rev: _r, _attachments: _a, ...data } = doc;
	return data;
}

async function readAll(instance: RxStorageInstance<any, any, any>): Promise<Doc[]> {
	const schema = instance.schema as RxJsonSchema<any>;
	const query = prepareQuery(schema, normalizeMangoQuery(schema, { selector: {} }));
	return (await instance.query(query)).documents as Doc[];
}

/** A document the server already has: a replication holds it as the master's state, or pulled it unchanged. */
function isReplicated(doc: Doc, masters: Map<string, Doc>[]): boolean {
	const o = doc._meta?.o as { _rev?: number } | undefined;
	if (o && doc._rev && o._rev === getHeightOfRevision(doc._rev)) return true;
	const id = doc.id as string;
	return masters.some((m) => m.has(id) && deepEqual(userData(m.get(id)!), userData(doc)));
}

/** Reads the writes not pushed yet from the database `name`, whatever schema they were stored with. */
export async function readUnpushed(name: string, storage: RxStorage<any, any>): Promise<Rescued> {
	const db = await createRxDatabase({ name, storage, multiInstance: true });
	const open: RxStorageInstance<any, any, any>[] = [];
	const openInstance = async (collectionName: string, schema: RxJsonSchema<any>) => {
		const instance = await storage.createStorageInstance({
			databaseName: name,
			collectionName,
			schema,
			options: {},
			multiInstance: false,
			databaseInstanceToken: db.token,
			devMode: false
		});
		open.push(instance);
		return instance;
	};
	const rescued: Rescued = {};
	try {
		// Every stored version of the collection: a migration that failed midway leaves both.
		for (const meta of await getAllCollectionDocuments(db.internalStore)) {
			const collection = RESCUED_COLLECTIONS.find((c) => c === meta.data.name);
			if (!collection) continue;
			const docs = await readAll(await openInstance(meta.data.name, meta.data.schema));
			// The replications' record of what the server holds ('0': a document, '1': a checkpoint).
			const masters: Map<string, Doc>[] = [];
			for (const connected of meta.data.connectedStorages) {
				const rows = await readAll(await openInstance(connected.collectionName, connected.schema));
				masters.push(new Map(rows.filter((r) => r.isCheckpoint === '0').map((r) => [r.itemId as string, r.docData as Doc])));
			}
			const unpushed = docs.filter((d) => !d._deleted && !isReplicated(d, masters)).map(userData);
			(rescued[collection] ??= []).push(...unpushed);
		}
	} finally {
		await Promise.all(open.map((i) => i.close().catch(() => undefined)));
		await db.close();
	}
	return rescued;
}

/** Keeps the rescued writes outside the database while it is dropped and created again. */
export function stash(name: string, rescued: Rescued): void {
	storageOf()?.setItem(stashKey(name), JSON.stringify(rescued));
}

/** Writes the rescued documents into the new database as local writes (pushed by the replication). */
export async function restore(
	db: { [c in (typeof RESCUED_COLLECTIONS)[number]]: { bulkUpsert(docs: any[]): Promise<{ error: unknown[] }> } },
	name: string,
	rescued: Rescued = JSON.parse(storageOf()?.getItem(stashKey(name)) ?? '{}')
): Promise<number> {
	let kept = 0;
	const left: Rescued = {};
	for (const c of RESCUED_COLLECTIONS) {
		const docs: Record<string, unknown>[] = (rescued[c] ?? []).map((d) => ({ ...d, _deleted: false }));
		if (!docs.length) continue;
		const { error } = await db[c].bulkUpsert(docs);
		kept += docs.length - error.length;
		if (!error.length) continue;
		// Kept in the stash (and logged) rather than dropped: the next start tries again.
		console.error(`[db] ${error.length} rescued ${c} could not be written back`, error);
		const failed = new Set(error.map((e) => (e as { documentId?: string }).documentId));
		left[c] = docs.filter((d) => failed.has(d.id as string));
	}
	if (Object.keys(left).length) stash(name, left);
	else storageOf()?.removeItem(stashKey(name));
	return kept;
}
