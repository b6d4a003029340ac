import type { FastifyInstance } from 'fastify';
import type { ReportEvent } from '$lib/domain/event';
import type { Report } from '$lib/domain/report';
import type { TokenService } from '../auth/tokens';
import type { Config } from '../config';
import type { Storage, Store } from '../storage/storage';
import { createPushNotifier, type PushNotifier } from './notifier';
import { pushRoutes } from './push.routes';
import { createPushSubscriptions, type PushStoreDoc } from './subscriptions.service';
import { resolveVapidKeys } from './vapid';

/**
 * Web Push, wired in one call from tenant/tenant-app.ts: the VAPID keys, the subscription routes and the notifier
 * that follows the events, started when the server is ready and stopped when it closes.
 */
export async function setupPush(
	app: FastifyInstance,
	deps: {
		config: Config;
		storage: Storage;
		stores: { reports: Store<Report>; events: Store<ReportEvent> };
		tokens: TokenService;
	}
): Promise<{ deliver: PushNotifier['deliver'] }> {
	const vapid = await resolveVapidKeys(deps.config);
	const subscriptions = createPushSubscriptions(deps.storage.store<PushStoreDoc>('push-subscriptions'));
	await pushRoutes(app, {
		tokens: deps.tokens,
		subscriptions,
		vapid,
		allowLocalEndpoints: deps.config.pushAllowLocalEndpoints
	});
	const notifier = createPushNotifier({
		events: deps.stores.events,
		reports: deps.stores.reports,
		subscriptions,
		vapid,
		// One process owns a LevelDB directory; several instances only ever share a CouchDB.
		claimEvents: deps.storage.kind === 'couchdb',
		caFile: deps.config.pushCaFile,
		log: app.log
	});
	app.addHook('onReady', () => notifier.start());
	// Before connections are closed, like the live streams: nothing new is announced while closing.
	app.addHook('preClose', async () => notifier.close());
	return { deliver: notifier.deliver };
}
