import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { constants as zlibConstants } from 'node:zlib';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Contact } from '../../src/lib/domain/contact';
import type { ReportEvent } from '../../src/lib/domain/event';
import type { Media } from '../../src/lib/domain/media';
import type { Report } from '../../src/lib/domain/report';
import { SYNC_COLLECTIONS, type SyncCollection } from '../../src/lib/domain/sync-protocol';
import { TenantConfig } from '../../src/lib/domain/tenant';
import { createAccountsService, type DeviceDoc, type UserDoc } from '../auth/accounts.service';
import { authRoutes } from '../auth/auth.routes';
import { createTokenService, type TokenService } from '../auth/tokens';
import type { Config } from '../config';
import { ApiError } from '../http/api-error';
import { DEFAULT_BODY_LIMIT, installJsonParser } from '../http/body-limits';
import { heartbeatFor } from '../http/connections';
import { errorHandler } from '../http/error-handler';
import { frameworkErrors } from '../http/framework-errors';
import { helmetOptions, isHashedAsset, stripDocumentHeaders } from '../http/security';
import { notFoundHandler, registerStatic } from '../http/static';
import { createMediaService } from '../media/media.service';
import { createPhotoClaims, photoBelongs, type PhotoClaim } from '../media/photo-claims';
import { otpRoutes } from '../otp/otp.routes';
import { createPersonLinks, type LinkBucket, type PersonDoc } from '../otp/person-links.service';
import { publicRoutes } from '../public/public.routes';
import { setupPush } from '../push/push.module';
import { createOverdueService } from '../reports/overdue.service';
import { createReportIntake } from '../reports/report-intake.service';
import type { TrackingClaim } from '../reports/tracking-code';
import { seedDemoAccounts } from '../seed/demo-tenant';
import { openPouchStorage } from '../storage/pouch-storage';
import type { Storage, Store, StoredDoc } from '../storage/storage';
import { createPushService } from '../sync/push.service';
import { createScope } from '../sync/scope';
import { createScopeIndex } from '../sync/scope-index';
import { createStreamHub, createStreamLimits, HEARTBEAT_MS, type StreamHub } from '../sync/stream.service';
import { syncRoutes } from '../sync/sync.routes';
import type { DemoAccountEntry, LoadedTenant } from './tenant-loader';
import { tenantRoutes } from './tenant.routes';

/** One province served by this process: its own databases, files, key, accounts and HTTP routes. */
export interface TenantApp {
	id: string;
	app: FastifyInstance;
	tenant: TenantConfig;
	/** The accounts the tenant folder seeds for a demo (main.ts lists them). */
	demoAccounts: DemoAccountEntry[];
	storage: Storage;
	tokens: TokenService;
	/** Whether a built PWA was found in STATIC_DIR. */
	servesApp: boolean;
	/** Whether the demo accounts were created on this start. */
	seeded: boolean;
	/** Where its photos and partial uploads are kept. */
	filesDir: string;
	/** Answers one request of this tenant (photo uploads and reads, then the Fastify routes). */
	handle(req: IncomingMessage, res: ServerResponse): void;
	/** Starts the feeds, live streams and jobs; call once the server listens. */
	start(): void;
	/** Ends its live streams (first step of closing: they never end by themselves). */
	endStreams(): void;
	close(): Promise<void>;
}

export interface TenantAppOptions {
	config: Config;
	loaded: LoadedTenant;
	/** See BuildOptions.tenant (sync-server/app.ts). */
	tenantOption?: TenantConfig | ((loaded: TenantConfig) => TenantConfig);
	now?: () => Date;
	/** The built PWA's inline script hashes (computed once for every tenant). */
	scriptHashes: string[];
}

/** Tokens travel in `?token=` for SSE and photos: keep them out of the logs. */
export const redactToken = (url: string | undefined) => (url ?? '').replace(/([?&]token=)[^&]*/g, '$1[redacted]');

/**
 * A tenant's own signing key, derived from TOKEN_SECRET: a token (or a one-time code's hash) made for
 * one province does not verify at another, even before its audience is read.
 */
export const tenantSecret = (secret: string, tenantId: string) =>
	createHmac('sha256', secret).update(`cau-noi tenant:${tenantId}`).digest('base64url');

/** `<DB_PREFIX><tenant>-`: every database of a tenant is named `<DB_PREFIX><tenant>-<collection>`. */
export const tenantDbPrefix = (dbPrefix: string, tenantId: string) => `${dbPrefix}${tenantId}-`;

/** `<DATA_DIR>/tenants/<tenant>`: photos and partial uploads; device-invented ids never meet across provinces. */
export const tenantFilesDir = (dataDir: string, tenantId: string) => path.join(dataDir, 'tenants', tenantId);

