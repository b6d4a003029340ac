import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { ApiError } from '../http/api-error';
// A token's claims are the domain's Principal: the same schema the device's session uses.
import { Principal, Principal as PrincipalClaims } from '$lib/domain/principal';

export interface SignedToken {
	token: string;
	/** ISO time the token stops working. */
	expiresAt: string;
}

export interface TokenService {
	sign(p: Principal): Promise<SignedToken>;
	/** The principal of a valid token; throws ApiError 401 token_expired | token_invalid. */
	verifyToken(token: string): Promise<Principal>;
	/**
	 * The principal of a request: `Authorization: Bearer <token>`, or `?token=` on GET/HEAD
	 * (EventSource and <img src> cannot send headers). Throws ApiError 401 unauthenticated | token_expired | token_invalid.
	 */
	authenticate(req: IncomingMessage): Promise<Principal>;
	/** As `authenticate`, with the time (ms) the token stops working: a live stream ends then. */
	authenticateSession(req: IncomingMessage): Promise<{ principal: Principal; expiresAt: number }>;
}

/** Tolerated difference between this server's clock and the one that signed (several instances). */
const CLOCK_SKEW_SECONDS = 300;

/** The token carried by a request, if any (header first, then `?token=` on a GET/HEAD). */
export function tokenFromRequest(req: IncomingMessage): string | null {
	const h = req.headers.authorization;
	if (h) {
		const m = /^Bearer\s+(\S+)$/i.exec(h);
		return m ? m[1] : null;
	}
	// Only reads take a token in the URL (EventSource, <img src>): URLs end up in logs and history.
	const q = (req.url ?? '').indexOf('?');
	if (q >= 0 && (req.method === 'GET' || req.method === 'HEAD')) {
		const t = new URLSearchParams((req.url ?? '').slice(q + 1)).get('token');
		if (t) return t;
	}
	return null;
}

/**
 * HS256 tokens (jose) that carry the Principal. The key is the tenant's (derived from TOKEN_SECRET,
 * sync-server/tenant/tenant-names.ts) and the audience is the tenant id: a token of one province is
 * refused by another served from the same process, even where both share TOKEN_SECRET.
 */
/** Verified tokens kept per tenant (a few hundred bytes each). */
const VERIFIED_CACHE_MAX = 5_000;

export function createTokenService(opts: { secret: string; audience: string; ttlSeconds: number }): TokenService {
	const key = new TextEncoder().encode(opts.secret);

	const invalid = () => new ApiError(401, 'token_invalid', 'Mã đăng nhập không hợp lệ / Invalid token');

	async function verify(token: string): Promise<{ principal: Principal; expiresAt: number }> {
		let payload: { exp?: unknown };
		try {
			// `requiredClaims`: a token without an expiry would work forever (jose accepts it by default).
			({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'], audience: opts.audience, requiredClaims: ['exp', 'aud'] }));
		} catch (e) {
			if (e instanceof joseErrors.JWTExpired)
				throw new ApiError(401, 'token_expired', 'Phiên đăng nhập đã hết hạn / Your session has expired');
			throw invalid();
		}
		// This server never gives more than its TTL: a longer-lived token was not made by it under
		// today's settings (or the TTL was lowered, and the device renews silently).
		const exp = payload.exp as number;
		if (exp > Date.now() / 1000 + opts.ttlSeconds + CLOCK_SKEW_SECONDS) throw invalid();
		const claims = PrincipalClaims.safeParse(payload);
		if (!claims.success || claims.data.tenantId !== opts.audience) throw invalid();
		const { sub, role, tenantId, unitIds, name, personId, unitHead } = claims.data;
		const principal = { sub, role, tenantId, unitIds, ...(name ? { name } : {}), ...(personId ? { personId } : {}), ...(unitHead ? { unitHead } : {}) };
		return { principal, expiresAt: exp * 1000 };
	}

	/**
	 * Tokens already verified, until they expire: the HMAC check and the claims' parse cost about a
	 * tenth of a small request's CPU (measured under the 7:30 ticket rush), and a device sends the same
	 * token with every request. Only tokens that passed are kept, so a stream of forged ones cannot
	 * fill it; the oldest go first past CACHE_MAX. The answer is the one `verify` would give: same
	 * key, same audience, and the expiry is checked at every use.
	 */
	const verified = new Map<string, { principal: Principal; expiresAt: number }>();
	async function verifyCached(token: string): Promise<{ principal: Principal; expiresAt: number }> {
		const hit = verified.get(token);
		if (hit && Date.now() < hit.expiresAt) return hit;
		verified.delete(token);
		const fresh = await verify(token);
		if (verified.size >= VERIFIED_CACHE_MAX) verified.delete(verified.keys().next().value!);
		verified.set(token, fresh);
		return fresh;
	}

	const verifyToken = async (token: string) => (await verifyCached(token)).principal;

	function tokenOf(req: IncomingMessage): string {
		const token = tokenFromRequest(req);
		if (!token) throw new ApiError(401, 'unauthenticated', 'Cần đăng nhập / Sign-in required');
		return token;
	}

	return {
		async sign(p) {
			const exp = Math.floor(Date.now() / 1000) + opts.ttlSeconds;
			const token = await new SignJWT({
				role: p.role,
				tenantId: p.tenantId,
				unitIds: p.unitIds,
				...(p.name ? { name: p.name } : {}),
				...(p.personId ? { personId: p.personId } : {}),
				...(p.unitHead ? { unitHead: true } : {})
			})
				.setProtectedHeader({ alg: 'HS256' })
				.setSubject(p.sub)
				.setAudience(opts.audience)
				.setIssuedAt()
				.setExpirationTime(exp)
				.sign(key);
			return { token, expiresAt: new Date(exp * 1000).toISOString() };
		},
		verifyToken,
		authenticate: async (req) => verifyToken(tokenOf(req)),
		authenticateSession: async (req) => verifyCached(tokenOf(req))
	};
}

const principals = new WeakMap<IncomingMessage, Principal>();

/**
 * An `onRequest` hook that authenticates before Fastify reads the body: a stranger's large body is
 * refused (401) unread instead of being parsed first. The handler takes the result from `principalOf`.
 */
export function authenticateFirst(tokens: TokenService) {
	return async (req: FastifyRequest) => {
		principals.set(req.raw, await tokens.authenticate(req.raw));
	};
}

/** The principal `authenticateFirst` found for this request. */
export function principalOf(req: FastifyRequest): Principal {
	const p = principals.get(req.raw);
	if (!p) throw new Error('principalOf: the route has no authenticateFirst hook');
	return p;
}
