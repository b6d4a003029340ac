import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import svelteConfig from './svelte.config.js';

/** kit.paths.base (BASE_PATH, validated there): '' or e.g. '/dak-lak'. */
const base = svelteConfig.kit?.paths?.base ?? '';

/**
 * The root layout's own imports (src/routes/+layout.svelte: loaded on every page) and the small modules
 * nearly every page shares (its words, icons, the device's tables, the API client).
 */
const SHELL_MODULES = new RegExp(
	String.raw`[\/]src[\/]lib[\/](` +
		[
			// Not the English core (messages.en.ts, error-messages.en.ts): only English readers load it.
			String.raw`i18n[\/](?!areas[\/]|[\w-]+\.en\.)`,
			String.raw`pwa[\/](install\.svelte|online\.svelte|register|namespace|cache-names)\.`,
			String.raw`ui[\/](Icon\.svelte|icon-paths|live\.svelte)`,
			String.raw`sync[\/](api|local-db|outbox-trigger)\.`,
			String.raw`map[\/]ward-detect\.`,
			String.raw`tenant[\/]tenant\.service\.`
		].join('|') +
		')'
);

export default defineConfig({
	plugins: [sveltekit()],
	build: {
		rollupOptions: {
			output: {
				// What every page loads anyway as one file instead of a dozen small ones: on a weak link each
				// file costs a request and its headers (about 430 bytes each; issue 11). SHELL_MODULES and
				// what they import statically (the Svelte runtime, Dexie) make that file.
				codeSplitting: { groups: [{ name: 'app-shell', test: (id: string) => SHELL_MODULES.test(id), priority: 10 }] }
			}
		}
	},
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
