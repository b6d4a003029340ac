import type { IncomingMessage } from 'node:http';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import type { Principal } from './principal';

const PrincipalClaims = z.object({
	sub: z.string().min(3),
	role: z.enum(['resident', 'handler', 'leader', 'admin', 'volunteer']),
	tenantId: z.string(),
	unitIds: z.array(z.string()),
	name: z.string().optional(),
	personId: z.string().optional()
});

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
}

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

/** HS256 tokens (jose) that carry the Principal; the key is TOKEN_SECRET. */
export function createTokenService(opts: { secret: string; ttlSeconds: number }): TokenService {
	const key = new TextEncoder().encode(opts.secret);

	async function verifyToken(token: string): Promise<Principal> {
		let payload: unknown;
		try {
			({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'] }));
		} catch (e) {
			if (e instanceof joseErrors.JWTExpired)
				throw new ApiError(401, 'token_expired', 'Phiên đăng nhập đã hết hạn / Your session has expired');
			throw new ApiError(401, 'token_invalid', 'Mã đăng nhập không hợp lệ / Invalid token');
		}
		const claims = PrincipalClaims.safeParse(payload);
		if (!claims.success) throw new ApiError(401, 'token_invalid', 'Mã đăng nhập không hợp lệ / Invalid token');
		const { sub, role, tenantId, unitIds, name, personId } = claims.data;
		return { sub, role, tenantId, unitIds, ...(name ? { name } : {}), ...(personId ? { personId } : {}) };
	}

	return {
		async sign(p) {
			const exp = Math.floor(Date.now() / 1000) + opts.ttlSeconds;
			const token = await new SignJWT({
				role: p.role,
				tenantId: p.tenantId,
				unitIds: p.unitIds,
				...(p.name ? { name: p.name } : {}),
				...(p.personId ? { personId: p.personId } : {})
			})
				.setProtectedHeader({ alg: 'HS256' })
				.setSubject(p.sub)
				.setIssuedAt()
				.setExpirationTime(exp)
				.sign(key);
			return { token, expiresAt: new Date(exp * 1000).toISOString() };
		},
		verifyToken,
		async authenticate(req) {
			const token = tokenFromRequest(req);
			if (!token) throw new ApiError(401, 'unauthenticated', 'Cần đăng nhập / Sign-in required');
			return verifyToken(token);
		}
	};
}
