import type { FastifyInstance } from 'fastify';
import type { Config } from '../config';
import type { Storage } from '../storage/storage';
import { createAccountsService, type AccountsService, type DeviceDoc, type UserDoc } from './accounts.service';
import { authRoutes } from './auth.routes';
import { createTokenService, type TokenService } from './tokens';

export interface AuthModule {
	/** Signs and checks the tenant's tokens (every other module authenticates with it). */
	tokens: TokenService;
	/** Staff accounts and residents' devices. */
	accounts: AccountsService;
}

/** Logins: the tenant's tokens (its own key and audience), its accounts, and the login and device routes. */
export async function setupAuth(
	app: FastifyInstance,
	deps: { config: Config; storage: Storage; tenantId: string; secret: string }
): Promise<AuthModule> {
	const tokens = createTokenService({ secret: deps.secret, audience: deps.tenantId, ttlSeconds: deps.config.tokenTtlSeconds });
	const accounts = createAccountsService(deps.storage.store<UserDoc>('users'), deps.storage.store<DeviceDoc>('devices'), deps.tenantId);
	await authRoutes(app, { accounts, tokens, loginRateLimit: deps.config.loginRateLimit });
	return { tokens, accounts };
}