export async function openTenantApp(opts: TenantAppOptions): Promise<TenantApp> {
	const { config, loaded, tenantOption, now } = opts;
	const tenant = TenantConfig.parse(
		typeof tenantOption === 'object' ? tenantOption : tenantOption ? tenantOption(loaded.config) : loaded.config
	);
	const id = tenant.id;
	const filesDir = tenantFilesDir(config.dataDir, id);
	const secret = tenantSecret(config.tokenSecret, id);
	let logError: (obj: unknown, msg: string) => void = () => {};
	let appLog: Pick<FastifyBaseLogger, 'error' | 'warn' | 'info'> | null = null;

	const storage = await openPouchStorage({
		dataDir: config.dataDir,
		dbPrefix: tenantDbPrefix(config.dbPrefix, id),
		couchdbUrl: config.couchdbUrl,
		requestTimeoutMs: config.couchdbTimeoutMs,
		onFeedError: (store, err) => logError({ err, store }, 'changes feed failed; resuming')
	});
	try {
		const stores = {
			reports: storage.store<Report>('reports'),
			contacts: storage.store<Contact>('contacts'),
			events: storage.store<ReportEvent>('events'),
			media: storage.store<Media>('media')
		};
		const users = storage.store<UserDoc>('users');
		const seeded = await seedDemoAccounts(users, { config: tenant, demoAccounts: loaded.demoAccounts });

		const tokens = createTokenService({ secret, audience: id, ttlSeconds: config.tokenTtlSeconds });
		const accounts = createAccountsService(users, storage.store<DeviceDoc>('devices'), id);
		// First syncs and `eventsOf` read through it; it follows the feeds (sync-server/sync/scope-index.ts).
		const scopeIndex = createScopeIndex({
			index: storage.store('scope-index'),
			stores: stores as unknown as Parameters<typeof createScopeIndex>[0]['stores'],
			onError: (collection, err) => logError({ err, collection }, 'scope index failed; retrying')
		});
		const intake = createReportIntake({
			index: scopeIndex,
			children: { contacts: stores.contacts, media: stores.media },
			config: tenant,
			reports: stores.reports,
			events: stores.events,
			claims: storage.store<TrackingClaim>('tracking-codes'),
			now
		});
		const scope = createScope(stores.reports);
		// Phone verification: people by phone, and the index that finds their reports (sync-server/otp).
		const links = createPersonLinks({
			reports: stores.reports,
			contacts: stores.contacts,
			people: storage.store<PersonDoc>('people'),
			index: storage.store<LinkBucket>('link-index'),
			now
		});
		// Each photo id belongs to one report or step and its uploader (sync-server/media/photo-claims.ts).
		const photoClaimStore = storage.store<PhotoClaim>('photo-claims');
		const photoClaims = createPhotoClaims({ claims: photoClaimStore, media: stores.media });
		const push = createPushService({ config: tenant, stores, intake, now, afterPush: links.afterPush, photos: photoClaims });
		const syncStores = stores as unknown as Record<SyncCollection, Store<StoredDoc>>;
		const hubs = Object.fromEntries(
			SYNC_COLLECTIONS.map((c) => [
				c,
				createStreamHub(c, syncStores[c], scope, (err) => logError({ err }, 'stream failed'), heartbeatFor(config.httpIdleTimeoutMs, HEARTBEAT_MS))
			])
		) as Record<SyncCollection, StreamHub>;

		const media = createMediaService({
			dataDir: filesDir,
			authenticate: tokens.authenticate,
			getReport: (rid) => stores.reports.get(rid),
			getEvent: (eid) => stores.events.get(eid),
			saveMedia: async (doc) => {
				const [res] = await stores.media.bulkPut([{ doc }]);
				if (!res.ok) throw new Error(`Could not store media ${doc.id}: ${res.error}`);
			},
			getMedia: (mid) => stores.media.get(mid),
			canRead: scope.canRead,
			claims: photoClaims,
			belongs: (m) =>
				photoBelongs(m, {
					getReport: (rid) => stores.reports.get(rid),
					getEvent: (eid) => stores.events.get(eid),
					getClaim: (cid) => photoClaimStore.get(cid)
				}),
			uploadLimits: {
				ttlMs: config.uploadPendingTtlMs,
				sweepMs: config.uploadSweepMs,
				perIdentityBytes: config.uploadPendingPerDevice,
				perAddressBytes: config.uploadPendingPerAddress
			},
			log: (level, obj, msg) => appLog?.[level](obj, msg)
		});

		const app = Fastify({
			frameworkErrors,
			logger: {
				level: config.logLevel,
				// Which province a line is about, when one process serves several.
				base: { tenant: id },
				serializers: {
					req: (req: { method: string; url: string; ip?: string }) => ({
						method: req.method,
						url: redactToken(req.url),
						remoteAddress: req.ip
					})
				}
			},
			// Every route with a body takes a few KB; push sets its own (sync.routes.ts, body-limits.ts).
			bodyLimit: DEFAULT_BODY_LIMIT
		});
		logError = (obj, msg) => app.log.error(obj, msg);
		appLog = app.log;
		app.setValidatorCompiler(validatorCompiler);
		app.setSerializerCompiler(serializerCompiler);
		app.setErrorHandler(errorHandler);
		installJsonParser(app);

		await app.register(helmet, helmetOptions(opts.scriptHashes));
		// API answers are JSON that shrinks 6–8× (a handler's first sync: 17.8 MB raw, 2.3 MB gzipped),
		// and the links are weak 4G. Brotli at a low quality costs about what gzip does; the built app is
		// served precompressed by the static handler (already encoded, left alone), photos are WebP
		// (not compressible) and live streams are hijacked responses (never buffered here).
		await app.register(compress, {
			encodings: ['br', 'gzip'],
			threshold: 1024,
			brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
			zlibOptions: { level: 6 }
		});
		app.addHook('onSend', async (req, reply) => {
			if (isHashedAsset(req.url)) stripDocumentHeaders(reply);
		});
		// Registered once, off by default: each route that needs a limit sets its own (`config: { rateLimit }`).
		await app.register(rateLimit, {
			global: false,
			errorResponseBuilder: () =>
				new ApiError(429, 'rate_limited', 'Thử lại quá nhiều lần, vui lòng đợi một phút / Too many attempts, wait a minute')
		});
		await authRoutes(app, { accounts, tokens, loginRateLimit: config.loginRateLimit });
		await otpRoutes(app, {
			tenantId: id,
			tokens,
			storage,
			tokenSecret: secret,
			links,
			accounts,
			testEndpoint: config.otpTestEndpoint,
			ipLimitPerHour: config.otpIpLimit,
			now
		});
		await tenantRoutes(app, { config: tenant, boundariesFile: loaded.boundariesFile });
		const streamLimits = createStreamLimits({ perIdentity: config.streamsPerIdentity, perAddress: config.streamsPerAddress });
		await syncRoutes(app, { tokens, scope, push, stores: syncStores, hubs, index: scopeIndex, streamLimits });
		await setupPush(app, { config, storage, stores, tokens });
		await publicRoutes(app, { tenantId: id, stores: { ...stores, photoClaims: photoClaimStore }, dataDir: filesDir, eventsOf: intake.eventsOf });
		app.get('/api/health', async () => {
			const counts = await Promise.all(SYNC_COLLECTIONS.map(async (c) => [c, await syncStores[c].count()] as const));
			return { ok: true, tenant: id, storage: storage.kind, docs: Object.fromEntries(counts) };
		});
		const servesApp = await registerStatic(app, config.staticDir);
		app.setNotFoundHandler(notFoundHandler(servesApp));

		// Streams never end by themselves: end them first, or closing would wait for them forever.
		const endStreams = () => {
			for (const h of Object.values(hubs)) h.close();
		};
		app.addHook('preClose', async () => endStreams());
		// Photos of reports stored before photo ids were claimed get their claims, once, before anyone can push.
		const backfilled = await photoClaims.backfill(stores);
		if (backfilled) app.log.info({ documents: backfilled }, 'photo ids of stored reports and steps claimed');
		await app.ready();
		await Promise.all(Object.values(hubs).map((h) => h.start()));

		// The SLA clock: reports turn overdue on their own (OVERDUE_CHECK_MS; 0 = not on this instance).
		const overdue = config.overdueCheckMs
			? createOverdueService({ ...stores, rederive: intake.rederive, intervalMs: config.overdueCheckMs, now, log: app.log })
			: null;
		let closing: Promise<void> | null = null;
		return {
			id,
			app,
			tenant,
			demoAccounts: loaded.demoAccounts,
			storage,
			tokens,
			servesApp,
			seeded,
			filesDir,
			handle(req, res) {
				const url = req.url ?? '/';
				// Photos (tus) are a plain Node handler: tus reads the raw body stream before Fastify parses anything.
				if (url.startsWith('/api/media/') || url === '/api/media') {
					media.handle(req, res).catch((err) => {
						logError({ err, url: redactToken(url) }, 'media request failed');
						if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
						res.end(JSON.stringify({ error: { code: 'server_error', message: 'Server error' } }));
					});
					return;
				}
				app.routing(req, res);
			},
			start() {
				overdue?.start();
				scopeIndex.start();
			},
			endStreams,
			close: () =>
				(closing ??= (async () => {
					await overdue?.stop();
					await app.close();
					await scopeIndex.stop();
					await media.close().catch((err) => logError({ err }, 'media close failed'));
					await storage.close();
				})())
		};
	} catch (err) {
		await storage.close().catch(() => undefined);
		throw err;
	}
}
