import type { FastifyInstance } from 'fastify';
import { SYNC_COLLECTIONS, type SyncCollection } from '$lib/domain/sync-protocol';
import type { TenantConfig } from '$lib/domain/tenant';
import type { Scope } from '../access/scope';
import type { ScopeIndex } from '../access/scope-index';
import type { TokenService } from '../auth/tokens';
import type { Config } from '../config';
import { heartbeatFor } from '../http/connections';
import type { ReportIntake } from '../reports/report-intake.service';
import { storesByCollection, type SyncStores } from '../storage/sync-stores';
import { createPushService, type PushDeps } from './push.service';
import { createStreamHub, createStreamLimits, HEARTBEAT_MS, type StreamHub } from './stream.service';
import { syncRoutes } from './sync.routes';

export interface SyncModule {
	/** Starts following the feeds of the live streams (once the app is ready). */
	startStreams(): Promise<void>;
	/** Ends every live stream: they never end by themselves, so closing ends them first. */
	endStreams(): void;
}

/** Replication with the devices: pull, push (with the intake of new reports) and the live streams. */
export async function setupSync(
	app: FastifyInstance,
	deps: {
		config: Config;
		tenant: TenantConfig;
		stores: SyncStores;
		tokens: TokenService;
		/** The scope rules and index (access module). */
		access: { scope: Scope; scopeIndex: ScopeIndex };
		intake: ReportIntake;
		/** Phone verification indexes what a push stored (otp module's `links.afterPush`). */
		afterPush: PushDeps['afterPush'];
		/** Photo ids new reports and steps claim (media module). */
		photos: PushDeps['photos'];
		/** Coordinates against the tenant's boundaries (new reports must agree with their ward). */
		wardMatches?: PushDeps['wardMatches'];
		now?: () => Date;
	}
): Promise<SyncModule> {
	const { config, stores } = deps;
	const { scope, scopeIndex } = deps.access;
	const push = createPushService({
		config: deps.tenant,
		stores,
		intake: deps.intake,
		now: deps.now,
		afterPush: deps.afterPush,
		photos: deps.photos,
		wardMatches: deps.wardMatches
	});
	const collections = storesByCollection(stores);
	const hubs = Object.fromEntries(
		SYNC_COLLECTIONS.map((c) => [
			c,
			createStreamHub(c, collections[c], scope, (err) => app.log.error({ err }, 'stream failed'), heartbeatFor(config.httpIdleTimeoutMs, HEARTBEAT_MS))
		])
	) as Record<SyncCollection, StreamHub>;
	const streamLimits = createStreamLimits({ perIdentity: config.streamsPerIdentity, perAddress: config.streamsPerAddress });
	await syncRoutes(app, { tokens: deps.tokens, scope, push, stores: collections, hubs, index: scopeIndex, streamLimits });
	return {
		startStreams: async () => {
			await Promise.all(Object.values(hubs).map((h) => h.start()));
		},
		endStreams() {
			for (const h of Object.values(hubs)) h.close();
		}
	};
}
