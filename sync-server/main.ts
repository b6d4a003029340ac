/**
 * Starts the sync-server: `npx tsx sync-server/main.ts` (or `npm run server`).
 * Configuration comes from the environment (sync-server/config.ts); by default it listens on
 * http://127.0.0.1:8787 and keeps its data in ./.data.
 */
import { buildServer } from './app';
import { DEMO_PASSWORD, demoAccounts } from './seed/demo-tenant';
import { TenantFolderError } from './tenant/tenant-loader';

const server = await buildServer().catch((err: unknown) => {
	// A bad tenant folder is the operator's to fix: the list of problems, not a stack trace.
	if (!(err instanceof TenantFolderError)) throw err;
	console.error(err.message);
	process.exit(1);
});
const { config } = server;
const log = server.app.log;

// A promise nobody awaited must not take the whole service down (express-pouchdb at /_db leaves
// some, e.g. a failed _replicate): log it and keep serving.
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

const several = server.tenants.length > 1;
const port = new URL(server.url).port;
const accountLines = (t: (typeof server.tenants)[number]) => [
	t.demoAccounts.length ? `Demo accounts${several ? ` of ${t.tenant.nameVi}` : ''} (password ${DEMO_PASSWORD}):` : '',
	...demoAccounts(t).map(
		(a) =>
			`  ${a.username.padEnd(32)} ${a.role.padEnd(9)} ${a.role === 'volunteer' ? `${a.name}, files for villagers at /volunteer` : a.unitIds.length > 1 ? 'all units' : (a.unitIds[0] ?? '')}${a.unitHead ? ' (unit head: /ioc for it)' : ''}`
	),
	// The demo Open311 client's key (README: "Connecting another system").
	...t.demoApiKeys.map((k) => `Demo API key (${k.scopes.join(', ')}, ${k.name}): ${k.key}`),
	''
];
const lines = [
	'',
	several ? `Cầu Nối sync-server on port ${port}, ${server.tenants.length} provinces:` : `Cầu Nối sync-server: ${server.url}`,
	// Each province at its own host (TENANT_HOSTS; <id>.localhost works in a browser on this machine).
	...(several ? server.tenants.map((t) => `  ${t.tenant.nameVi.padEnd(20)} ${server.hosts.hostsOf(t.id).map((h) => `http://${h}:${port}`).join('  ')}`) : []),
	`  storage: ${server.storage.kind === 'couchdb' ? 'CouchDB (COUCHDB_URL)' : `LevelDB in ${config.dataDir}/db`}`,
	server.servesApp
		? `  app: serving ${config.staticDir}`
		: `  app: no build in ${config.staticDir} (run \`npm run build\`); the API works without it`,
	config.host === '127.0.0.1' ? '  listening on loopback only: set HOST=0.0.0.0 to reach it from other devices' : '',
	'',
	...server.tenants.flatMap(accountLines),
	server.storage.kind === 'leveldb'
		? config.dbAdminPasswordGenerated
			? `Database admin (Fauxton): ${server.url}/_db/_utils/  user admin, password ${config.dbAdminPassword} (saved in ${config.dataDir}/db-admin-password)`
			: `Database admin (Fauxton): ${server.url}/_db/_utils/  user admin, password in DB_ADMIN_PASSWORD or ${config.dataDir}/db-admin-password`
		: '',
	config.couchdbUrl && config.tokenSecretFromFile
		? 'WARNING: TOKEN_SECRET is not set; instances sharing this CouchDB must share one TOKEN_SECRET.'
		: ''
].filter((l, i, all) => l !== '' || all[i - 1] !== '');
console.log(lines.join('\n'));

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		if (stopping) process.exit(1);
		stopping = true;
		server.close().then(
			() => process.exit(0),
			(err) => {
				log.error({ err }, 'shutdown failed');
				process.exit(1);
			}
		);
	});
}
