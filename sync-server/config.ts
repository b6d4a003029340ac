import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTenantHosts } from './tenant/tenant-hosts';

/**
 * Everything the sync-server reads from its environment. Secrets that are not given are generated
 * once and kept in DATA_DIR, so a restart keeps tokens and the operator password valid.
 *
 * | env                | default        | what |
 * | ------------------ | -------------- | ---- |
 * | PORT               | 8787           | listening port (0 = ephemeral, used by tests) |
 * | HOST               | 127.0.0.1      | loopback only by default: a fresh install is not reachable from the network until the operator says so (HOST=0.0.0.0) |
 * | DATA_DIR           | ./.data        | LevelDB databases (db/), secrets, uploads |
 * | COUCHDB_URL        | (none)         | e.g. http://admin:pw@127.0.0.1:5984 — store in a CouchDB cluster instead of LevelDB |
 * | COUCHDB_NODES      | 1              | nodes of the CouchDB cluster: above 1, a ticket number's claim is read back before it is given (two nodes may both accept one create) |
 * | COUCHDB_TIMEOUT_MS | 15000          | longest wait for one CouchDB request (live feeds excepted): a hung cluster gets 500 server_error, not requests held forever (0 = none) |
 * | DB_PREFIX          | caunoi-        | database names are `${DB_PREFIX}<tenant>-reports` … in both modes |
 * | TOKEN_SECRET       | DATA_DIR/secret| HS256 key; set it explicitly when several instances share one CouchDB |
 * | TOKEN_TTL_SECONDS  | 43200 (12 h)   | lifetime of a token; devices renew silently with their device secret |
 * | DB_ADMIN_PASSWORD  | DATA_DIR/db-admin-password | password of `admin` at /_db (Fauxton) |
 * | DB_ADMIN_REMOTE    | 0              | 1 allows /_db from non-loopback addresses (still password-protected) |
 * | STATIC_DIR         | ./build        | the built PWA |
 * | TENANT_DIR         | data/tenants/lam-dong | the province served: its folder (tenant.json, boundaries), checked whole at start (sync-server/tenant/tenant-loader.ts) |
 * | TENANTS            | (none)         | several provinces on one server, e.g. `lam-dong,dak-lak`: folders TENANTS_DIR/<id>, each with its own databases, files, accounts and token key (in place of TENANT_DIR) |
 * | TENANTS_DIR        | data/tenants   | where the folders named in TENANTS are |
 * | TENANT_HOSTS       | (none)         | with several provinces, the host name of each: `lamdong.example=lam-dong,daklak.example=dak-lak`; `<id>.localhost` always works; any other host gets 404 |
 * | LOG_LEVEL          | info           | pino level (silent, error, warn, info, debug) |
 * | LOGIN_RATE_LIMIT   | 10             | staff logins per minute per address and username |
 * | TICKET_RATE_LIMIT  | 30             | queue-ticket takes per minute per address (the office's daily limits come on top) |
 * | OTP_IP_LIMIT       | 30             | one-time codes asked for per hour from one address (sync-server/otp); behind a reverse proxy every request has the proxy's address, so raise it there |
 * | CODE_LOOKUP_LIMIT  | 60             | different tracking codes one address may look up per hour (sync-server/public); the same code again is not counted; behind a reverse proxy, raise it; 0 = no limit
 * | OTP_TEST_ENDPOINT  | 0              | 1 adds `GET /api/test/otp?phone=` answering the last code (tests, e2e; never in production) |
 * | OVERDUE_CHECK_MS   | 60000          | pause between two passes of the overdue job (the SLA clock); 0 = no job on this instance |
 * | IOC_WARNINGS_MS    | 60000          | pause between two checks for the operations centre's warnings (sync-server/ioc/warnings.ts); 0 = none on this instance |
 * | VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY | DATA_DIR/vapid.json | Web Push key pair (`npx web-push generate-vapid-keys`); set both, the same on every instance |
 * | VAPID_SUBJECT      | mailto:admin@cau-noi.invalid | contact the push services may use (mailto: or https:), see docs/PUSH.md |
 * | PUSH_CA_FILE       | (none)         | extra CA certificate (PEM) trusted when sending to push services (a private relay; tests) |
 * | UPLOAD_PENDING_TTL_MS | 86400000 (24 h) | a partial photo upload with no new byte for this long is deleted (sync-server/media/upload-ledger.ts) |
 * | UPLOAD_SWEEP_MS    | 600000         | how often expired partial uploads are looked for (also at start); 0 = at start only |
 * | UPLOAD_PENDING_DEVICE_MB | 60       | unfinished upload bytes one device or account may hold; over it a new upload is refused (429 media_quota) and the phone keeps the photo |
 * | UPLOAD_PENDING_ADDRESS_MB | 200     | the same per client address; behind a reverse proxy every request has the proxy's address: raise it |
 * | PUSH_ALLOW_LOCAL_ENDPOINTS | 0      | 1 accepts push endpoints on loopback or IP addresses (tests, a relay on the LAN); never in production |
 * | HTTP_HEADERS_TIMEOUT_MS | 20000     | a request's headers must arrive within this (a socket trickling headers is closed) |
 * | HTTP_REQUEST_TIMEOUT_MS | 120000    | a whole request (headers and body) must arrive within this: a 512 KB photo chunk takes ~10 s at 400 kbps, so this leaves weak links (~40 kbps) room; live streams are not affected (their request is complete at once) |
 * | HTTP_KEEPALIVE_TIMEOUT_MS | 10000   | an idle keep-alive connection between two requests is closed after this |
 * | HTTP_IDLE_TIMEOUT_MS | 30000        | a socket on which nothing is read or written for this long is closed; live streams send a heartbeat at half of it |
 * | STREAMS_PER_IDENTITY | 16           | live streams one device or account may hold open (the app opens 4 per tab); the next is refused 429 rate_limited; 0 = no cap |
 * | STREAMS_PER_ADDRESS | 128           | live streams from one client address (NAT: a commune office, a carrier); behind a reverse proxy, raise it; 0 = no cap |
 */
