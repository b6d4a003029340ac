import type { FastifyInstance } from 'fastify';
import type { BoundaryCollection } from '$lib/domain/geo';
import type { ZoningPlanFile } from '$lib/domain/zoning';
import { zoningRoutes } from './zoning.routes';
import { createZoningService, type ZoningService } from './zoning.service';

/**
 * The zoning look-up: the plan the tenant loader checked (tenant.json `zoning`), indexed in memory
 * at start, and its public routes. A tenant without a plan gets the routes too: they answer
 * `zoning_none` / `parcel_unknown`, so a device learns there is nothing rather than a missing API.
 */
export async function setupZoning(app: FastifyInstance, deps: { zoning: ZoningPlanFile | null | undefined; boundaries: BoundaryCollection }): Promise<ZoningService> {
	const service = createZoningService({ zoning: deps.zoning ?? null, boundaries: deps.boundaries });
	await zoningRoutes(app, { service });
	return service;
}
