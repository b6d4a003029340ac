/** express-pouchdb 4.2 ships no types; only what db-admin.ts uses. */
declare module 'express-pouchdb' {
	import type { IncomingMessage, ServerResponse } from 'node:http';
	export interface ExpressPouchDBApp {
		(req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void;
		couchConfig: { set(section: string, key: string, value: unknown, cb: (err?: unknown) => void): void };
		setPouchDB(p: unknown): Promise<void>;
	}
	export interface ExpressPouchDBOptions {
		mode?: 'fullCouchDB' | 'minimumForPouchDB' | 'custom';
		configPath?: string;
		logPath?: string;
		inMemoryConfig?: boolean;
		overrideMode?: { include?: string[]; exclude?: string[] };
	}
	function expressPouchDB(PouchDB: unknown, opts?: ExpressPouchDBOptions): ExpressPouchDBApp;
	export default expressPouchDB;
}