export interface Config {
	port: number;
	host: string;
	dataDir: string;
	couchdbUrl?: string;
	couchdbTimeoutMs: number;
	couchdbNodes: number;
	dbPrefix: string;
	tokenSecret: string;
	tokenTtlSeconds: number;
	dbAdminPassword: string;
	dbAdminRemote: boolean;
	staticDir: string;
	/** The tenant folders (data/tenants/<id>) this server serves: TENANTS, else TENANT_DIR. */
	tenantDirs: string[];
	/** Host name → tenant id (TENANT_HOSTS; sync-server/tenant/tenant-hosts.ts). */
	tenantHosts: Record<string, string>;
	logLevel: string;
	loginRateLimit: number;
	ticketRateLimit: number;
	/** Phone verification (sync-server/otp): codes per hour per address, and the test-only code endpoint. */
	otpIpLimit: number;
	otpTestEndpoint: boolean;
	/** Different tracking codes one address may look up per hour (sync-server/public/code-lookup-limiter.ts). */
	codeLookupLimit: number;
	/** The overdue job's interval (sync-server/reports/overdue.service.ts); 0 turns it off. */
	overdueCheckMs: number;
	/** The operations centre's warning check (sync-server/ioc/warnings.ts); 0 turns it off. */
	iocWarningsMs: number;
	/** Web Push (sync-server/push): both keys or neither (then generated once into DATA_DIR). */
	vapidPublicKey?: string;
	vapidPrivateKey?: string;
	vapidSubject: string;
	pushCaFile?: string;
	pushAllowLocalEndpoints: boolean;
	/** Connection hygiene (app.ts serverFactory) and live stream caps (sync-server/sync/stream.service.ts). */
	httpHeadersTimeoutMs: number;
	httpRequestTimeoutMs: number;
	httpKeepAliveTimeoutMs: number;
	httpIdleTimeoutMs: number;
	streamsPerIdentity: number;
	streamsPerAddress: number;
	/** Partial photo uploads (sync-server/media/upload-ledger.ts): expiry, sweep interval, caps in bytes. */
	uploadPendingTtlMs: number;
	uploadSweepMs: number;
	uploadPendingPerDevice: number;
	uploadPendingPerAddress: number;
	/** True when DB_ADMIN_PASSWORD was generated on this start (main.ts prints it once). */
	dbAdminPasswordGenerated?: boolean;
	/** True when TOKEN_SECRET came from DATA_DIR/secret rather than the environment. */
	tokenSecretFromFile?: boolean;
}

