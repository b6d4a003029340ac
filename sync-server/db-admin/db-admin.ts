import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import expressPouchDB, { type ExpressPouchDBApp } from 'express-pouchdb';
import PouchDB from 'pouchdb-node';
import type { ErrorCode } from '$lib/domain/errors';
import { DB_ADMIN_SECURITY_HEADERS, setSecurityHeaders } from '../http/security';
import { levelDbDir } from '../storage/pouch-storage';
import { STORE_NAMES } from '../storage/storage';

/**
 * /_db: express-pouchdb (pouchdb-server's core, with Fauxton at /_db/_utils/) over the same LevelDB
 * databases the server uses, for operators only: backups, inspection, replication to a CouchDB.
 *
 * express-pouchdb 4.2 must never see an untrusted request: it starts as "admin party", lets anyone
 * read a database without a _security object, and crashes the process (unhandled rejection) on
 * `_changes?filter=` naming a missing design doc, on a `_list` of one, and on a non-admin `PUT /db`
 * once an admin exists. So, in front of it: loopback only (unless DB_ADMIN_REMOTE=1), HTTP Basic
 * `admin:<DB_ADMIN_PASSWORD>`, cookies dropped (every request it sees is the admin's), its admin set
 * to the same password in an in-memory config (no config.json in cwd, no admin party), and
 * requests naming a design doc that does not exist refused before they reach it.
 */
const DB_ADMIN_USER = 'admin';

export interface DbAdminGuardOptions {
	password: string;
	allowRemote: boolean;
}

export type GuardResult = { ok: true } | { ok: false; status: 401 | 403; code: ErrorCode; message: string };

function isLoopback(addr: string | undefined): boolean {
	if (!addr) return false;
	return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

const digest = (s: string) => new Uint8Array(createHash('sha256').update(s).digest());

/** Whether a request may reach /_db. Pure: tested directly with any remote address. */
export function checkDbAdminAccess(
	req: { headers: IncomingHttpHeaders; socket: { remoteAddress?: string } },
	opts: DbAdminGuardOptions
): GuardResult {
	// Behind a reverse proxy on the same host every request comes from loopback: a forwarded
	// request came from elsewhere.
	const forwarded = Boolean(req.headers['x-forwarded-for'] || req.headers.forwarded);
	if (!opts.allowRemote && (forwarded || !isLoopback(req.socket.remoteAddress)))
		return {
			ok: false,
			status: 403,
			code: 'forbidden_scope',
			message: '/_db chỉ mở từ máy chủ / /_db is only reachable from the server itself (set DB_ADMIN_REMOTE=1 to allow)'
		};
	const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization ?? '');
	const [user, ...rest] = m ? Buffer.from(m[1], 'base64').toString('utf8').split(':') : [];
	const pass = rest.join(':');
	// Compare digests: equal length, constant time, whatever was sent.
	const ok = user === DB_ADMIN_USER && timingSafeEqual(digest(pass), digest(opts.password));
	if (!ok)
		return {
			ok: false,
			status: 401,
			code: m ? 'bad_credentials' : 'unauthenticated',
			message: 'Cần tài khoản quản trị CSDL / Database admin credentials required'
		};
	return { ok: true };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
	if (res.headersSent) return void res.end();
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
	res.end(JSON.stringify(body));
}

const errorBody = (code: ErrorCode, message: string) => ({ error: { code, message } });

export interface DbAdminOptions extends DbAdminGuardOptions {
	dataDir: string;
	/** One per tenant (`<DB_PREFIX><tenant>-`): their databases are listed in _all_dbs. */
	dbPrefixes: string[];
	couchdbUrl?: string;
	log: { error(obj: unknown, msg?: string): void };
}

/** Strips credentials from a URL for messages. */
function publicUrl(u: string): string {
	try {
		const url = new URL(u);
		url.username = '';
		url.password = '';
		return url.toString().replace(/\/$/, '');
	} catch {
		return 'the CouchDB cluster';
	}
}

