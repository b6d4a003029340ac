/**
 * Playwright fixtures for Cầu Nối's end-to-end tests.
 *
 * `server`: the real sync-server serving the built PWA (build/, so run `vite build` first), on an
 * ephemeral port with a fresh temporary DATA_DIR (demo tenant and accounts seeded). One server per
 * test FILE: tests of a file share it (and its data), the next file gets a new one. Playwright
 * keeps a worker across files, so a worker-scoped pool starts a server for each new file and
 * stops the previous file's one.
 *
 * `baseURL` is the server's URL, so `page.goto('/report')` works. Every request from the browser
 * context to a host other than 127.0.0.1/localhost is aborted: tests never reach the internet.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { buildServer, type ServerHandle } from '../../sync-server/app';

export interface E2EServer {
	/** e.g. http://127.0.0.1:41234 */
	url: string;
	dataDir: string;
	handle: ServerHandle;
}

interface ServerPool {
	forFile(file: string, tenantDir?: TenantDirs): Promise<E2EServer>;
}

/** The built PWA the servers serve (E2E_STATIC_DIR lets parallel builds use their own). */
export const STATIC_DIR = path.resolve(process.env.E2E_STATIC_DIR ?? 'build');
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** `<tenant>.localhost`: Chromium resolves it to this machine (a province's host on a several-province server). */
const isLocal = (hostname: string) => LOCAL_HOSTS.has(hostname) || hostname.endsWith('.localhost');

/** Aborts every request of the context to a host other than this machine: tests never reach the internet. */
export async function blockInternet(context: BrowserContext): Promise<void> {
	await context.route(
		(url) => !isLocal(url.hostname),
		(route) => route.abort('blockedbyclient')
	);
}

/**
 * The resident pages are prerendered: their buttons are on screen before the app has hydrated
 * them, and a click in between does nothing. A person waits for the page to respond; a test waits
 * for the root layout's `data-ready` mark (set once the app is mounted) after every navigation it
 * makes. Pages that are not the app (a JSON URL, the browser's own error page) are not waited for.
 */
function waitForAppAfterNavigation(page: Page): void {
	const marked = page as Page & { waitsForApp?: true };
	if (marked.waitsForApp) return;
	marked.waitsForApp = true;
	const ready = () =>
		page
			.waitForFunction(() => !document.body?.hasAttribute('data-sveltekit-preload-data') || document.documentElement.hasAttribute('data-ready'), undefined, { timeout: 15_000 })
			// The page may navigate on by itself (a redirect from onMount): the test's next step waits for that.
			.catch(() => undefined);
	const thenReady = async <R>(navigation: Promise<R>, options?: { waitUntil?: string }): Promise<R> => {
		const response = await navigation;
		if (options?.waitUntil !== 'commit') await ready();
		return response;
	};
	const goto = page.goto.bind(page);
	const reload = page.reload.bind(page);
	page.goto = (url, options) => thenReady(goto(url, options), options);
	page.reload = (options) => thenReady(reload(options), options);
}

/** What every browser context of the tests gets: no internet, and navigations that wait for the app. */
export async function prepareContext(context: BrowserContext): Promise<void> {
	await blockInternet(context);
	for (const page of context.pages()) waitForAppAfterNavigation(page);
	context.on('page', waitForAppAfterNavigation);
}

/** One tenant folder, or several (a several-province server: each at http://<id>.localhost:<port>). */
type TenantDirs = string | string[] | undefined;

async function startServer(tenantDir?: TenantDirs): Promise<{ server: E2EServer; stop(): Promise<void> }> {
	const dataDir = await mkdtemp(path.join(tmpdir(), 'caunoi-e2e-'));
	try {
		const handle = await buildServer({
			port: 0,
			host: '127.0.0.1',
			dataDir,
			staticDir: STATIC_DIR,
			...(Array.isArray(tenantDir) ? { tenantDirs: tenantDir } : { tenantDir }),
			logLevel: process.env.LOG_LEVEL ?? 'warn'
		});
		if (!handle.servesApp) {
			await handle.close();
			throw new Error(`No built app in ${STATIC_DIR}: run \`npx vite build\` before the end-to-end tests.`);
		}
		return {
			server: { url: handle.url, dataDir, handle },
			async stop() {
				await handle.close();
				await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
			}
		};
	} catch (e) {
		await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
		throw e;
	}
}

/** A province's own origin on a several-province server: http://<id>.localhost:<port>. */
export function tenantURL(server: E2EServer, tenantId: string): string {
	return `http://${tenantId}.localhost:${new URL(server.url).port}`;
}

export const test = base.extend<{ server: E2EServer; tenantDir: TenantDirs }, { serverPool: ServerPool }>({
	/**
	 * The province the file's server serves (a tenant folder), or several; the default tenant when unset.
	 * Set per file with test.use. With several, `baseURL` is the first one's host.
	 */
	tenantDir: [undefined, { option: true }],

	serverPool: [
		async ({}, use) => {
			// In an object: TypeScript cannot see the callback below assigning a plain `let`.
			const state: { current: { file: string; running: Awaited<ReturnType<typeof startServer>> } | null } = {
				current: null
			};
			await use({
				async forFile(file, tenantDir) {
					if (state.current?.file === file) return state.current.running.server;
					// Files run one after another in a worker: the previous file is done with its server.
					const previous = state.current;
					state.current = null;
					await previous?.running.stop();
					const running = await startServer(tenantDir);
					state.current = { file, running };
					return running.server;
				}
			});
			await state.current?.running.stop();
		},
		{ scope: 'worker', timeout: 60_000 }
	],

	server: async ({ serverPool, tenantDir }, use, testInfo) => {
		await use(await serverPool.forFile(testInfo.file, tenantDir));
	},

	baseURL: async ({ server }, use) => {
		const { tenants } = server.handle;
		await use(tenants.length > 1 ? tenantURL(server, tenants[0].id) : server.url);
	},

	context: async ({ context, javaScriptEnabled }, use) => {
		// With scripts off (a prerendered page before the app) no app ever marks itself ready: no wait.
		if (javaScriptEnabled === false) await blockInternet(context);
		else await prepareContext(context);
		await use(context);
	}
});

/**
 * A test whose server runs on a clock the test moves on (`clock.offset = 7 * HOUR`): the overdue
 * job passes every 100 ms on that clock, so a report goes overdue without waiting hours. One server
 * per test (its data directory is `caunoi-e2e-<name>-…`), serving the built app.
 */
export function testWithMovableClock(name: string) {
	const clock = { offset: 0 };
	const withClock = test.extend<{ server: E2EServer }>({
		server: async ({}, use) => {
			clock.offset = 0;
			const dataDir = await mkdtemp(path.join(tmpdir(), `caunoi-e2e-${name}-`));
			const handle = await buildServer({
				port: 0,
				host: '127.0.0.1',
				dataDir,
				staticDir: STATIC_DIR,
				overdueCheckMs: 100,
				now: () => new Date(Date.now() + clock.offset),
				logLevel: process.env.LOG_LEVEL ?? 'warn'
			});
			try {
				await use({ url: handle.url, dataDir, handle });
			} finally {
				await handle.close();
				await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
			}
		}
	});
	return { test: withClock, clock };
}

export { expect };
