/// <reference types="@sveltejs/kit" />
/// <reference lib="webworker" />

/**
 * The PWA's service worker (built by SvelteKit into <base>/service-worker.js, registered from
 * src/lib/pwa/register.ts in production builds only, scope <base>/). `base` is '' at a province's
 * own host, '/<id>' for a build under a path of a shared host (BASE_PATH): every path below is
 * under it, and the caches' names carry it (src/lib/pwa/namespace.ts).
 *
 * - Precaches the app shell (every built JS/CSS chunk, the static files, the prerendered pages and
 *   the SPA fallback /200.html), so every route opens offline after the first visit.
 * - Navigations are answered with the page's own precached HTML when it is prerendered (it paints
 *   before the JavaScript runs), else with /200.html (the SPA routes on the device), except server
 *   pages: /api, /open311, /_db (Fauxton).
 * - Runtime caches: tenant config and boundaries stale-while-revalidate (the report form needs them
 *   offline); photo thumbnails cache-first, bounded. Sync and auth are never touched: no route
 *   matches them, so the browser sends them straight to the network (SSE streams included).
 * - Background Sync tag `outbox`: sends what waits in the outbox even when the page is closed.
 *
 * Only $service-worker, $env/static/public and $lib code free of Svelte runes and $app/* can be
 * imported here (SvelteKit builds this file without the Svelte plugin).
 */
import { base, build, files, prerendered, version } from '$service-worker';
import { createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, StaleWhileRevalidate } from 'workbox-strategies';
import { cacheNames } from 'workbox-core';
import type { RouteHandlerCallback, WorkboxPlugin } from 'workbox-core/types.js';
import { flushOutbox } from '$lib/sync/outbox-sender';
import { openFromNotification, showPushNotification } from '$lib/my/push-worker';
import { OUTBOX_SYNC_TAG } from '$lib/sync/background-sync';
import {
	isOwnRuntimeCache,
	PUBLIC_MEDIA_CACHE,
	PUBLIC_MEDIA_CACHE_MAX_ENTRIES,
	RUNTIME_CACHES,
	SW_MESSAGES,
	TENANT_CACHE,
	THUMB_CACHE,
	THUMB_CACHE_MAX_ENTRIES
} from '$lib/pwa/cache-names';

const sw = self as unknown as ServiceWorkerGlobalScope;

/** The SPA shell adapter-static writes; the sync-server also answers unknown page paths with it. */
const SHELL_URL = `${base}/200.html`;

/**
 * Static files left out of the precache: source maps (never needed offline), and per-tenant or
 * bulky data a future static/data or static/tiles folder may hold (fetched on demand instead).
 */
