import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Scope } from '../access/scope';
import type { TokenService } from '../auth/tokens';
import type { Config } from '../config';
import { redactToken } from '../http/http.module';
import type { Storage, Store } from '../storage/storage';
import type { SyncStores } from '../storage/sync-stores';
import { createMediaService } from './media.service';
import { createPhotoClaims, photoBelongs, type PhotoClaim, type PhotoClaims } from './photo-claims';

export interface MediaModule {
	/** Who each photo id belongs to: pushes claim the photos of new reports and steps. */
	photoClaims: PhotoClaims;
	/** The claims themselves (the public pages check a photo against them). */
	claimStore: Store<PhotoClaim>;
	/** Whether a request is the media handler's (`/api/media…`) rather than Fastify's. */
	owns(url: string): boolean;
	/** Answers a photo upload or read (tus reads the raw body stream before Fastify parses anything). */
	handle(req: IncomingMessage, res: ServerResponse): void;
	/** Claims the photos of reports stored before photo ids were claimed, once, before anyone can push. */
	claimStoredPhotos(): Promise<void>;
	/** Stops the upload sweep and waits for uploads under way. */
	close(): Promise<void>;
}

/** Photos: their claims, resumable uploads (tus) re-encoded on arrival, and reads by whoever may see them. */
export function setupMedia(
	app: FastifyInstance,
	deps: { config: Config; filesDir: string; storage: Storage; stores: SyncStores; tokens: TokenService; scope: Scope }
): MediaModule {
	const { config, stores } = deps;
	// Each photo id belongs to one report or step and its uploader (photo-claims.ts).
	const claimStore = deps.storage.store<PhotoClaim>('photo-claims');
	const photoClaims = createPhotoClaims({ claims: claimStore, media: stores.media });
	const media = createMediaService({
		dataDir: deps.filesDir,
		authenticate: deps.tokens.authenticate,
		getReport: (rid) => stores.reports.get(rid),
		getEvent: (eid) => stores.events.get(eid),
		saveMedia: async (doc) => {
			const [res] = await stores.media.bulkPut([{ doc }]);
			if (!res.ok) throw new Error(`Could not store media ${doc.id}: ${res.error}`);
		},
		getMedia: (mid) => stores.media.get(mid),
		canRead: deps.scope.canRead,
		claims: photoClaims,
		belongs: (m) =>
			photoBelongs(m, {
				getReport: (rid) => stores.reports.get(rid),
				getEvent: (eid) => stores.events.get(eid),
				getClaim: (cid) => claimStore.get(cid)
			}),
		uploadLimits: {
			ttlMs: config.uploadPendingTtlMs,
			sweepMs: config.uploadSweepMs,
			perIdentityBytes: config.uploadPendingPerDevice,
			perAddressBytes: config.uploadPendingPerAddress
		},
		log: (level, obj, msg) => app.log[level](obj, msg)
	});

	return {
		photoClaims,
		claimStore,
		owns: (url) => url.startsWith('/api/media/') || url === '/api/media',
		handle(req, res) {
			const url = req.url;
			media.handle(req, res).catch((err) => {
				app.log.error({ err, url: redactToken(url ?? '/') }, 'media request failed');
				if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { code: 'server_error', message: 'Server error' } }));
			});
		},
		async claimStoredPhotos() {
			const backfilled = await photoClaims.backfill(stores);
			if (backfilled) app.log.info({ documents: backfilled }, 'photo ids of stored reports and steps claimed');
		},
		close: () => media.close().catch((err) => app.log.error({ err }, 'media close failed'))
	};
}
