import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { wardMatcher } from '$lib/domain/geo';
import { SYNC_COLLECTIONS } from '$lib/domain/sync-protocol';
import { TenantConfig } from '$lib/domain/tenant';
import { setupAccess } from '../access/access.module';
import type { UserDoc } from '../auth/accounts.service';
import { setupAuth } from '../auth/auth.module';
import type { TokenService } from '../auth/tokens';
import type { Config } from '../config';
import { createHttpApp } from '../http/http.module';
import { registerApp } from '../http/static';
import { setupMedia } from '../media/media.module';
import { setupDossiers } from '../dossiers/dossiers.module';
import { setupApiKeys } from '../api-keys/api-keys.module';
import { setupOffice } from '../office/office.module';
import { createOfficeSettings } from '../office/office-settings';
import { setupOtp } from '../otp/otp.module';
import { setupPublic } from '../public/public.module';
import { setupTiles } from '../tiles/tiles.module';
import { setupZoning } from '../zoning/zoning.module';
import { setupIoc } from '../ioc/ioc.module';
import { createWarningNotices } from '../ioc/warning-notices';
import { setupOfflineAreas } from '../offline-areas/offline-areas.module';
import { setupOpen311 } from '../open311/open311.module';
import { setupPush } from '../push/push.module';
import { setupReports } from '../reports/reports.module';
import type { TrackingClaim } from '../reports/tracking-code';
import { seedDemoAccounts } from '../seed/demo-tenant';
import { openPouchStorage } from '../storage/pouch-storage';
import type { Storage } from '../storage/storage';
import { openSyncStores, storesByCollection } from '../storage/sync-stores';
import { setupSync } from '../sync/sync.module';
import type { SmsSender } from '../otp/sms';
import type { DemoAccountEntry, DemoApiKeyEntry, LoadedTenant } from './tenant-loader';
import { tenantDbPrefix, tenantFilesDir, tenantSecret } from './tenant-names';
import { tenantRoutes } from './tenant.routes';

/** One province served by this process: its own databases, files, key, accounts and HTTP routes. */
export interface TenantApp {
	id: string;
	app: FastifyInstance;
	tenant: TenantConfig;
	/** The accounts the tenant folder seeds for a demo (main.ts lists them). */
	demoAccounts: DemoAccountEntry[];
	/** The well-known API keys the tenant folder seeds for a demo (main.ts lists them). */
	demoApiKeys: DemoApiKeyEntry[];
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
	/** See BuildOptions.sms. */
	sms?: SmsSender;
	/** The built PWA's inline script hashes (computed once for every tenant). */
	scriptHashes: string[];
}

/**
 * Opens one tenant: its storage and demo accounts, then its Fastify app with the shared plugins and
 * each server folder's module (`<folder>.module.ts`) in order: a module creates its services from
 * the storage and the configuration, registers its routes and returns what the next ones need.
 */
