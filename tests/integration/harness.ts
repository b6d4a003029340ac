/**
 * Starts the real sync-server for integration tests: port 0, a temporary DATA_DIR, and — when
 * STORAGE_MODE=couch (vitest project "integration-couch") — a CouchDB stand-in it stores into.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Contact } from '$lib/domain/contact';
import type { Report } from '$lib/domain/report';
import type { Checkpoint, PullResponse, PushResponse, SyncCollection } from '$lib/domain/sync-protocol';
import type { Principal } from '$lib/domain/principal';
import { buildServer, type BuildOptions, type ServerHandle } from '../../sync-server/app';
import { tenantSecret } from '../../sync-server/tenant/tenant-names';
import { makeContact, makeEvent, makeReport, type EventDoc } from '../support/documents';
import { startCouchStandIn, type CouchStandIn } from './couch-standin';

export const STORAGE_MODE = process.env.STORAGE_MODE === 'couch' ? 'couch' : 'leveldb';
export const TEST_TOKEN_SECRET = 'integration-test-secret-integration-test-secret';
/** The key the demo tenant (lam-dong) signs its tokens with, derived from TEST_TOKEN_SECRET (tests forge tokens with it). */
export const TEST_TENANT_KEY = new TextEncoder().encode(tenantSecret(TEST_TOKEN_SECRET, 'lam-dong'));
export const TEST_DB_ADMIN_PASSWORD = 'db-admin-test-password';
export const DEMO_PASSWORD = 'demo1234';

export interface TestServer {
	url: string;
	dataDir: string;
	handle: ServerHandle;
	/** The CouchDB stand-in (couch mode only), e.g. to start a second instance on it. */
	couch?: CouchStandIn;
	close(): Promise<void>;
}

/** Options are the server's (config, and `now`/`tenant` for tests); `couch` shares a CouchDB stand-in. */
export async function startServer(opts: BuildOptions & { couch?: CouchStandIn } = {}): Promise<TestServer> {
	const dataDir = await mkdtemp(path.join(tmpdir(), 'caunoi-it-'));
	const { couch: sharedCouch, ...config } = opts;
	const ownCouch = STORAGE_MODE === 'couch' && !sharedCouch && !config.couchdbUrl ? await startCouchStandIn() : undefined;
	const couch = sharedCouch ?? ownCouch;
	let handle: ServerHandle;
	try {
		handle = await buildServer({
			port: 0,
			host: '127.0.0.1',
			dataDir,
			logLevel: process.env.LOG_LEVEL ?? 'silent',
			tokenSecret: TEST_TOKEN_SECRET,
			dbAdminPassword: TEST_DB_ADMIN_PASSWORD,
			// No PWA unless a test brings one (the repo's build/ may or may not exist).
			staticDir: path.join(dataDir, 'no-build'),
			couchdbUrl: couch?.url,
			...config
		});
	} catch (e) {
		await ownCouch?.close();
		throw e;
	}
	return {
		url: handle.url,
		dataDir,
		handle,
		couch,
		async close() {
			await handle.close();
			await ownCouch?.close();
			await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
		}
	};
}

export interface Session {
	token: string;
	user: Principal;
}

export async function call<T = unknown>(
	url: string,
	init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}
): Promise<{ status: number; body: T; headers: Headers }> {
	const res = await fetch(url, {
		method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
		headers: {
			...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
			...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
			...init.headers
		},
		body: init.body === undefined ? undefined : JSON.stringify(init.body)
	});
	const text = await res.text();
	let body: unknown = text;
	try {
		body = text ? JSON.parse(text) : null;
	} catch {
		/* not JSON */
	}
	return { status: res.status, body: body as T, headers: res.headers };
}

export async function login(base: string, username: string, password = DEMO_PASSWORD): Promise<Session> {
	const res = await call<Session>(`${base}/api/auth/login`, { body: { username, password } });
	if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
	return res.body;
}

export interface DeviceSession extends Session {
	deviceId: string;
	secret: string;
}

/** A resident's anonymous device: registers on first call. */
export async function deviceSession(
	base: string,
	deviceId: string = randomUUID(),
	secret: string = randomBytes(32).toString('base64url')
): Promise<DeviceSession> {
	const res = await call<Session>(`${base}/api/auth/device`, { body: { deviceId, secret } });
	if (res.status !== 200) throw new Error(`device: ${res.status} ${JSON.stringify(res.body)}`);
	return { ...res.body, deviceId, secret };
}

export function push(base: string, token: string, collection: SyncCollection | string, docs: object[], assumed?: (object | null)[]) {
	const rows = docs.map((d, i) => ({ newDocumentState: d, assumedMasterState: assumed?.[i] ?? null }));
	return call<PushResponse>(`${base}/api/sync/${collection}/push`, { token, body: rows });
}

export function pull(base: string, token: string, collection: SyncCollection | string, checkpoint: Checkpoint | null = null, limit = 100) {
	const q = new URLSearchParams({ checkpoint: JSON.stringify(checkpoint), limit: String(limit) });
	return call<PullResponse<Record<string, unknown>>>(`${base}/api/sync/${collection}/pull?${q}`, { token });
}

/** Pulls page by page until an empty page, as RxDB does: a first sync, or from `from` on. */
export async function pullAll(base: string, token: string, collection: SyncCollection, limit = 100, from: Checkpoint | null = null) {
	const docs: Record<string, unknown>[] = [];
	let checkpoint = from;
	for (let i = 0; i < 1000; i++) {
		const res = await pull(base, token, collection, checkpoint, limit);
		if (res.status !== 200) throw new Error(`pull ${collection}: ${res.status} ${JSON.stringify(res.body)}`);
		docs.push(...res.body.documents);
		checkpoint = res.body.checkpoint;
		if (!res.body.documents.length) break;
	}
	return { docs, checkpoint };
}

