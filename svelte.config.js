import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * BASE_PATH: the path the app is built for when a province is served under a path of a shared host
 * (`/dak-lak` for `https://caunoi.example/dak-lak/`) rather than at its own host. Empty (the
 * default) = the root of its own host. Pages, API calls, the service worker's scope and the names
 * of the phone's local databases and caches all follow it (src/lib/pwa/namespace.ts).
 */
function basePath(value = '') {
	if (value === '' || /^\/[a-z0-9-]+$/.test(value)) return value;
	throw new Error(
		`BASE_PATH must be empty or "/" followed by a lowercase tenant id (a-z, 0-9, -), ` +
			`without a trailing slash, e.g. BASE_PATH=/dak-lak — got ${JSON.stringify(value)}`
	);
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// An SPA: every route renders on the device; the sync-server serves 200.html for unknown paths.
		// BUILD_DIR / KIT_OUT_DIR let two builds run side by side (a developer's and a test run's).
		adapter: adapter({
			pages: process.env.BUILD_DIR ?? 'build',
			assets: process.env.BUILD_DIR ?? 'build',
			fallback: '200.html',
			precompress: true,
			strict: false
		}),
		outDir: process.env.KIT_OUT_DIR ?? '.svelte-kit',
		// The pages' CSS (a few KB each) goes in their HTML: nothing but the HTML stands between a weak
		// link and the first paint. The files stay for pages the app renders after navigating on the device.
		inlineStyleThreshold: 10_000,
		paths: { base: basePath(process.env.BASE_PATH) },
		prerender: {
			// The pages link to the sync-server's API (a preload of the province's lists): not the app's to prerender.
			handleHttpError({ path, message }) {
				if (path.startsWith(`${basePath(process.env.BASE_PATH)}/api/`)) return;
				throw new Error(message);
			}
		},
		serviceWorker: { register: false }
	}
};

export default config;
