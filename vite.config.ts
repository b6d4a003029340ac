import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import svelteConfig from './svelte.config.js';

/** kit.paths.base (BASE_PATH, validated there): '' or e.g. '/dak-lak'. */
const base = svelteConfig.kit?.paths?.base ?? '';

export default defineConfig({
	plugins: [sveltekit()],
	// The base for code the service worker shares with the pages (API origin, storage names: src/lib/pwa/namespace.ts),
	// where $app/paths cannot be imported. SvelteKit passes `define` on to the service worker's build.
	define: { __APP_BASE__: JSON.stringify(base) },
	server: { proxy: { [`${base}/api`]: 'http://127.0.0.1:8787' } },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.spec.ts', 'sync-server/**/*.spec.ts'],
					environment: 'node',
					setupFiles: ['fake-indexeddb/auto']
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 60_000,
					// Each file starts its own server on an ephemeral port; keep the 2 cores for them.
					fileParallelism: false
				}
			},
			{
				extends: true,
				test: {
					// The same suite with the server storing into a CouchDB stand-in (a standalone
					// express-pouchdb on loopback) through PouchDB's HTTP adapter, as with COUCHDB_URL.
					name: 'integration-couch',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					env: { STORAGE_MODE: 'couch' },
					testTimeout: 60_000,
					hookTimeout: 60_000,
					fileParallelism: false
				}
			}
		]
	}
});
