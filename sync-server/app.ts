import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TenantConfig } from '$lib/domain/tenant';
import { resolveConfig, type Config, type ConfigOptions } from './config';
import type { SmsSender } from './otp/sms';
import { createDbAdmin } from './db-admin/db-admin';
import { applyHttpTimeouts, httpServerOptions } from './http/connections';
import { clientErrorHandler } from './http/framework-errors';
import { inlineScriptHashes } from './http/security';
import { redactToken } from './http/http.module';
import { openTenantApp, type TenantApp } from './tenant/tenant-app';
import { tenantDbPrefix } from './tenant/tenant-names';
import { adoptLegacyLayout } from './tenant/legacy-layout';
import { answerUnknownHost, createTenantHosts, type TenantHosts } from './tenant/tenant-hosts';
import { matchTenantPath, prefixLocations, redirectToSlash } from './tenant/tenant-paths';
import { loadTenant, TenantFolderError, type LoadedTenant } from './tenant/tenant-loader';

/**
 * The running server. Its `app`, `tenant`, `storage`, `tokens`, … are the first province's (the only
 * one unless TENANTS names several): tests and main.ts read them.
 */
export interface ServerHandle extends Pick<TenantApp, 'app' | 'tenant' | 'demoAccounts' | 'storage' | 'tokens' | 'servesApp' | 'seeded'> {
	/** Where it listens, e.g. http://127.0.0.1:8787 (0.0.0.0 is shown as 127.0.0.1). */
	url: string;
	config: Config;
	/** Every province served, in the order of TENANTS. */
	tenants: TenantApp[];
	hosts: TenantHosts;
	close(): Promise<void>;
}

/**
 * Builds and starts the sync-server: for each province, the API, live streams, photo uploads
 * (/api/media) and the built PWA; operator database access (/_db); all on one port. The Host header
 * picks the province (sync-server/tenant/tenant-hosts.ts). Options override the environment.
 */
export interface BuildOptions extends ConfigOptions {
	/**
	 * The tenant's configuration (units, categories, routing, SLA, photo encoding) in place of, or
	 * derived from, the one of the tenant folder; its boundaries and demo accounts still come from the
	 * folder. Applies to every tenant served. Tests and benchmarks vary a tenant this way.
	 */
	tenant?: TenantConfig | ((loaded: TenantConfig) => TenantConfig);
	/**
	 * Tests only: the server clock (receipt, event times, due times, the overdue job), so a test can
	 * move it hours ahead. Never set in production: the server's own clock is the only one trusted.
	 */
	now?: () => Date;
	/**
	 * The SMS gateway (one-time codes, queue turn notices): a production deployment plugs its provider's
	 * here; without it, the development adapter writes messages to the log and sends nothing.
	 */
	sms?: SmsSender;
}

/** Every folder checked before anything is opened; all their problems reported together. */
async function loadTenants(dirs: string[]): Promise<LoadedTenant[]> {
	const results = await Promise.allSettled(dirs.map((d) => loadTenant(d)));
	const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
	const other = failed.find((e) => !(e instanceof TenantFolderError));
	if (other) throw other;
	if (failed.length === 1) throw failed[0];
	if (failed.length) {
		const errs = failed as TenantFolderError[];
		throw new TenantFolderError(errs.map((e) => e.dir).join(', '), errs.flatMap((e) => e.problems.map((p) => `${e.dir}: ${p}`)));
	}
	const loaded = results.map((r) => (r as PromiseFulfilledResult<LoadedTenant>).value);
	const ids = loaded.map((t) => t.config.id);
	const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
	if (twice.length) throw new TenantFolderError(dirs.join(', '), [`tenant.json: id: "${twice[0]}" is served twice (two folders with one id)`]);
	return loaded;
}

/** How long closing waits for requests under way before cutting their sockets. */
const CLOSE_GRACE_MS = 5_000;

const isDbAdminPath = (url: string) => url === '/_db' || url.startsWith('/_db/') || url.startsWith('/_db?');

function listen(server: Server, port: number, host: string): Promise<void> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
}

