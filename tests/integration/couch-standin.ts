/**
 * A stand-in for a CouchDB cluster: a standalone express-pouchdb (pouchdb-server's core) on
 * pouchdb-node, in its own temp dir, on an ephemeral loopback port, with an admin (no admin party,
 * like a real cluster). The integration suite runs against it when STORAGE_MODE=couch, so the same
 * tests cover the sync-server's HTTP storage path.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb-node';

export interface CouchStandIn {
	/** With credentials: http://admin:<pw>@127.0.0.1:<port> */
	url: string;
	close(): Promise<void>;
}

export async function startCouchStandIn(): Promise<CouchStandIn> {
	const dir = await mkdtemp(path.join(tmpdir(), 'caunoi-couch-'));
	const password = randomBytes(12).toString('base64url');
	const Pouch = PouchDB.defaults({ prefix: dir + path.sep } as PouchDB.Configuration.DatabaseConfiguration);
	const app = expressPouchDB({ mode: 'fullCouchDB', inMemoryConfig: true, logPath: path.join(dir, 'log.txt') });
	await new Promise<void>((resolve, reject) =>
		app.couchConfig.set('admins', 'admin', password, (err) => (err ? reject(err) : resolve()))
	);
	await app.setPouchDB(Pouch);
	const server = createServer((req, res) =>
		app(req, res, () => {
			res.statusCode = 404;
			res.end();
		})
	);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://admin:${password}@127.0.0.1:${port}`,
		async close() {
			// Live changes feeds hold long-polls open: cut them rather than wait.
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await rm(dir, { recursive: true, force: true }).catch(() => undefined);
		}
	};
}
