import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ReportEvent } from '$lib/domain/event';
import type { Category } from '$lib/domain/tenant';
import type { PhotoClaim } from '../media/photo-claims';
import type { TrackingClaim } from '../reports/tracking-code';
import type { Store } from '../storage/storage';
import type { SyncStores } from '../storage/sync-stores';
import { publicRoutes } from './public.routes';
import { createPublicService } from './public.service';

/**
 * The public pages (no login): the service behind them, following the reports from now until the
 * app closes, and their routes.
 */
export async function setupPublic(
	app: FastifyInstance,
	deps: {
		tenantId: string;
		/** The province's tracking prefix: a code typed without it gets it. */
		trackingPrefix: string;
		stores: SyncStores;
		/** Photo claims (media module): a public photo must be what its report shows. */
		claimStore: Store<PhotoClaim>;
		/** The tenant's files: photos are read from `<filesDir>/media`. */
		filesDir: string;
		/** Which report holds each tracking code (the reports module's `tracking-codes` store). */
		trackingCodes: Store<TrackingClaim>;
		/** Different tracking codes one address may look up per hour (config.codeLookupLimit). */
		codeLookupLimit: number;
		/** The stored events of some reports (the reports module's intake). */
		eventsOf(reportIds: string[]): Promise<Map<string, ReportEvent[]>>;
		/** The tenant's categories (their public blur, `publicLocationBlurM`). */
		categories: readonly Category[];
	}
): Promise<void> {
	const service = createPublicService({
		tenantId: deps.tenantId,
		reports: deps.stores.reports,
		events: deps.stores.events,
		media: deps.stores.media,
		mediaDir: join(deps.filesDir, 'media'),
		eventsOf: deps.eventsOf,
		claims: deps.claimStore,
		trackingCodes: deps.trackingCodes,
		categories: deps.categories,
		onError: (err, msg) => app.log.error({ err }, msg)
	});
	service.start();
	app.addHook('onClose', async () => service.close());
	await publicRoutes(app, { service, codeLookupLimit: deps.codeLookupLimit, trackingPrefix: deps.trackingPrefix });
}
