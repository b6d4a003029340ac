import { dev } from '$app/environment';
import { PRIVATE_CACHES, SW_MESSAGES } from './cache-names';
import { APP_BASE } from './namespace';
import { updateAvailable } from './update.svelte';

export { updateAvailable } from './update.svelte';

/**
 * Registers the service worker (src/service-worker.ts, built to <base>/service-worker.js, scope
 * <base>/: a province under a path of a shared host controls only its own pages). Only in
 * production builds: in `vite dev` a worker would cache modules that change under it. Call once
 * from the root layout's onMount. Resolves to null where service workers are unavailable
 * (old browsers, http:// on a LAN address, dev) — the app then works online only, nothing breaks.
 */

/** Re-check for a new version this often while the app stays open (kiosks, the counter board). */
const UPDATE_CHECK_MS = 60 * 60_000;

let registration: Promise<ServiceWorkerRegistration | null> | null = null;
/** Set when this page asked the waiting worker to take over: then it reloads into the new version. */
let reloadOnTakeover = false;

function watchWaiting(reg: ServiceWorkerRegistration): void {
	// A worker that finished installing while an older one controls the page is an update.
	const markIfWaiting = () => {
		if (reg.waiting && navigator.serviceWorker.controller) updateAvailable.current = true;
	};
	markIfWaiting();
	reg.addEventListener('updatefound', () => {
		const installing = reg.installing;
		installing?.addEventListener('statechange', () => {
			if (installing.state === 'installed') markIfWaiting();
		});
	});
}

function loaded(): Promise<void> {
	// Precaching competes with the first page load on a weak link: start it once the page is up.
	if (document.readyState === 'complete') return Promise.resolve();
	return new Promise((resolve) => window.addEventListener('load', () => resolve(), { once: true }));
}

export function registerServiceWorker(opts: { allowDev?: boolean } = {}): Promise<ServiceWorkerRegistration | null> {
	if (registration) return registration;
	if ((dev && !opts.allowDev) || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) {
		return Promise.resolve(null);
	}
	registration = (async () => {
		await loaded();
		try {
			// In dev SvelteKit serves the worker as an ES module; the build is a classic script.
			const reg = await navigator.serviceWorker.register(`${APP_BASE}/service-worker.js`, {
				type: dev ? 'module' : 'classic',
				scope: `${APP_BASE}/`
			});
			watchWaiting(reg);
			navigator.serviceWorker.addEventListener('controllerchange', () => {
				if (reloadOnTakeover) {
					reloadOnTakeover = false;
					location.reload();
				}
			});
			setInterval(() => {
				if (navigator.onLine) void reg.update().catch(() => undefined);
			}, UPDATE_CHECK_MS);
			return reg;
		} catch (e) {
			console.warn('service worker registration failed', e);
			return null;
		}
	})();
	return registration;
}

/**
 * Switches to the waiting version: the new worker takes over and the page reloads into it.
 * Drafts are in IndexedDB, so nothing typed is lost. Without a waiting worker it just reloads.
 */
export async function applyUpdate(): Promise<void> {
	const reg = await (registration ?? navigator.serviceWorker?.getRegistration());
	const waiting = reg?.waiting;
	updateAvailable.current = false;
	if (!waiting || !navigator.serviceWorker.controller) {
		location.reload();
		return;
	}
	reloadOnTakeover = true;
	waiting.postMessage({ type: SW_MESSAGES.skipWaiting });
}

/**
 * Forgets what the worker cached for the signed-in user (photo thumbnails). Call on logout so the
 * next person on a shared device (kiosk, a digital-tech team's phone) cannot see it.
 */
export async function clearPrivateCaches(): Promise<void> {
	if (typeof caches === 'undefined') return;
	await Promise.all(PRIVATE_CACHES.map((name) => caches.delete(name).catch(() => false)));
}
