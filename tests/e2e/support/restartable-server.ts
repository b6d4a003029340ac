/**
 * A sync-server a test can stop and start again on the same port and data directory — a server
 * going down, or coming back with a changed tenant configuration or a new token secret, while the
 * browser keeps its cached app and outbox. For the specs that need it, `test` here replaces the
 * shared per-file server with one per test (and `baseURL` points at it).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildServer, type BuildOptions, type ServerHandle } from '../../../sync-server/app';
import { test as base, STATIC_DIR } from '../fixtures';

export interface RestartableServer {
	/** Fixed for the test's whole life, across restarts. */
	url: string;
	port: number;
	dataDir: string;
	/** The running server, or null while stopped. */
	handle: ServerHandle | null;
	stop(): Promise<void>;
	/** Starts again on the same port and data, with other options (e.g. a changed `tenant`). */
	start(opts?: Pick<BuildOptions, 'tenant' | 'tokenSecret'>): Promise<void>;
}

async function createRestartableServer(): Promise<RestartableServer & { dispose(): Promise<void> }> {
	const dataDir = await mkdtemp(path.join(tmpdir(), 'caunoi-e2e-'));
	const boot = (port: number, opts: Pick<BuildOptions, 'tenant' | 'tokenSecret'> = {}) =>
		buildServer({
			port,
			host: '127.0.0.1',
			dataDir,
			staticDir: STATIC_DIR,
			logLevel: process.env.LOG_LEVEL ?? 'warn',
			...opts
		});
	let handle: ServerHandle;
	try {
		handle = await boot(0);
	} catch (e) {
		await rm(dataDir, { recursive: true, force: true });
		throw e;
	}
	if (!handle.servesApp) {
		await handle.close();
		await rm(dataDir, { recursive: true, force: true });
		throw new Error(`No built app in ${STATIC_DIR}: run \`npx vite build\` before the end-to-end tests.`);
	}
	const port = Number(new URL(handle.url).port);
	const server = {
		url: handle.url,
		port,
		dataDir,
		handle: handle as ServerHandle | null,
		async stop() {
			const running = server.handle;
			server.handle = null;
			await running?.close();
		},
		async start(opts: Pick<BuildOptions, 'tenant' | 'tokenSecret'> = {}) {
			if (server.handle) throw new Error('The server is already running');
			server.handle = await boot(port, opts);
		},
		async dispose() {
			await server.stop().catch(() => undefined);
			await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
		}
	};
	return server;
}

/** A token secret unlike the one the server made on its first start: every issued token turns invalid. */
export const freshTokenSecret = () => randomBytes(32).toString('base64url');

export const test = base.extend<{ ownServer: RestartableServer }>({
	ownServer: async ({}, use) => {
		const server = await createRestartableServer();
		try {
			await use(server);
		} finally {
			await server.dispose();
		}
	},
	// Not the shared per-file server: this test's own.
	baseURL: async ({ ownServer }, use) => {
		await use(ownServer.url);
	}
});

export { expect } from '../fixtures';
