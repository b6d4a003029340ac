import type { FastifyInstance } from 'fastify';
import type { BoundaryCollection } from '$lib/domain/geo';
import type { TenantConfig } from '$lib/domain/tenant';
import type { ZoningPlanFile } from '$lib/domain/zoning';
import type { TokenService } from '../auth/tokens';
import type { Storage } from '../storage/storage';
import { zoningImportRoutes } from './zoning-import.routes';
import { zoningRoutes } from './zoning.routes';
import { createZoningService, type ZoningService } from './zoning.service';
import { zoningPlanStore } from './zoning-store';
import { createZoningVersions } from './zoning-versions';

/**
 * The zoning look-up: the plan the tenant loader checked (tenant.json `zoning`), or the newest version
 * an admin imported since (zoning-versions.ts), indexed in memory, and its public routes. A tenant
 * without a plan gets the routes too: they answer `zoning_none` / `parcel_unknown`, so a device learns
 * there is nothing rather than a missing API.
 */
export async function setupZoning(
	app: FastifyInstance,
	deps: { zoning: ZoningPlanFile | null | undefined; boundaries: BoundaryCollection; storage: Storage; tokens: TokenService; tenant: TenantConfig; now?: () => Date }
): Promise<ZoningService> {
	const service = createZoningService({ zoning: deps.zoning ?? null, boundaries: deps.boundaries });
	const store = zoningPlanStore(deps.storage);
	const versions = await createZoningVersions({ service, tenantFile: deps.zoning ?? null, boundaries: deps.boundaries, store, log: app.log });
	app.addHook('onClose', async () => versions.close());
	await zoningRoutes(app, { service, atDate: versions.atDate });
	await zoningImportRoutes(app, { tokens: deps.tokens, tenant: deps.tenant, boundaries: deps.boundaries, store, versions, now: deps.now ?? (() => new Date()) });
	return service;
}