/** The demo province shipped with the repository; resolved from here so it does not depend on the working directory. */
export const DEFAULT_TENANT_DIR = fileURLToPath(new URL('../data/tenants/lam-dong/', import.meta.url));
export const DEFAULT_TENANTS_DIR = path.dirname(DEFAULT_TENANT_DIR);

/** TENANTS (ids under TENANTS_DIR) or the one TENANT_DIR; an option given by a caller wins. */
function tenantDirsOf(opts: ConfigOptions, env: NodeJS.ProcessEnv): string[] {
	if (opts.tenantDirs?.length) return opts.tenantDirs.map((d) => path.resolve(d));
	if (opts.tenantDir) return [path.resolve(opts.tenantDir)];
	const ids = (env.TENANTS ?? '').split(/[\s,]+/).filter(Boolean);
	if (!ids.length) return [path.resolve(env.TENANT_DIR || DEFAULT_TENANT_DIR)];
	if (env.TENANT_DIR) throw new Error('Set TENANTS (several provinces) or TENANT_DIR (one), not both');
	const bad = ids.filter((id) => !/^[a-z0-9-]+$/.test(id));
	if (bad.length) throw new Error(`TENANTS: not a tenant id: ${bad.join(', ')} (lower-case letters, digits and -)`);
	if (new Set(ids).size !== ids.length) throw new Error(`TENANTS: a tenant is named twice (${ids.join(', ')})`);
	const root = path.resolve(env.TENANTS_DIR || DEFAULT_TENANTS_DIR);
	return ids.map((id) => path.join(root, id));
}

/** Options of `resolveConfig`: any setting, or one tenant folder (`tenantDir`) for short. */
export type ConfigOptions = Partial<Config> & { tenantDir?: string };

function int(v: string | undefined, fallback: number): number {
	if (v === undefined || v === '') return fallback;
	const n = Number(v);
	if (!Number.isInteger(n) || n < 0) throw new Error(`Expected a non-negative integer, got "${v}"`);
	return n;
}

/** Reads a secret kept in DATA_DIR, or makes one and stores it (mode 0600). */
async function fileSecret(file: string, make: () => string): Promise<{ value: string; generated: boolean }> {
	try {
		const value = (await readFile(file, 'utf8')).trim();
		if (value) return { value, generated: false };
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
	}
	const value = make();
	await writeFile(file, value + '\n', { mode: 0o600 });
	return { value, generated: true };
}

