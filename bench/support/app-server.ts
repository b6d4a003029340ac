/**
 * What the browser benchmarks share: the real sync-server serving build/ on an ephemeral port with a
 * fresh DATA_DIR (optionally with a tenant of its own), and Debian's chromium launched with the
 * flags of playwright.config.ts, every request off the machine blocked (as in tests/e2e).
 */
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from '@playwright/test';
import playwrightConfig from '../../playwright.config';
import { buildServer, type BuildOptions, type ServerHandle } from '../../sync-server/app';
import { tempDir } from '../lib';

/** BENCH_STATIC_DIR measures another build (e.g. one made with BUILD_DIR while build/ is in use); it is not rebuilt. */
export const STATIC_DIR = path.resolve(process.env.BENCH_STATIC_DIR ?? 'build');
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface AppServer {
	url: string;
	handle: ServerHandle;
	close(): Promise<void>;
}

/** `options`: more of buildServer's (e.g. `overdueCheckMs: 0`: no overdue job writing events under a bench). */
export async function startAppServer(tenant?: BuildOptions['tenant'], options: Partial<BuildOptions> = {}): Promise<AppServer> {
	const tmp = await tempDir('server');
	try {
		const handle = await buildServer({
			port: 0,
			host: '127.0.0.1',
			dataDir: tmp.dir,
			staticDir: STATIC_DIR,
			logLevel: process.env.LOG_LEVEL ?? 'warn',
			...(tenant ? { tenant } : {}),
			...options
		});
		if (!handle.servesApp) {
			await handle.close();
			throw new Error(`No built app in ${STATIC_DIR}`);
		}
		return {
			url: handle.url,
			handle,
			async close() {
				await handle.close();
				await tmp.remove();
			}
		};
	} catch (e) {
		await tmp.remove();
		throw e;
	}
}

/** Chromium as the end-to-end tests launch it (playwright.config.ts `use.launchOptions`). */
export function launchChromium(): Promise<Browser> {
	const launch = playwrightConfig.use?.launchOptions ?? {};
	return chromium.launch({ ...launch, executablePath: process.env.CHROMIUM_PATH ?? launch.executablePath });
}

/** A fresh context (cold cache, no service worker, empty IndexedDB), Vietnamese locale, offline-world. */
export async function freshContext(browser: Browser, opts: BrowserContextOptions = {}): Promise<BrowserContext> {
	const { locale, timezoneId } = playwrightConfig.use ?? {};
	const context = await browser.newContext({ locale, timezoneId, ...opts });
	await context.route(
		(url) => !LOCAL_HOSTS.has(url.hostname),
		(route) => route.abort('blockedbyclient')
	);
	return context;
}