export async function openTenantApp(opts: TenantAppOptions): Promise<TenantApp> {
	const { config, loaded, tenantOption, now } = opts;
	const tenant = TenantConfig.parse(
		typeof tenantOption === 'object' ? tenantOption : tenantOption ? tenantOption(loaded.config) : loaded.config
	);
	const id = tenant.id;
	const filesDir = tenantFilesDir(config.dataDir, id);
	const secret = tenantSecret(config.tokenSecret, id);
	// The storage is opened before the app exists: its feed errors reach the app's log once there is one.
	let logError: (obj: unknown, msg: string) => void = () => {};

	const storage = await openPouchStorage({
		dataDir: config.dataDir,
		dbPrefix: tenantDbPrefix(config.dbPrefix, id),
		couchdbUrl: config.couchdbUrl,
		requestTimeoutMs: config.couchdbTimeoutMs,
		onFeedError: (store, err) => logError({ err, store }, 'changes feed failed; resuming')
	});
	try {
		const stores = openSyncStores(storage);
		const seeded = await seedDemoAccounts(storage.store<UserDoc>('users'), { config: tenant, demoAccounts: loaded.demoAccounts });

		const app = await createHttpApp({ config, tenantId: id, scriptHashes: opts.scriptHashes });
		logError = (obj, msg) => app.log.error(obj, msg);

		// Each module takes what the ones before it return. Routes are registered in this order:
		// auth, otp, tenant, sync, push, public (access, reports and media have none in Fastify).
		const { tokens, accounts } = await setupAuth(app, { config, storage, tenantId: id, secret });
		const access = setupAccess(app, { storage, stores });
		const reports = setupReports(app, { config, tenant, storage, stores, index: access.scopeIndex, now });
		const media = setupMedia(app, { config, filesDir, storage, stores, tokens, scope: access.scope });
		const { links, sms } = await setupOtp(app, { config, tenantId: id, secret, storage, stores, tokens, accounts, sms: opts.sms, now });
		// The offices an admin saved (office-settings.ts) replace the folder's in what devices read too.
		const officeSettings = await createOfficeSettings({ tenant, storage, log: app.log });
		let served = { of: tenant.office, config: tenant };
		const tenantNow = () => {
			const office = officeSettings.current();
			if (office !== served.of) served = { of: office, config: { ...tenant, office } };
			return served.config;
		};
		await tenantRoutes(app, { config: tenantNow, boundariesFile: loaded.boundariesFile, boundaries: loaded.boundaries, procedures: loaded.procedures });
		// The tenant's own base-map tiles (its folder's tiles/), for a map that needs no other server.
		setupTiles(app, { dir: path.join(loaded.dir, 'tiles'), poster: path.join(loaded.dir, 'map-poster.png') });
		const zoning = await setupZoning(app, { zoning: loaded.zoning, boundaries: loaded.boundaries, storage, tokens, tenant, now });
		// A commune for offline use: its boundary, offices, zoning package and own tiles, listed with hashes.
		await setupOfflineAreas(app, { tilesDir: path.join(loaded.dir, 'tiles'), map: tenant.map, boundaries: loaded.boundaries, adminUnits: tenant.adminUnits, zoning, offices: () => officeSettings.current()?.offices ?? [] });
		// The boundaries the devices detect wards with (checked against adminUnits by the loader).
		const wardMatches = wardMatcher(loaded.boundaries);
		const sync = await setupSync(app, { config, tenant, stores, tokens, access, intake: reports.intake, afterPush: links.afterPush, photos: media.photoClaims, wardMatches, now });
		const push = await setupPush(app, { config, storage, stores, tokens });
		const office = await setupOffice(app, { config, tenant, settings: officeSettings, storage, tokens, sms, push: push.deliver, now });
		const apiKeys = await setupApiKeys(app, { storage, tokens, tenantId: id, now });
		await apiKeys.seed(loaded.demoApiKeys ?? []);
		const dossierFiles = await setupDossiers(app, { config, tenant, procedures: loaded.procedures, storage, tokens, now, offices: officeSettings.current, push: push.deliver });
		const ioc = await setupIoc(app, {
			config,
			tenant,
			stores,
			storage,
			tokens,
			offices: () => officeSettings.current()?.offices ?? [],
			notify: createWarningNotices({ users: storage.store<UserDoc>('users'), deliver: push.deliver }),
			now
		});
		await setupPublic(app, {
			tenantId: id,
			trackingPrefix: tenant.trackingPrefix,
			stores,
			claimStore: media.claimStore,
			trackingCodes: storage.store<TrackingClaim>('tracking-codes'),
			codeLookupLimit: config.codeLookupLimit,
			filesDir,
			eventsOf: reports.intake.eventsOf,
			categories: tenant.categories
		});
		// Open311 GeoReport v2 at /open311/v2 for other systems (after api-keys: filing takes a key).
		const open311 = await setupOpen311(app, { tenant, storage, stores, boundaries: loaded.boundaries, wardMatches, intake: reports.intake, filesDir, photoClaims: media.photoClaims, now });
		const Health = z.object({ ok: z.literal(true), tenant: z.string(), storage: z.string(), docs: z.record(z.string(), z.number().int()) });
		app.get('/api/health', { schema: { response: { 200: Health } } }, async () => {
			const collections = storesByCollection(stores);
			const counts = await Promise.all(SYNC_COLLECTIONS.map(async (c) => [c, await collections[c].count()] as const));
			return { ok: true, tenant: id, storage: storage.kind, docs: Object.fromEntries(counts) };
		});
		// The built app at `/`, and a build made for `/<id>/` when STATIC_DIR/<id> holds one (tenant-paths.ts).
		const servesApp = await registerApp(app, config.staticDir, id);

		// Streams never end by themselves: end them first, or closing would wait for them forever.
		app.addHook('preClose', async () => {
			sync.endStreams();
			ioc.stop();
		});
		await media.claimStoredPhotos();
		await app.ready();
		await sync.startStreams();
		await ioc.start();

		let closing: Promise<void> | null = null;
		return {
			id,
			app,
			tenant,
			demoAccounts: loaded.demoAccounts,
			demoApiKeys: loaded.demoApiKeys ?? [],
			storage,
			tokens,
			servesApp,
			seeded,
			filesDir,
			handle(req, res) {
				if (media.owns(req.url ?? '/')) return media.handle(req, res);
				if (dossierFiles?.owns(req.url ?? '/')) return dossierFiles.handle(req, res);
				if (open311.owns(req.url ?? '/')) return open311.handle(req, res);
				app.routing(req, res);
			},
			start() {
				reports.start();
				access.start();
			},
			endStreams: sync.endStreams,
			// The overdue job first (it writes), then the app (streams, requests), the index, photos, storage last.
			close: () =>
				(closing ??= (async () => {
					await reports.stop();
					await app.close();
					office.close();
					officeSettings.close();
					await access.stop();
					await media.close();
					await open311.close();
					await storage.close();
				})())
		};
	} catch (err) {
		await storage.close().catch(() => undefined);
		throw err;
	}
}
