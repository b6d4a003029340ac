import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { constants as zlibConstants } from 'node:zlib';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Contact } from '../src/lib/domain/contact';
import type { ReportEvent } from '../src/lib/domain/event';
import type { Media } from '../src/lib/domain/media';
import type { Report } from '../src/lib/domain/report';
import { SYNC_COLLECTIONS, type SyncCollection } from '../src/lib/domain/sync-protocol';
import { TenantConfig } from '../src/lib/domain/tenant';
import { createAccountsService, type DeviceDoc, type UserDoc } from './auth/accounts.service';
import { authRoutes } from './auth/auth.routes';
import { createTokenService, type TokenService } from './auth/tokens';
import { resolveConfig, type Config } from './config';
import { createDbAdmin } from './db-admin/db-admin';
import { ApiError } from './http/api-error';
import { DEFAULT_BODY_LIMIT, installJsonParser } from './http/body-limits';
import { applyHttpTimeouts, heartbeatFor, httpServerOptions } from './http/connections';
import { errorHandler } from './http/error-handler';
import { clientErrorHandler, frameworkErrors } from './http/framework-errors';
import { helmetOptions, inlineScriptHashes, isHashedAsset, stripDocumentHeaders } from './http/security';
import { notFoundHandler, registerStatic } from './http/static';
import { createMediaService } from './media/media.service';
import { createPhotoClaims, photoBelongs, type PhotoClaim } from './media/photo-claims';
import { otpRoutes } from './otp/otp.routes';
import { createPersonLinks, type LinkBucket, type PersonDoc } from './otp/person-links.service';
import { createOverdueService } from './reports/overdue.service';
import { createReportIntake } from './reports/report-intake.service';
import type { TrackingClaim } from './reports/tracking-code';
import { seedDemoAccounts } from './seed/demo-tenant';
import { setupPush } from './push/push.module';
import { openPouchStorage } from './storage/pouch-storage';
import type { Storage, Store, StoredDoc } from './storage/storage';
import { createPushService } from './sync/push.service';
import { createScope } from './sync/scope';
import { createScopeIndex } from './sync/scope-index';
import { createStreamHub, createStreamLimits, HEARTBEAT_MS, type StreamHub } from './sync/stream.service';
import { publicRoutes } from './public/public.routes';
import { syncRoutes } from './sync/sync.routes';
import { loadTenant, type DemoAccountEntry } from './tenant/tenant-loader';
import { tenantRoutes } from './tenant/tenant.routes';

export interface ServerHandle {
	app: FastifyInstance;
	/** Where it listens, e.g. http://127.0.0.1:8787 (0.0.0.0 is shown as 127.0.0.1). */
	url: string;
	config: Config;
	tenant: TenantConfig;
	/** The accounts the tenant folder seeds for a demo (main.ts lists them). */
	demoAccounts: DemoAccountEntry[];
	storage: Storage;
	tokens: TokenService;
	/** Whether a built PWA was found in STATIC_DIR. */
	servesApp: boolean;
	/** Whether the demo accounts were created on this start. */
	seeded: boolean;
	close(): Promise<void>;
}

/** Tokens travel in `?token=` for SSE and photos: keep them out of the logs. */
const redactToken = (url: string | undefined) => (url ?? '').replace(/([?&]token=)[^&]*/g, '$1[redacted]');

/**
 * Builds and starts the sync-server: the API, live streams, photo uploads (/api/media), operator
 * database access (/_db) and the built PWA, on one port. Options override the environment.
 */
export interface BuildOptions extends Partial<Config> {
	/**
	 * The tenant's configuration (units, categories, routing, SLA, photo encoding) in place of, or
	 * derived from, the one of the tenant folder (TENANT_DIR); its boundaries and demo accounts still
	 * come from the folder. Tests and benchmarks vary a tenant this way.
	 */
	tenant?: TenantConfig | ((loaded: TenantConfig) => TenantConfig);
	/**
	 * Tests only: the server clock (receipt, event times, due times, the overdue job), so a test can
	 * move it hours ahead. Never set in production: the server's own clock is the only one trusted.
	 */
	now?: () => Date;
}