// The board's voice clips (static/audio) are for the office TV only: no resident's phone downloads them.
const NOT_PRECACHED = [/\.map$/, /^\/(data|tiles|audio)\//, /(^|\/)\.[^/]*$/];

function precacheEntries() {
	// Built chunks carry a content hash in their name: no revision needed. Static files and the
	// shell do not: the build's version makes each new build fetch them again.
	const hashed = build.map((url) => ({ url, revision: null }));
	const statics = files
		.filter((url) => !NOT_PRECACHED.some((re) => re.test(url.slice(base.length))))
		.map((url) => ({ url, revision: version }));
	const pages = prerendered.map((url) => ({ url, revision: version }));
	return [...hashed, ...statics, ...pages, { url: SHELL_URL, revision: version }];
}

precacheAndRoute(precacheEntries());

/** `base` is '' or '/<tenant id>' (a-z, 0-9, -): nothing a RegExp reads as special, escaped anyway. */
const BASE_RE = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Each prerendered page answers exactly its own path; any other page the shell. Not `/report/` too:
 * a prerendered page names its assets relative to where it is (`./_app/…`), the shell absolutely.
 */
const shell = createHandlerBoundToURL(SHELL_URL);
const pageHandlers = new Map(prerendered.map((url) => [url, createHandlerBoundToURL(url)]));
const pageHandler: RouteHandlerCallback = (options) => (pageHandlers.get(options.url.pathname) ?? shell)(options);

registerRoute(
	new NavigationRoute(pageHandler, {
		// Pages the server renders itself, and the API (a navigation to a JSON URL shows the JSON).
		denylist: [
			new RegExp(`^${BASE_RE}/api(/|$)`),
			new RegExp(`^${BASE_RE}/open311(/|$)`),
			new RegExp(`^${BASE_RE}/_db(/|$)`),
			new RegExp(`^${BASE_RE}/service-worker\\.js$`)
		]
	})
);

const sameOrigin = (url: URL) => url.origin === sw.location.origin;
/** The API of this build's province: `${base}/api/…` (a province under a path of a shared host). */
const API = `${base}/api`;

// The report form's reference data: answer from the cache at once (offline, or a 4G link that
// hangs), refresh it behind. tenant.service.ts and the ward worker (map/ward-lookup.ts) also keep a
// copy in Dexie; this one makes the very first offline open of the form fast even before Dexie is
// warm, and serves a device whose IndexedDB refuses writes (private browsing).
registerRoute(
	({ url }) => sameOrigin(url) && (url.pathname === `${API}/tenant` || url.pathname === `${API}/tenant/boundaries.compact`),
	new StaleWhileRevalidate({ cacheName: TENANT_CACHE })
);

/** `url`'s path is `prefix` followed by something `rest` matches. */
const isUnder = (url: URL, prefix: string, rest: RegExp) =>
	url.pathname.startsWith(prefix) && rest.test(url.pathname.slice(prefix.length));

/** Thumbnails are fetched with a token (header or ?token=): keep one entry per photo, not per token. */
const dropTokenFromKey: WorkboxPlugin = {
	cacheKeyWillBeUsed: async ({ request }) => {
		const url = new URL(request.url);
		if (!url.searchParams.has('token')) return request;
		url.searchParams.delete('token');
		return url.href;
	}
};

/**
 * Keeps the thumbnail cache to THUMB_CACHE_MAX_ENTRIES, oldest first (Cache.keys() lists in
 * insertion order and cache-first writes only on a miss). workbox-expiration is not a dependency;
 * this is the part of it we need.
 */
const boundedEntries = (cacheName: string, maxEntries: number): WorkboxPlugin => ({
	cacheDidUpdate: async () => {
		const cache = await caches.open(cacheName);
		const keys = await cache.keys();
		const excess = keys.length - maxEntries;
		for (let i = 0; i < excess; i++) await cache.delete(keys[i]);
	}
});

registerRoute(
	({ url, request }) =>
		request.method === 'GET' && sameOrigin(url) && isUnder(url, `${API}/media/`, /^[^/]+\/thumb$/),
	new CacheFirst({
		cacheName: THUMB_CACHE,
		plugins: [dropTokenFromKey, boundedEntries(THUMB_CACHE, THUMB_CACHE_MAX_ENTRIES)]
	})
);

// Thumbnails of public reports (no token): the public pages and the duplicate check show them offline.
registerRoute(
	({ url, request }) =>
		request.method === 'GET' &&
		sameOrigin(url) &&
		isUnder(url, `${API}/public/media/`, /^[^/]+$/) &&
		url.searchParams.get('size') === 'thumb',
	new CacheFirst({ cacheName: PUBLIC_MEDIA_CACHE, plugins: [boundedEntries(PUBLIC_MEDIA_CACHE, PUBLIC_MEDIA_CACHE_MAX_ENTRIES)] })
);

// Deliberately no route for /api/sync/*, /api/auth/*, /api/media/uploads, the full-size photos or
// anything else: unrouted requests go to the network untouched and are never cached.

sw.addEventListener('message', (event) => {
	if ((event.data as { type?: string } | null)?.type === SW_MESSAGES.skipWaiting) void sw.skipWaiting();
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			// Runtime caches of earlier versions of this build, and precaches of older Workbox versions
			// under this scope. Not workbox's cleanupOutdatedCaches: it takes any precache whose name
			// CONTAINS the scope, so an app at `/` would delete those of the provinces under `/<id>/`.
			const names = await caches.keys();
			const scope = sw.registration.scope;
			const precache = cacheNames.precache;
			await Promise.all(
				names
					.filter(
						(name) =>
							(isOwnRuntimeCache(name) && !RUNTIME_CACHES.includes(name)) ||
							(name.includes('-precache-') && name.endsWith(scope) && name !== precache)
					)
					.map((name) => caches.delete(name))
			);
			// Take the open pages now: the first visit is controlled (and works offline) without a reload.
			await sw.clients.claim();
		})()
	);
});

/** The Background Sync event (Chromium); not in TypeScript's webworker lib. */
interface SyncEvent extends ExtendableEvent {
	readonly tag: string;
	readonly lastChance: boolean;
}

async function flushFromWorker(event: SyncEvent): Promise<void> {
	// The browser fires `sync` when it believes the network is back: try every row now.
	const result = await flushOutbox({ origin: sw.location.origin + base, force: true });
	const pages = await sw.clients.matchAll({ type: 'window' });
	for (const page of pages) page.postMessage({ type: SW_MESSAGES.outboxFlushed, ...result });
	// Rows still waiting (network gone again, server trouble): fail the event so the browser
	// schedules another try with its own backoff. Rows needing the user's attention do not count.
	if (result.waiting > 0 && !event.lastChance) {
		throw new Error(`outbox: ${result.waiting} report(s) still waiting`);
	}
}

sw.addEventListener('sync', (e) => {
	const event = e as SyncEvent;
	if (event.tag === OUTBOX_SYNC_TAG) event.waitUntil(flushFromWorker(event));
});

// Web Push (src/lib/my/push-worker.ts): a handler acted on the resident's report.
sw.addEventListener('push', (event) => event.waitUntil(showPushNotification(sw, event.data)));
sw.addEventListener('notificationclick', (event) => event.waitUntil(openFromNotification(sw, event)));