/** Defaults ← environment ← explicit options (tests pass port 0 and a temp DATA_DIR). */
export async function resolveConfig(
	opts: ConfigOptions = {},
	env: NodeJS.ProcessEnv = process.env
): Promise<Config> {
	const dataDir = path.resolve(opts.dataDir ?? env.DATA_DIR ?? './.data');
	await mkdir(dataDir, { recursive: true });

	let tokenSecret = opts.tokenSecret ?? env.TOKEN_SECRET;
	let tokenSecretFromFile = false;
	if (!tokenSecret) {
		tokenSecret = (await fileSecret(path.join(dataDir, 'secret'), () => randomBytes(32).toString('base64url'))).value;
		tokenSecretFromFile = true;
	}
	if (Buffer.byteLength(tokenSecret) < 32) throw new Error('TOKEN_SECRET must be at least 32 bytes');

	let dbAdminPassword = opts.dbAdminPassword ?? env.DB_ADMIN_PASSWORD;
	let dbAdminPasswordGenerated = false;
	if (!dbAdminPassword) {
		const s = await fileSecret(path.join(dataDir, 'db-admin-password'), () => randomBytes(15).toString('base64url'));
		dbAdminPassword = s.value;
		dbAdminPasswordGenerated = s.generated;
	}

	const couchdbUrl = opts.couchdbUrl ?? (env.COUCHDB_URL || undefined);
	return {
		port: opts.port ?? int(env.PORT, 8787),
		host: opts.host ?? env.HOST ?? '127.0.0.1',
		dataDir,
		couchdbUrl: couchdbUrl ? couchdbUrl.replace(/\/+$/, '') : undefined,
		couchdbNodes: opts.couchdbNodes ?? int(env.COUCHDB_NODES, 1),
		// Under the device's own 30 s timeout, so the phone hears server_error rather than nothing.
		couchdbTimeoutMs: opts.couchdbTimeoutMs ?? int(env.COUCHDB_TIMEOUT_MS, 15_000),
		dbPrefix: opts.dbPrefix ?? env.DB_PREFIX ?? 'caunoi-',
		tokenSecret,
		tokenTtlSeconds: opts.tokenTtlSeconds ?? int(env.TOKEN_TTL_SECONDS, 12 * 3600),
		dbAdminPassword,
		dbAdminRemote: opts.dbAdminRemote ?? env.DB_ADMIN_REMOTE === '1',
		staticDir: path.resolve(opts.staticDir ?? env.STATIC_DIR ?? './build'),
		tenantDirs: tenantDirsOf(opts, env),
		tenantHosts: opts.tenantHosts ?? parseTenantHosts(env.TENANT_HOSTS),
		logLevel: opts.logLevel ?? env.LOG_LEVEL ?? 'info',
		loginRateLimit: opts.loginRateLimit ?? int(env.LOGIN_RATE_LIMIT, 10),
		ticketRateLimit: opts.ticketRateLimit ?? int(env.TICKET_RATE_LIMIT, 30),
		otpIpLimit: opts.otpIpLimit ?? int(env.OTP_IP_LIMIT, 30),
		otpTestEndpoint: opts.otpTestEndpoint ?? env.OTP_TEST_ENDPOINT === '1',
		codeLookupLimit: opts.codeLookupLimit ?? int(env.CODE_LOOKUP_LIMIT, 60),
		overdueCheckMs: opts.overdueCheckMs ?? int(env.OVERDUE_CHECK_MS, 60_000),
		iocWarningsMs: opts.iocWarningsMs ?? int(env.IOC_WARNINGS_MS, 60_000),
		vapidPublicKey: opts.vapidPublicKey ?? (env.VAPID_PUBLIC_KEY || undefined),
		vapidPrivateKey: opts.vapidPrivateKey ?? (env.VAPID_PRIVATE_KEY || undefined),
		vapidSubject: opts.vapidSubject ?? (env.VAPID_SUBJECT || 'mailto:admin@cau-noi.invalid'),
		pushCaFile: opts.pushCaFile ?? (env.PUSH_CA_FILE || undefined),
		pushAllowLocalEndpoints: opts.pushAllowLocalEndpoints ?? env.PUSH_ALLOW_LOCAL_ENDPOINTS === '1',
		httpHeadersTimeoutMs: opts.httpHeadersTimeoutMs ?? int(env.HTTP_HEADERS_TIMEOUT_MS, 20_000),
		httpRequestTimeoutMs: opts.httpRequestTimeoutMs ?? int(env.HTTP_REQUEST_TIMEOUT_MS, 120_000),
		httpKeepAliveTimeoutMs: opts.httpKeepAliveTimeoutMs ?? int(env.HTTP_KEEPALIVE_TIMEOUT_MS, 10_000),
		httpIdleTimeoutMs: opts.httpIdleTimeoutMs ?? int(env.HTTP_IDLE_TIMEOUT_MS, 30_000),
		streamsPerIdentity: opts.streamsPerIdentity ?? int(env.STREAMS_PER_IDENTITY, 16),
		streamsPerAddress: opts.streamsPerAddress ?? int(env.STREAMS_PER_ADDRESS, 128),
		uploadPendingTtlMs: opts.uploadPendingTtlMs ?? int(env.UPLOAD_PENDING_TTL_MS, 24 * 3_600_000),
		uploadSweepMs: opts.uploadSweepMs ?? int(env.UPLOAD_SWEEP_MS, 600_000),
		uploadPendingPerDevice: opts.uploadPendingPerDevice ?? int(env.UPLOAD_PENDING_DEVICE_MB, 60) * 1024 * 1024,
		uploadPendingPerAddress: opts.uploadPendingPerAddress ?? int(env.UPLOAD_PENDING_ADDRESS_MB, 200) * 1024 * 1024,
		dbAdminPasswordGenerated,
		tokenSecretFromFile
	};
}
