import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

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
		serviceWorker: { register: false }
	}
};

export default config;