export function createDbAdmin(opts: DbAdminOptions) {
	const Pouch = PouchDB.defaults({
		prefix: levelDbDir(opts.dataDir) + path.sep
	} as PouchDB.Configuration.DatabaseConfiguration) as PouchDB.Static & { allDbs(): Promise<string[]> };
	let ready: Promise<ExpressPouchDBApp> | null = null;
	// Instances are kept open: closing one would close the LevelDB store the sync-server shares.
	const dbs = new Map<string, PouchDB.Database>();
	const db = (name: string) => {
		let d = dbs.get(name);
		if (!d) dbs.set(name, (d = new Pouch(name)));
		return d;
	};

	async function start(): Promise<ExpressPouchDBApp> {
		const app = expressPouchDB({
			mode: 'fullCouchDB',
			inMemoryConfig: true,
			logPath: path.join(opts.dataDir, 'db-admin.log')
		});
		await new Promise<void>((resolve, reject) =>
			app.couchConfig.set('admins', DB_ADMIN_USER, opts.password, (err) => (err ? reject(err) : resolve()))
		);
		await app.setPouchDB(Pouch);
		// Opening them here lists the server's databases in _all_dbs (Fauxton).
		await Promise.all(opts.dbPrefixes.flatMap((prefix) => STORE_NAMES.map((n) => db(prefix + n).info())));
		return app;
	}

	/** Why a request would crash express-pouchdb, or null when it is safe. */
	async function crashReason(url: URL): Promise<string | null> {
		const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
		const [dbName, second, ddoc, kind, fn] = parts;
		if (!dbName || dbName.startsWith('_')) return null;
		const param = (k: string) => {
			const v = url.searchParams.get(k);
			if (v === null) return null;
			try {
				const parsed = JSON.parse(v) as unknown;
				return typeof parsed === 'string' ? parsed : v;
			} catch {
				return v;
			}
		};
		let need: { ddoc: string; field: 'filters' | 'views' | 'lists'; name: string } | null = null;
		if (second === '_changes') {
			const filter = param('filter');
			if (!filter || ['_doc_ids', '_selector', '_design'].includes(filter)) return null;
			const named = filter === '_view' ? param('view') : filter;
			const [d, n] = (named ?? '').split('/');
			need = { ddoc: d ?? '', field: filter === '_view' ? 'views' : 'filters', name: n ?? '' };
		} else if (second === '_design' && kind === '_list') {
			need = { ddoc: ddoc ?? '', field: 'lists', name: fn ?? '' };
		}
		if (!need) return null;
		if (!(await Pouch.allDbs()).includes(dbName)) return null; // answered "no_db_file" by express-pouchdb
		try {
			const doc = (await db(dbName).get(`_design/${need.ddoc}`)) as Record<string, unknown>;
			const fns = doc[need.field] as Record<string, unknown> | undefined;
			if (fns && need.name && fns[need.name] !== undefined) return null;
		} catch {
			/* missing design doc: refused below */
		}
		return `_design/${need.ddoc} has no ${need.field.slice(0, -1)} "${need.name}"`;
	}

	return {
		/** Handles a raw request whose path starts with /_db. */
		async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
			// Fastify's helmet never sees these answers: the same headers, set here for all of them.
			setSecurityHeaders(res, DB_ADMIN_SECURITY_HEADERS);
			try {
				const access = checkDbAdminAccess(req, opts);
				if (!access.ok)
					return sendJson(res, access.status, errorBody(access.code, access.message), {
						'www-authenticate': 'Basic realm="Cau Noi database admin", charset="UTF-8"'
					});
				if (opts.couchdbUrl)
					return sendJson(
						res,
						404,
						errorBody(
							'not_found',
							`Dữ liệu nằm trong cụm CouchDB; dùng Fauxton của cụm / Data lives in the CouchDB cluster: use its own Fauxton at ${publicUrl(opts.couchdbUrl)}/_utils/`
						)
					);
				const url = new URL(req.url ?? '/', 'http://localhost');
				const inner = url.pathname.slice('/_db'.length) || '/';
				if (inner === '/_utils') return void res.writeHead(301, { location: '/_db/_utils/' }).end();
				const reason = await crashReason(new URL(inner + url.search, 'http://localhost'));
				if (reason) return sendJson(res, 404, { error: 'not_found', reason });
				const app = await (ready ??= start());
				req.url = inner + url.search;
				delete req.headers.cookie;
				app(req, res, (err?: unknown) => {
					if (err) opts.log.error({ err }, '/_db request failed');
					sendJson(res, err ? 500 : 404, errorBody(err ? 'server_error' : 'not_found', err ? 'Database admin error' : 'Not found'));
				});
			} catch (err) {
				opts.log.error({ err }, '/_db request failed');
				sendJson(res, 500, errorBody('server_error', 'Database admin error'));
			}
		}
	};
}
export type DbAdmin = ReturnType<typeof createDbAdmin>;
