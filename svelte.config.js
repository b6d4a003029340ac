import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// An SPA: every route renders on the device; the sync-server serves 200.html for unknown paths.
		adapter: adapter({ fallback: '200.html', precompress: true, strict: false }),
		serviceWorker: { register: false }
	}
};

export default config;
