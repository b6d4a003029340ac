import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '$lib/domain/principal';
import { authenticateFirst, principalOf, type TokenService } from '../auth/tokens';
import { ApiError } from '../http/api-error';
import { API_KEY_SCOPES, ApiKeyScope, apiKeyFromRequest, type ApiKeyCaller, type ApiKeyService, type ApiKeyView } from './api-keys.service';

/**
 * The admin manages the keys of the systems that feed the server:
 *   POST   /api/admin/api-keys       { name, scopes } → 201 { id, name, scopes, createdAt, …, key }  (the key: this once)
 *   GET    /api/admin/api-keys       → { keys: [...] }  (never a key nor its hash)
 *   DELETE /api/admin/api-keys/:id   → the key, revoked (kept in the list)
 * and `keyOrToken` lets a route take a key with a scope besides a signed-in user's token.
 */

const BODY_LIMIT = 4 * 1024;
const CreateBody = z.strictObject({
	name: z.string().trim().min(1).max(80),
	scopes: z.array(ApiKeyScope).min(1).max(API_KEY_SCOPES.length)
});
/** ApiKeyView (api-keys.service.ts) as the answers carry it: checked against that type here. */
const KeyView = z.object({
	id: z.string(),
	name: z.string(),
	scopes: z.array(ApiKeyScope),
	createdAt: z.string(),
	createdBy: z.string(),
	lastUsedAt: z.string().nullable(),
	uses: z.number().int(),
	revokedAt: z.string().nullable()
}) satisfies z.ZodType<ApiKeyView>;
/** The key itself: in this answer only, never again. */
const MadeKey = KeyView.extend({ key: z.string() });
/** A key's requests per minute: a feed sends a batch at a time, not a row at a time. */
export const KEY_RATE_LIMIT = 60;
/** Requests per minute from one address to a route that takes keys, before any key is looked at. */
export const ADDRESS_RATE_LIMIT = 120;

function adminOnly(p: Principal): void {
	if (p.role !== 'admin') throw new ApiError(403, 'forbidden_scope', 'Chỉ quản trị viên quản lý khóa API / Only an admin manages API keys');
}

export async function apiKeyRoutes(app: FastifyInstance, deps: { tokens: TokenService; keys: ApiKeyService }) {
	const r = app.withTypeProvider<ZodTypeProvider>();
	const authed = { onRequest: authenticateFirst(deps.tokens) };

	r.post('/api/admin/api-keys', { ...authed, bodyLimit: BODY_LIMIT, schema: { body: CreateBody, response: { 201: MadeKey } } }, async (req, reply) => {
		const p = principalOf(req);
		adminOnly(p);
		const made = await deps.keys.create({ name: req.body.name, scopes: req.body.scopes, by: p.sub });
		req.log.info({ apiKeyId: made.id, system: made.name, by: p.sub }, 'api key created');
		reply.header('cache-control', 'no-store');
		return reply.code(201).send(made);
	});

	r.get('/api/admin/api-keys', { ...authed, schema: { response: { 200: z.object({ keys: z.array(KeyView) }) } } }, async (req, reply) => {
		adminOnly(principalOf(req));
		reply.header('cache-control', 'no-store');
		return { keys: await deps.keys.list() };
	});

	r.delete('/api/admin/api-keys/:id', { ...authed, schema: { params: z.object({ id: z.string().max(60) }), response: { 200: KeyView } } }, async (req) => {
		const p = principalOf(req);
		adminOnly(p);
		const done = await deps.keys.revoke(req.params.id, p.sub);
		if (!done) throw new ApiError(404, 'not_found', 'Không có khóa này / No such key');
		req.log.info({ apiKeyId: done.id, system: done.name, by: p.sub }, 'api key revoked');
		return done;
	});
}

type RateLimitCheck = ReturnType<FastifyInstance['createRateLimit']>;

/** Applies a limiter made by `app.createRateLimit` in a hook: over it, 429 with Retry-After (a route's own error shape). */
export async function enforceLimit(limit: RateLimitCheck, req: FastifyRequest, reply: FastifyReply): Promise<void> {
	const res = await limit(req);
	if (res.isAllowed || !res.isExceeded) return;
	reply.header('retry-after', String(res.ttlInSeconds));
	throw new ApiError(429, 'rate_limited', 'Quá nhiều yêu cầu, vui lòng đợi một phút / Too many requests, wait a minute');
}

/** Who called a route that takes keys or tokens. */
export type KeyOrTokenCaller = { kind: 'key'; key: ApiKeyCaller } | { kind: 'token'; principal: Principal };

const callers = new WeakMap<FastifyRequest['raw'], KeyOrTokenCaller>();

/**
 * Route options for a route a system calls with its key (holding `scope`) and a signed-in user with
 * a token: both authenticated in `onRequest`, before the body is read. Limited per address first
 * (bogus keys cost a hash each), then per key or user (a leaked key cannot flood the route).
 * The handler decides what a token's role may do; `callerOf(req)` says who it is.
 */
export function keyOrToken(app: FastifyInstance, deps: { tokens: TokenService; keys: ApiKeyService | undefined; scope: ApiKeyScope }) {
	const perAddress = app.createRateLimit({ max: ADDRESS_RATE_LIMIT, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => `keyed-address|${req.ip}` });
	const limitAddress = (req: FastifyRequest, reply: FastifyReply) => enforceLimit(perAddress, req, reply);
	const authenticate = async (req: FastifyRequest) => {
		const key = apiKeyFromRequest(req.raw);
		if (key !== null) {
			if (!deps.keys) throw new ApiError(401, 'api_key_invalid', 'Máy chủ không nhận khóa API / This server takes no API keys');
			callers.set(req.raw, { kind: 'key', key: await deps.keys.verify(key, deps.scope) });
		} else callers.set(req.raw, { kind: 'token', principal: await deps.tokens.authenticate(req.raw) });
	};
	const identity = (req: FastifyRequest) => {
		const c = callers.get(req.raw);
		return c?.kind === 'key' ? `key|${c.key.keyId}` : c ? `user|${c.principal.sub}` : `address|${req.ip}`;
	};
	return {
		/** Spread into the route's options: they run in this order, the plugin's limiter after them (it appends its hook). */
		get route() {
			return {
				onRequest: [limitAddress, authenticate],
				config: { rateLimit: { max: KEY_RATE_LIMIT, timeWindow: 60_000, keyGenerator: identity } }
			};
		},
		callerOf(req: FastifyRequest): KeyOrTokenCaller {
			const c = callers.get(req.raw);
			if (!c) throw new Error('callerOf: the route has no keyOrToken hooks');
			return c;
		}
	};
}
