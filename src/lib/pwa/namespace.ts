/**
 * One origin may serve several provinces under paths (`https://caunoi.example/dak-lak/`,
 * `…/lam-dong/`), each a build made for its path (BASE_PATH, svelte.config.js). A browser keeps
 * IndexedDB, localStorage, Cache Storage, Web Locks and BroadcastChannels per ORIGIN, not per path:
 * without a name of their own, two provinces on one host would share a device id, drafts, an
 * outbox and a signed-in session. Every such name goes through `storageName`.
 *
 * With the empty base (a province at its own host, the default) every name stays exactly what it
 * was before paths existed, so devices keep their data.
 *
 * No $app imports here: the service worker shares this module. The base comes from the build
 * (`__APP_BASE__`, defined by vite.config.ts from kit.paths.base); code run outside a Vite build
 * (the sync-server, scripts) gets the empty base.
 */

declare const __APP_BASE__: string | undefined;

/** The path the app is built for: '' or '/<tenant id>', never a trailing slash. */
export const APP_BASE: string = typeof __APP_BASE__ === 'string' ? __APP_BASE__ : '';

/** `name` for the app built under `base`: unchanged for '', `name-<id>` for `/<id>`. */
export function storageNameFor(name: string, base: string): string {
	return base === '' ? name : `${name}-${base.slice(1)}`;
}

/** The name of a database, storage key, cache, lock or channel of this build of the app. */
export function storageName(name: string): string {
	return storageNameFor(name, APP_BASE);
}

/** The origin plus the base: what `/api/…`, page and asset paths are appended to. */
export function appRoot(origin: string): string {
	return `${origin.replace(/\/$/, '')}${APP_BASE}`;
}
