import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { wardLocator, type BoundaryCollection } from '$lib/domain/geo';
import type { TenantConfig } from '$lib/domain/tenant';
import { apiKeysOf } from '../api-keys/api-keys.module';
import type { ReportIntake } from '../reports/report-intake.service';
import type { TrackingClaim } from '../reports/tracking-code';
import type { Storage } from '../storage/storage';
import type { SyncStores } from '../storage/sync-stores';
import type { WardMatches } from '../sync/push-validation';
import type { PhotoClaims } from '../media/photo-claims';
import { createOpen311Intake } from './open311-intake';
import { createOpen311Media, type Open311Upload } from './open311-media';
import { open311Routes, PREFIX } from './open311.routes';
import { createRequestIndex } from './request-index';

/**
 * Open311 GeoReport v2 for other systems (a province's hotline software, its IOC, other cities'
 * tools): our categories as services, public reports as service requests, and filing a report
 * with an API key (scope `open311:requests`, api-keys module, registered before this one).
 * Its routes live in their own encapsulated context under /open311/v2: their errors are the
 * spec's error objects, and only they read form-encoded bodies.
 */
export async function setupOpen311(
	app: FastifyInstance,
	deps: {
		tenant: TenantConfig;
		storage: Storage;
		stores: SyncStores;
		boundaries: BoundaryCollection;
		wardMatches?: WardMatches;
		intake: ReportIntake;
		/** The tenant's files: photos uploaded for requests are kept with the residents' (`<filesDir>/media`). */
		filesDir: string;
		/** Photo ids belong to one report (media module): a request's photo is claimed for it. */
		photoClaims: Pick<PhotoClaims, 'claim'>;
		now?: () => Date;
	}
): Promise<Open311Module> {
	const now = deps.now ?? (() => new Date());
	const media = createOpen311Media({
		filesDir: deps.filesDir,
		tenantId: deps.tenant.id,
		uploads: deps.storage.store<Open311Upload>('open311-uploads'),
		media: deps.stores.media,
		claims: deps.photoClaims,
		keys: () => apiKeysOf(app),
		log: (level, obj, msg) => app.log[level](obj, msg)
	});
	const locate = wardLocator(deps.boundaries);
	const index = createRequestIndex(deps.stores.reports, deps.tenant.id, {
		onError: (err) => app.log.error({ err }, 'open311 request index failed; will rebuild on the next request')
	});
	app.addHook('onClose', async () => index.close());
	const intake = createOpen311Intake({
		tenant: deps.tenant,
		intake: deps.intake,
		contacts: deps.stores.contacts,
		locate,
		wardMatches: deps.wardMatches,
		media: media.links,
		now
	});
	await app.register(
		async (scoped) =>
			open311Routes(scoped, {
				tenant: deps.tenant,
				keys: apiKeysOf(app),
				intake,
				reports: deps.stores.reports,
				trackingCodes: deps.storage.store<TrackingClaim>('tracking-codes'),
				eventsOf: deps.intake.eventsOf,
				index,
				now
			}),
		{ prefix: PREFIX }
	);
	return { owns: media.owns, handle: (req, res) => void media.handle(req, res), close: media.close };
}

export interface Open311Module {
	/** Whether a request is the photo upload's (`/open311/v2/media…`, tus reads the raw body) rather than Fastify's. */
	owns(url: string): boolean;
	handle(req: IncomingMessage, res: ServerResponse): void;
	/** Stops the upload sweep and waits for uploads under way. */
	close(): Promise<void>;
}