export { makeContact, makeEvent, makeReport, type Actor, type DocState, type EventDoc } from '../support/documents';

/**
 * Signs several users in at once, in order: `'device'` registers a new anonymous resident device,
 * any other name logs that demo account in. E.g. `[ana, lamVien] = await signIn(url, 'device', 'ubnd-lam-vien')`.
 */
export function signIn<const T extends readonly string[]>(
	base: string,
	...who: T
): Promise<{ -readonly [K in keyof T]: T[K] extends 'device' ? DeviceSession : Session }> {
	return Promise.all(who.map((w) => (w === 'device' ? deviceSession(base) : login(base, w)))) as never;
}

/**
 * `author` files a report (makeReport with `overrides`), and its contact when one is given; both
 * must be accepted. Returns the report as stored: routed, with its tracking code and due time.
 */
export async function fileReport(
	base: string,
	author: Session,
	overrides: Partial<Report> & Record<string, unknown> = {},
	contact?: Partial<Contact>
): Promise<Report> {
	const report = makeReport(author.user.sub, overrides);
	const r = await push(base, author.token, 'reports', [report]);
	expect(r.body.rejected).toEqual([]);
	if (contact) expect((await push(base, author.token, 'contacts', [makeContact(report, contact)])).body.rejected).toEqual([]);
	return r.body.conflicts[0] as unknown as Report;
}

/** `s` appends a `type` event (makeEvent) to the report and the server accepts it; returns the event as sent. */
export async function act(base: string, s: Session, report: { id: string }, type: string, extra: Record<string, unknown> = {}): Promise<EventDoc> {
	const event = makeEvent(s, report, type, extra);
	expect((await push(base, s.token, 'events', [event])).body.rejected).toEqual([]);
	return event;
}

/** The document of `collection` with this id as `s` pulls it, or undefined when it is not theirs to see. */
export async function pulledDoc(base: string, s: Session, collection: SyncCollection, id: string): Promise<Record<string, unknown> | undefined> {
	return (await pullAll(base, s.token, collection)).docs.find((d) => d.id === id);
}

/** The report as `s` pulls it (with what the server derived), or undefined when it is not in their scope. */
export async function reportAs(base: string, s: Session, id: string): Promise<Report | undefined> {
	return (await pulledDoc(base, s, 'reports', id)) as Report | undefined;
}

/** Polls what `s` pulls until the report is flagged overdue (the server's job passes every few ms). */
export async function flaggedOverdue(base: string, s: Session, id: string, timeoutMs = 10_000): Promise<Report> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const r = await reportAs(base, s, id);
		if (r?.overdueAt) return r;
		if (Date.now() > until) throw new Error(`report ${id} was not flagged overdue within ${timeoutMs} ms`);
		await new Promise((res) => setTimeout(res, 50));
	}
}

export interface SseClient {
	/** The next `data:` payload (parsed JSON), or throws after `timeoutMs`. */
	next(timeoutMs?: number): Promise<unknown>;
	/** Resolves with every payload that arrives within `ms`. */
	collect(ms: number): Promise<unknown[]>;
	close(): void;
}

/** A minimal EventSource over fetch (Node has none): token in the query, as the device sends it. */
export function openStream(base: string, token: string, collection: SyncCollection): Promise<SseClient> {
	return openSse(`${base}/api/sync/${collection}/stream?token=${encodeURIComponent(token)}`);
}

/** The same for any SSE route (the URL carries its token). */
export async function openSse(url: string): Promise<SseClient> {
	const ac = new AbortController();
	const res = await fetch(url, { signal: ac.signal });
	if (res.status !== 200 || !res.body) throw new Error(`stream: ${res.status} ${await res.text()}`);
	const queue: unknown[] = [];
	const waiters: ((v: unknown) => void)[] = [];
	const decoder = new TextDecoder();
	let buffer = '';
	(async () => {
		const reader = res.body!.getReader();
		for (;;) {
			const { value, done } = await reader.read();
			if (done) break;
			buffer += decoder.decode(value, { stream: true });
			let i: number;
			while ((i = buffer.indexOf('\n\n')) >= 0) {
				const event = buffer.slice(0, i);
				buffer = buffer.slice(i + 2);
				const data = event
					.split('\n')
					.filter((l) => l.startsWith('data:'))
					.map((l) => l.slice(5).trim())
					.join('\n');
				if (!data) continue;
				const msg = JSON.parse(data) as unknown;
				const w = waiters.shift();
				if (w) w(msg);
				else queue.push(msg);
			}
		}
	})().catch(() => undefined);
	return {
		next(timeoutMs = 5000) {
			if (queue.length) return Promise.resolve(queue.shift());
			return new Promise((resolve, reject) => {
				const t = setTimeout(() => {
					const k = waiters.indexOf(w);
					if (k >= 0) waiters.splice(k, 1);
					reject(new Error(`no stream message within ${timeoutMs} ms`));
				}, timeoutMs);
				const w = (v: unknown) => {
					clearTimeout(t);
					resolve(v);
				};
				waiters.push(w);
			});
		},
		async collect(ms) {
			await new Promise((r) => setTimeout(r, ms));
			return queue.splice(0);
		},
		close: () => ac.abort()
	};
}
