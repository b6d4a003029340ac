import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import type { Store, StoredDoc } from '../storage/storage';

/**
 * Keys of the systems that feed this province's server (the one-stop system's dossier feed; Open311
 * clients later). The key itself is shown once, when made; only its SHA-256 is kept, as the
 * document's id, so a request's key is found by one read and a copy of the database lets nobody in.
 * A revoked key stays listed (who made it, when it was last used) but opens nothing.
 */

/**
 * What a key may do; a key is made with the scopes its system needs only. `open311:requests`: the
 * GeoReport v2 feed (issue 16), whose clients send their key as `api_key`: it calls `verify` too.
 */
export const API_KEY_SCOPES = ['dossiers:import', 'open311:requests'] as const;
export const ApiKeyScope = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

export interface ApiKeyDoc extends StoredDoc {
	/** `h:<sha256 hex of the key>`. */
	id: string;
	/** The key's public id: what lists, revocations and logs name. */
	keyId: string;
	tenantId: string;
	name: string;
	scopes: ApiKeyScope[];
	hash: string;
	createdAt: string;
	createdBy: string;
	revokedAt?: string;
	revokedBy?: string;
	lastUsedAt?: string;
	uses: number;
}

/** A key as the admin sees it: never the key nor its hash. */
export interface ApiKeyView {
	id: string;
	name: string;
	scopes: ApiKeyScope[];
	createdAt: string;
	createdBy: string;
	lastUsedAt: string | null;
	uses: number;
	revokedAt: string | null;
}

/** The system a verified key stands for. */
export interface ApiKeyCaller {
	keyId: string;
	name: string;
	scopes: ApiKeyScope[];
}

const PREFIX = 'cn_';
/** `cn_` + 32 random bytes in base64url (43 characters): anything else is not a key, unread. */
export const API_KEY_SHAPE = /^cn_[A-Za-z0-9_-]{43}$/;
/** Usage is written at most this often per key: a feed sending every second must not write every second. */
const USE_WRITE_MS = 60_000;
/** Keys a province keeps (revoked ones included): a list, not a database. */
export const MAX_KEYS = 200;
const ID_START = 'h:';
const ID_END = 'h;';

