import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
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
