/**
 * The slice of PouchDB's API the sync-server uses. Written here instead of depending on
 * @types/pouchdb: its pouchdb-core package redeclares the global `Buffer`, which breaks Node's
 * Buffer typing across the whole project under TypeScript 6.
 */
declare namespace PouchDB {
	namespace Core {
		interface Error {
			error?: boolean | string;
			status?: number;
			name?: string;
			message?: string;
			reason?: string;
			id?: string;
			rev?: string;
		}
		interface Response {
			ok: boolean;
			id: string;
			rev: string;
		}
		type PutDocument<T> = T & { _id?: string; _rev?: string; _deleted?: boolean };
		type ExistingDocument<T> = T & { _id: string; _rev: string; _deleted?: boolean };
		interface ChangesResponseChange<T> {
			id: string;
			seq: number | string;
			changes: { rev: string }[];
			deleted?: boolean;
			doc?: ExistingDocument<T>;
		}
		interface ChangesResponse<T> {
			results: ChangesResponseChange<T>[];
			last_seq: number | string;
		}
		interface ChangesOptions {
			since?: number | string;
			limit?: number;
			include_docs?: boolean;
			live?: boolean;
			doc_ids?: string[];
			batch_size?: number;
			timeout?: number | false;
			heartbeat?: number | false;
			return_docs?: boolean;
		}
		interface Changes<T> extends PromiseLike<ChangesResponse<T>> {
			on(event: 'change', cb: (c: ChangesResponseChange<T>) => void): this;
			on(event: 'complete', cb: (r: ChangesResponse<T>) => void): this;
			on(event: 'error', cb: (err: unknown) => void): this;
			cancel(): void;
		}
		interface AllDocsRow<T> {
			id: string;
			key: string;
			value: { rev: string; deleted?: boolean };
			doc?: ExistingDocument<T> | null;
			error?: string;
		}
		interface AllDocsResponse<T> {
			total_rows: number;
			offset: number;
			rows: AllDocsRow<T>[];
		}
	}
	namespace Configuration {
		interface DatabaseConfiguration {
			prefix?: string;
			adapter?: string;
			[k: string]: unknown;
		}
	}
	interface Database<T extends object = object> {
		name: string;
		get(id: string): Promise<Core.ExistingDocument<T>>;
		put(doc: Core.PutDocument<T>): Promise<Core.Response>;
		allDocs(opts?: {
			keys?: string[];
			include_docs?: boolean;
			limit?: number;
			startkey?: string;
			endkey?: string;
			inclusive_end?: boolean;
		}): Promise<Core.AllDocsResponse<T>>;
		bulkDocs(docs: Core.PutDocument<T>[], opts?: { new_edits?: boolean }): Promise<(Core.Response | Core.Error)[]>;
		changes(opts: Core.ChangesOptions): Core.Changes<T>;
		info(): Promise<{ doc_count: number; update_seq: number | string; db_name: string }>;
		close(): Promise<void>;
		destroy(): Promise<void>;
	}
	interface Static {
		new <T extends object = object>(name: string, opts?: Configuration.DatabaseConfiguration): Database<T>;
		defaults(opts: Configuration.DatabaseConfiguration): Static;
		plugin(p: unknown): Static;
	}
}

declare module 'pouchdb-node' {
	const PouchDB: PouchDB.Static;
	export default PouchDB;
}
