/**
 * A stand-in for a CouchDB cluster: a standalone express-pouchdb (pouchdb-server's core) on
 * pouchdb-node, in its own temp dir, on an ephemeral loopback port, with an admin (no admin party,
 * like a real cluster). The integration suite runs against it when STORAGE_MODE=couch, so the same
 * tests cover the sync-server's HTTP storage path. Tests of a database outage can stop and start
 * its listener again on the same port, or freeze it (wedged, never answering).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb-node';

export interface CouchStandIn {
	/** With credentials: http://admin:<pw>@127.0.0.1:<port> */
	url: string;
	/**
	 * Stops the listener; connections are refused, as with a stopped CouchDB. The databases stay
	 * open, so the data is the same after `start`.
	 */
	stop(): Promise<void>;
	/** Listens again on the same port. */
	start(): Promise<void>;
	/** Wedged: connections are accepted, requests read, and never answered (until `unfreeze`). */
	freeze(): void;
	unfreeze(): void;
	/** Stops it for good and deletes its data. */
	close(): Promise<void>;
}

export async function startCouchStandIn(opts: { dirPrefix?: string } = {}): Promise<CouchStandIn> {
	const dir = await mkdtemp(path.join(tmpdir(), opts.dirPrefix ?? 'caunoi-couch-'));
	const password = randomBytes(12).toString('base64url');
	const Pouch = PouchDB.defaults({ prefix: dir + path.sep } as PouchDB.Configuration.DatabaseConfiguration);
	const app = expressPouchDB({ mode: 'fullCouchDB', inMemoryConfig: true, logPath: path.join(dir, 'log.txt') });
	await new Promise<void>((resolve, reject) =>
		app.couchConfig.set('admins', 'admin', password, (err) => (err ? reject(err) : resolve()))
	);
	await app.setPouchDB(Pouch);
	let frozen = false;
	const held = new Set<ServerResponse>();
	const listen = async (port: number): Promise<Server> => {
		const server = createServer((req, res) => {
			if (frozen) return void held.add(res);
			app(req, res, () => {
				res.statusCode = 404;
				res.end();
			});
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', resolve);
		});
		return server;
	};
	let server: Server | null = await listen(0);
	const port = (server.address() as AddressInfo).port;
	const couch: CouchStandIn = {
		url: `http://admin:${password}@127.0.0.1:${port}`,
		async stop() {
			const running = server;
			server = null;
			if (!running) return;
			// Open keep-alive connections and live changes feeds (long-polls) would outlive close(): cut them.
			running.closeAllConnections();
			await new Promise<void>((resolve) => running.close(() => resolve()));
		},
		async start() {
			if (server) throw new Error('The CouchDB stand-in is already running');
			server = await listen(port);
		},
		freeze() {
			frozen = true;
		},
		unfreeze() {
			frozen = false;
			// Whoever still waits on a held request gave up long ago: drop those connections.
			for (const res of held) res.socket?.destroy();
			held.clear();
		},
		async close() {
			couch.unfreeze();
			await couch.stop();
			await rm(dir, { recursive: true, force: true }).catch(() => undefined);
		}
	};
	return couch;
}
