import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, IsoTime } from '$lib/domain/common';
import { Principal } from '$lib/domain/principal';
import { ApiError } from '../http/api-error';
import type { AccountsService } from './accounts.service';
import type { TokenService } from './tokens';
import { canonicalUsername } from './username';

/** The per-username limit across addresses is this many times the per-address one. */
const ACCOUNT_LIMIT_FACTOR = 10;

const LoginBody = z.object({ username: z.string().min(1).max(80), password: z.string().min(1).max(200) });

/** At least 32 random bytes, base64url: the device's key, made once and kept on the device. */
const DeviceSecret = z
	.string()
	.regex(/^[A-Za-z0-9_-]+$/, 'base64url')
	.refine((s) => Buffer.from(s, 'base64url').length >= 32, 'at least 32 bytes');
const DeviceBody = z.object({ deviceId: Id, secret: DeviceSecret });
/** A session: the bearer token every other call sends, until `expiresAt`, and who it is for. */
const SessionAnswer = z.object({ token: z.string(), expiresAt: IsoTime, user: Principal });

export async function authRoutes(
	app: FastifyInstance,
	deps: { accounts: AccountsService; tokens: TokenService; loginRateLimit: number }
) {
	const r = app.withTypeProvider<ZodTypeProvider>();

	// Both limiters key on the account the lookup will read (canonicalUsername), never on the
	// spelling sent: padding or a full-width letter must not buy a fresh counter.
	// Runs before validation (per-address limiter): a name past the schema's 80 characters is
	// refused anyway, so only its start is read, bounding the work on hostile input.
	// Only a string is read: String() of a hostile object runs its own toString (found by the fuzzer:
	// `{"toString": 5}` threw, a 500); anything else is refused by the schema right after.
	const account = (req: FastifyRequest) => {
		const name = (req.body as { username?: unknown } | null)?.username;
		return canonicalUsername(typeof name === 'string' ? name.slice(0, 200) : '');
	};
	// Per username across all addresses, looser: bounds guessing spread over many addresses
	// while one address alone cannot lock an account out (it hits its own limit first).
	// A checker, not a second route limiter: the plugin runs only one limiter hook per request.
	const accountLimit = app.createRateLimit({
		max: deps.loginRateLimit * ACCOUNT_LIMIT_FACTOR,
		timeWindow: 60_000,
		keyGenerator: (req: FastifyRequest) => `login-account|${account(req)}`
	});
	const perAccount = async (req: FastifyRequest, reply: FastifyReply) => {
		const limit = await accountLimit(req);
		if (limit.isAllowed || !limit.isExceeded) return;
		reply.header('retry-after', String(limit.ttlInSeconds));
		throw new ApiError(429, 'rate_limited', 'Thử lại quá nhiều lần, vui lòng đợi một phút / Too many attempts, wait a minute');
	};

	r.post(
		'/api/auth/login',
		{
			schema: { body: LoginBody, response: { 200: SessionAnswer } },
			preHandler: perAccount,
			config: {
				// Per address and username: slows password guessing without locking out a whole
				// office that shares one NAT address. Checked before the per-account limit (a
				// preHandler), so one address's refused guesses never count towards locking the account.
				rateLimit: {
					max: deps.loginRateLimit,
					timeWindow: 60_000,
					hook: 'preValidation',
					keyGenerator: (req: FastifyRequest) => `${req.ip}|${account(req)}`
				}
			}
		},
		async (req) => {
			const user = await deps.accounts.login(req.body.username, req.body.password);
			return { ...(await deps.tokens.sign(user)), user };
		}
	);

	r.post(
		'/api/auth/device',
		{ schema: { body: DeviceBody, response: { 200: SessionAnswer } }, config: { rateLimit: { max: 60, timeWindow: 60_000 } } },
		async (req) => {
			const user = await deps.accounts.device(req.body.deviceId, req.body.secret);
			return { ...(await deps.tokens.sign(user)), user };
		}
	);
}
