import type { FastifyInstance } from 'fastify';
import type { TokenService } from '../auth/tokens';
import type { Storage } from '../storage/storage';
import { apiKeyRoutes } from './api-keys.routes';
import { createApiKeys, type ApiKeyDoc, type ApiKeyService } from './api-keys.service';

/** The service of each tenant's app, for the modules after this one whose routes take keys (apiKeysOf). */
const services = new WeakMap<FastifyInstance, ApiKeyService>();

/**
 * Keys of the systems that feed this province (its one-stop system's dossiers, Open311 clients):
 * the admin's routes to make, list and revoke them, and the service that checks them. Registered
 * before the modules whose routes take keys.
 */
export async function setupApiKeys(app: FastifyInstance, deps: { storage: Storage; tokens: TokenService; tenantId: string; now?: () => Date }): Promise<ApiKeyService> {
	const keys = createApiKeys({
		store: deps.storage.store<ApiKeyDoc>('api-keys'),
		tenantId: deps.tenantId,
		now: deps.now,
		onUse: (caller) => app.log.info({ apiKeyId: caller.keyId, system: caller.name }, 'api key used')
	});
	await apiKeyRoutes(app, { tokens: deps.tokens, keys });
	app.addHook('preClose', async () => keys.flush());
	services.set(app, keys);
	return keys;
}

/** The tenant's key service, if its app set one up. */
export function apiKeysOf(app: FastifyInstance): ApiKeyService | undefined {
	return services.get(app);
}