export async function buildServer(opts: BuildOptions = {}): Promise<ServerHandle> {
	const { tenant: tenantOption, now, ...configOpts } = opts;
	const config = await resolveConfig(configOpts);
	// Before anything is opened: a bad folder stops the start with its list of problems (TenantFolderError).
	const loaded = await loadTenant(config.tenantDir);
	let logError: (obj: unknown, msg: string) => void = () => {};
	let appLog: Pick<FastifyBaseLogger, 'error' | 'warn' | 'info'> | null = null;

	const storage = await openPouchStorage({
		dataDir: config.dataDir,
		dbPrefix: config.dbPrefix,
		couchdbUrl: config.couchdbUrl,
		requestTimeoutMs: config.couchdbTimeoutMs,
		onFeedError: (store, err) => logError({ err, store }, 'changes feed failed; resuming')
	});
	try {
		const tenant = TenantConfig.parse(
			typeof tenantOption === 'object' ? tenantOption : tenantOption ? tenantOption(loaded.config) : loaded.config
		);
		const stores = {
			reports: storage.store<Report>('reports'),
			contacts: storage.store<Contact>('contacts'),
			events: storage.store<ReportEvent>('events'),
			media: storage.store<Media>('media')
		};
		const users = storage.store<UserDoc>('users');
		const seeded = await seedDemoAccounts(users, { config: tenant, demoAccounts: loaded.demoAccounts });

		const tokens = createTokenService({ secret: config.tokenSecret, ttlSeconds: config.tokenTtlSeconds });
		const accounts = createAccountsService(users, storage.store<DeviceDoc>('devices'), tenant.id);
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
			dataDir: config.dataDir,
			authenticate: tokens.authenticate,
			getReport: (id) => stores.reports.get(id),
			getEvent: (id) => stores.events.get(id),
			saveMedia: async (doc) => {
				const [res] = await stores.media.bulkPut([{ doc }]);
				if (!res.ok) throw new Error(`Could not store media ${doc.id}: ${res.error}`);
			},
			getMedia: (id) => stores.media.get(id),
			canRead: scope.canRead,
			claims: photoClaims,
			belongs: (m) =>
				photoBelongs(m, {
					getReport: (id) => stores.reports.get(id),
					getEvent: (id) => stores.events.get(id),
					getClaim: (id) => photoClaimStore.get(id)
				}),
			uploadLimits: {
				ttlMs: config.uploadPendingTtlMs,
				sweepMs: config.uploadSweepMs,
				perIdentityBytes: config.uploadPendingPerDevice,
				perAddressBytes: config.uploadPendingPerAddress
			},
			log: (level, obj, msg) => appLog?.[level](obj, msg)
		});
		const dbAdmin = createDbAdmin({
			dataDir: config.dataDir,
			dbPrefix: config.dbPrefix,
			couchdbUrl: config.couchdbUrl,
			password: config.dbAdminPassword,
			allowRemote: config.dbAdminRemote,
			log: { error: (obj, msg) => logError(obj, msg ?? '/_db') }
		});

		const app = Fastify({
			// Refusals before routing (broken framing, oversized headers, undecodable URLs) in the API's error shape.
			clientErrorHandler,
			frameworkErrors,
			logger: {
				level: config.logLevel,
				serializers: {
					req: (req: { method: string; url: string; ip?: string }) => ({
						method: req.method,
						url: redactToken(req.url),
						remoteAddress: req.ip
					})
				}
			},
			// Photos (tus) and /_db are plain Node handlers: they take their requests before Fastify
			// parses anything (tus needs the raw body stream; express-pouchdb is an Express app).
			// Every route with a body takes a few KB; push sets its own (sync.routes.ts, body-limits.ts).
			bodyLimit: DEFAULT_BODY_LIMIT,
			serverFactory: (handler) =>
				applyHttpTimeouts(createServer(httpServerOptions(config), (req: IncomingMessage, res: ServerResponse) => {
					const url = req.url ?? '/';
					if (url === '/_db' || url.startsWith('/_db/') || url.startsWith('/_db?')) return void dbAdmin.handle(req, res);
					if (url.startsWith('/api/media/') || url === '/api/media') {
						media.handle(req, res).catch((err) => {
							logError({ err, url: redactToken(url) }, 'media request failed');
							if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
							res.end(JSON.stringify({ error: { code: 'server_error', message: 'Server error' } }));
						});
						return;
					}
					handler(req, res);
				}), config)
		});
		logError = (obj, msg) => app.log.error(obj, msg);
		appLog = app.log;
		app.setValidatorCompiler(validatorCompiler);
		app.setSerializerCompiler(serializerCompiler);
		app.setErrorHandler(errorHandler);
		installJsonParser(app);

		const servesApp = await (async () => {
			await app.register(helmet, helmetOptions(await inlineScriptHashes(config.staticDir)));
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
				tenantId: tenant.id,
				tokens,
				storage,
				tokenSecret: config.tokenSecret,
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
			await publicRoutes(app, { tenantId: tenant.id, stores: { ...stores, photoClaims: photoClaimStore }, dataDir: config.dataDir, eventsOf: intake.eventsOf });
			app.get('/api/health', async () => {
				const counts = await Promise.all(SYNC_COLLECTIONS.map(async (c) => [c, await syncStores[c].count()] as const));
				return { ok: true, storage: storage.kind, docs: Object.fromEntries(counts) };
			});
			const found = await registerStatic(app, config.staticDir);
			app.setNotFoundHandler(notFoundHandler(found));
			return found;
		})();

		// Streams never end by themselves: end them first, or closing would wait for them forever.
		app.addHook('preClose', async () => {
			for (const h of Object.values(hubs)) h.close();
		});
		// Photos of reports stored before photo ids were claimed get their claims, once, before anyone can push.
		const backfilled = await photoClaims.backfill(stores);
		if (backfilled) app.log.info({ documents: backfilled }, 'photo ids of stored reports and steps claimed');
		await Promise.all(Object.values(hubs).map((h) => h.start()));
		await app.listen({ port: config.port, host: config.host });
		// The SLA clock: reports turn overdue on their own (OVERDUE_CHECK_MS; 0 = not on this instance).
		const overdue = config.overdueCheckMs
			? createOverdueService({ ...stores, rederive: intake.rederive, intervalMs: config.overdueCheckMs, now, log: app.log })
			: null;
		overdue?.start();
		scopeIndex.start();

		const addr = app.server.address() as AddressInfo;
		const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
		const url = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
		let closing: Promise<void> | null = null;
		return {
			app,
			url,
			config,
			tenant,
			demoAccounts: loaded.demoAccounts,
			storage,
			tokens,
			servesApp,
			seeded,
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