export async function buildServer(opts: BuildOptions = {}): Promise<ServerHandle> {
	const { tenant: tenantOption, now, sms, ...configOpts } = opts;
	const config = await resolveConfig(configOpts);
	// Before anything is opened: a bad folder stops the start with its list of problems (TenantFolderError).
	const loaded = await loadTenants(config.tenantDirs);
	const hosts = createTenantHosts(loaded.map((t) => t.config.id), config.tenantHosts);
	const scriptHashes = await inlineScriptHashes(config.staticDir);

	// One province on LevelDB: a data directory from before tenant folders keeps its data (legacy-layout.ts).
	const adopted =
		loaded.length === 1 && !config.couchdbUrl
			? await adoptLegacyLayout({ dataDir: config.dataDir, dbPrefix: config.dbPrefix, tenantId: loaded[0].config.id })
			: [];

	const tenants: TenantApp[] = [];
	const closeTenants = () => Promise.all(tenants.map((t) => t.close()));
	try {
		for (const t of loaded) tenants.push(await openTenantApp({ config, loaded: t, tenantOption, now, sms, scriptHashes }));
	} catch (err) {
		await closeTenants().catch(() => undefined);
		throw err;
	}
	const first = tenants[0];
	const log = first.app.log;
	if (adopted.length) log.warn({ moved: adopted }, 'data of the single-tenant layout moved to the tenant\'s names');
	const byId = new Map(tenants.map((t) => [t.id, t]));
	const tenantIds = new Set(byId.keys());

	// The operator's database access: one for the deployment (every tenant's databases), password-protected, loopback by default.
	const dbAdmin = createDbAdmin({
		dataDir: config.dataDir,
		dbPrefixes: tenants.map((t) => tenantDbPrefix(config.dbPrefix, t.id)),
		couchdbUrl: config.couchdbUrl,
		password: config.dbAdminPassword,
		allowRemote: config.dbAdminRemote,
		log: { error: (obj, msg) => log.error(obj, msg ?? '/_db') }
	});

	const server = applyHttpTimeouts(
		createServer(httpServerOptions(config), (req: IncomingMessage, res: ServerResponse) => {
			const url = req.url ?? '/';
			// express-pouchdb is an Express app: it takes its requests before anything is parsed.
			if (isDbAdminPath(url)) return void dbAdmin.handle(req, res);
			const id = hosts.resolve(req.headers.host);
			if (!id) {
				// One host for several provinces: the first segment of the path names one (tenant-paths.ts).
				const byPath = matchTenantPath(url, tenantIds);
				if (byPath) {
					if (redirectToSlash(req, res, byPath.base)) return;
					req.url = byPath.url;
					prefixLocations(res, byPath.base);
					return byId.get(byPath.tenantId)!.handle(req, res);
				}
			}
			const tenant = id ? byId.get(id) : undefined;
			if (!tenant) {
				log.info({ host: req.headers.host, url: redactToken(url) }, 'request for a host that serves no tenant');
				return answerUnknownHost(url, res);
			}
			tenant.handle(req, res);
		}),
		config
	);
	// Refusals before routing (broken framing, oversized headers) in the API's error shape.
	server.on('clientError', clientErrorHandler);
	try {
		await listen(server, config.port, config.host);
	} catch (err) {
		await closeTenants().catch(() => undefined);
		throw err;
	}
	for (const t of tenants) t.start();

	const addr = server.address() as AddressInfo;
	const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
	const url = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
	let closing: Promise<void> | null = null;
	return {
		app: first.app,
		url,
		config,
		tenants,
		hosts,
		tenant: first.tenant,
		demoAccounts: first.demoAccounts,
		storage: first.storage,
		tokens: first.tokens,
		servesApp: first.servesApp,
		seeded: first.seeded,
		close: () =>
			(closing ??= (async () => {
				// No new connections. Live streams end first (they would hold their sockets forever), then the
				// requests under way get their answer (idle keep-alive sockets closed as they appear), then
				// each tenant closes its jobs and databases.
				const closed = new Promise<void>((resolve) => server.close(() => resolve()));
				for (const t of tenants) t.endStreams();
				const sweep = setInterval(() => server.closeIdleConnections(), 50);
				server.closeIdleConnections();
				await Promise.race([closed, new Promise((r) => setTimeout(r, CLOSE_GRACE_MS))]);
				clearInterval(sweep);
				server.closeAllConnections();
				await closed;
				await closeTenants();
			})())
	};
}
