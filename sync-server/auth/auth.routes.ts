import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '../../src/lib/domain/common';
import type { AccountsService } from './accounts.service';
import type { TokenService } from './tokens';

const LoginBody = z.object({ username: z.string().min(1).max(80), password: z.string().min(1).max(200) });

/** At least 32 random bytes, base64url: the device's key, made once and kept on the device. */
const DeviceSecret = z
	.string()
	.regex(/^[A-Za-z0-9_-]+$/, 'base64url')
	.refine((s) => Buffer.from(s, 'base64url').length >= 32, 'at least 32 bytes');
const DeviceBody = z.object({ deviceId: Id, secret: DeviceSecret });

export async function authRoutes(
	app: FastifyInstance,
	deps: { accounts: AccountsService; tokens: TokenService; loginRateLimit: number }
) {
	const r = app.withTypeProvider<ZodTypeProvider>();

	r.post(
		'/api/auth/login',
		{
			schema: { body: LoginBody },
			config: {
				// Per address and username: slows password guessing without locking out a whole
				// office that shares one NAT address.
				rateLimit: {
					max: deps.loginRateLimit,
					timeWindow: 60_000,
					hook: 'preHandler',
					keyGenerator: (req: FastifyRequest) =>
						`${req.ip}|${String((req.body as { username?: string })?.username ?? '').toLowerCase()}`
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
		{ schema: { body: DeviceBody }, config: { rateLimit: { max: 60, timeWindow: 60_000 } } },
		async (req) => {
			const user = await deps.accounts.device(req.body.deviceId, req.body.secret);
			return { ...(await deps.tokens.sign(user)), user };
		}
	);
}