export function generateApiKey(): string {
	return PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
	return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The key a request carries: `Authorization: ApiKey <key>` or `X-Api-Key: <key>`; null when it carries none. */
export function apiKeyFromRequest(req: IncomingMessage): string | null {
	const auth = req.headers.authorization;
	if (auth) {
		const m = /^ApiKey\s+(\S+)$/i.exec(auth);
		if (m) return m[1];
	}
	const h = req.headers['x-api-key'];
	const v = Array.isArray(h) ? h[0] : h;
	return v ? v.trim() : null;
}

export const viewOf = (d: ApiKeyDoc): ApiKeyView => ({
	id: d.keyId,
	name: d.name,
	scopes: d.scopes,
	createdAt: d.createdAt,
	createdBy: d.createdBy,
	lastUsedAt: d.lastUsedAt ?? null,
	uses: d.uses,
	revokedAt: d.revokedAt ?? null
});

const invalid = () => new ApiError(401, 'api_key_invalid', 'Khóa API không đúng hoặc đã bị thu hồi / The API key is unknown or revoked');

export type ApiKeyService = ReturnType<typeof createApiKeys>;

export function createApiKeys(deps: {
	store: Store<ApiKeyDoc>;
	tenantId: string;
	now?: () => Date;
	/** Each use of a key, for the log: a structured line naming the key and its system. */
	onUse?: (caller: ApiKeyCaller) => void;
}) {
	const now = deps.now ?? (() => new Date());
	/** Uses not yet written, and when each key's use was last written (this instance). */
	const pending = new Map<string, { uses: number; lastUsedAt: string }>();
	const written = new Map<string, number>();

	async function all(): Promise<ApiKeyDoc[]> {
		const ids = await deps.store.idsInRange({ start: ID_START, end: ID_END, limit: MAX_KEYS + 1 });
		const docs = await deps.store.getMany(ids);
		return [...docs.values()].map((v) => v.doc).filter((d) => d.tenantId === deps.tenantId);
	}

	/** Writes a key's pending uses over the revision read: a revocation in between is kept, the uses wait for the next write. */
	async function writeUse(id: string): Promise<void> {
		const p = pending.get(id);
		if (!p) return;
		pending.delete(id);
		written.set(id, Date.parse(p.lastUsedAt));
		const cur = (await deps.store.getMany([id])).get(id);
		if (!cur) return;
		const doc = { ...cur.doc, uses: (cur.doc.uses ?? 0) + p.uses, lastUsedAt: p.lastUsedAt };
		const [res] = await deps.store.bulkPut([{ doc, rev: cur.rev }]).catch(() => [{ ok: false }] as const);
		if (!res.ok) {
			const later = pending.get(id);
			pending.set(id, { uses: p.uses + (later?.uses ?? 0), lastUsedAt: later?.lastUsedAt ?? p.lastUsedAt });
		}
	}

	/** Counts one use: logged each time, written at most once a minute per key (a failed write never fails the request). */
	async function recordUse(id: string, caller: ApiKeyCaller): Promise<void> {
		deps.onUse?.(caller);
		const at = now();
		const p = pending.get(id);
		pending.set(id, { uses: (p?.uses ?? 0) + 1, lastUsedAt: at.toISOString() });
		if (at.getTime() - (written.get(id) ?? 0) >= USE_WRITE_MS) await writeUse(id).catch(() => undefined);
	}

	return {
		/** A new key for a named system: the answer holds the key, the only time it is ever given. */
		async create(input: { name: string; scopes: ApiKeyScope[]; by: string }): Promise<ApiKeyView & { key: string }> {
			if ((await all()).length >= MAX_KEYS) throw new ApiError(422, 'validation_failed', `Đã có ${MAX_KEYS} khóa / There are ${MAX_KEYS} keys already`);
			const key = generateApiKey();
			const hash = hashApiKey(key);
			const doc: ApiKeyDoc = {
				id: ID_START + hash,
				keyId: randomUUID(),
				tenantId: deps.tenantId,
				name: input.name,
				scopes: [...new Set(input.scopes)],
				hash,
				createdAt: now().toISOString(),
				createdBy: input.by,
				uses: 0
			};
			const [res] = await deps.store.bulkPut([{ doc, rev: null }]);
			if (!res.ok) throw new Error(`api key not stored: ${res.error}`);
			return { ...viewOf(doc), key };
		},

		/**
		 * The demo seed's well-known keys (tenant.json `demoApiKeys`): each created when absent,
		 * create-only, so a revoked or already seeded key is left as it is. Answers how many were created.
		 */
		async seed(entries: readonly { name: string; scopes: ApiKeyScope[]; key: string }[]): Promise<number> {
			if (!entries.length) return 0;
			const docs: ApiKeyDoc[] = entries.map((e) => {
				const hash = hashApiKey(e.key);
				return { id: ID_START + hash, keyId: randomUUID(), tenantId: deps.tenantId, name: e.name, scopes: [...new Set(e.scopes)], hash, createdAt: now().toISOString(), createdBy: 'seed:demo-tenant', uses: 0 };
			});
			const res = await deps.store.bulkPut(docs.map((doc) => ({ doc, rev: null })));
			const failed = res.find((r) => !r.ok && !r.conflict);
			if (failed && !failed.ok) throw new Error(`demo api key not stored: ${failed.error}`);
			return res.filter((r) => r.ok).length;
		},

		/** Every key of the province, newest first. */
		async list(): Promise<ApiKeyView[]> {
			return (await all()).map(viewOf).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
		},

		/** Revokes a key (kept, marked); null when there is no such key. Revoking twice keeps the first time. */
		async revoke(keyId: string, by: string): Promise<ApiKeyView | null> {
			for (let attempt = 0; attempt < 3; attempt++) {
				const doc = (await all()).find((d) => d.keyId === keyId);
				if (!doc) return null;
				if (doc.revokedAt) return viewOf(doc);
				const cur = (await deps.store.getMany([doc.id])).get(doc.id);
				if (!cur) return null;
				const next = { ...cur.doc, revokedAt: now().toISOString(), revokedBy: by };
				const [res] = await deps.store.bulkPut([{ doc: next, rev: cur.rev }]);
				if (res.ok) return viewOf(next);
			}
			throw new Error(`api key ${keyId}: still changing after 3 attempts`);
		},

		/**
		 * The system a key stands for (throws 401 api_key_invalid for an unknown, malformed or revoked
		 * key). Found by its hash, then compared in constant time. `scope`: the key must hold it (403).
		 * A key that passes counts as used.
		 */
		async verify(key: string, scope?: ApiKeyScope): Promise<ApiKeyCaller> {
			if (!API_KEY_SHAPE.test(key)) throw invalid();
			const hash = hashApiKey(key);
			const doc = await deps.store.get(ID_START + hash);
			if (!doc || doc._deleted || doc.revokedAt || doc.tenantId !== deps.tenantId) throw invalid();
			const a = Buffer.from(doc.hash, 'hex');
			const b = Buffer.from(hash, 'hex');
			if (a.length !== b.length || !timingSafeEqual(a, b)) throw invalid();
			if (scope && !doc.scopes.includes(scope))
				throw new ApiError(403, 'forbidden_scope', `Khóa API không có quyền ${scope} / The API key lacks the scope ${scope}`);
			const caller = { keyId: doc.keyId, name: doc.name, scopes: doc.scopes };
			await recordUse(doc.id, caller);
			return caller;
		},

		/** Writes the uses still pending (closing). */
		async flush(): Promise<void> {
			for (const id of [...pending.keys()]) await writeUse(id).catch(() => undefined);
		}
	};
}
