import { APP_BASE, storageName, storageNameFor } from './namespace';

/**
 * Names of the service worker's runtime caches, shared by the worker and the page (which clears
 * the private ones on logout). Bump a version suffix when a cache's content format changes: the
 * worker deletes every cache of its own (`isOwnRuntimeCache`) not listed here when it activates.
 * Names carry the build's base (namespace.ts): provinces under paths of one host keep apart.
 */
export const CACHE_PREFIX = 'cau-noi-';

/**
 * Tenant configuration and ward boundaries: public, needed by the report form offline. v2: the
 * boundaries are the compact form now; v1 held the 1.3 MB GeoJSON, dropped with it on activation.
 */
export const TENANT_CACHE = storageName(`${CACHE_PREFIX}tenant-v2`);

/** Photo thumbnails: fetched with a staff token, so they are cleared when the user logs out. */
export const THUMB_CACHE = storageName(`${CACHE_PREFIX}thumbs-v1`);

/** At most this many thumbnails are kept (~10–30 KB each): a few MB on a cheap phone. */
export const THUMB_CACHE_MAX_ENTRIES = 200;

/** Thumbnails of public reports (/api/public/media/…?size=thumb): public, kept for the public pages offline. */
export const PUBLIC_MEDIA_CACHE = storageName(`${CACHE_PREFIX}public-thumbs-v1`);
export const PUBLIC_MEDIA_CACHE_MAX_ENTRIES = 300;

export const RUNTIME_CACHES: readonly string[] = [TENANT_CACHE, THUMB_CACHE, PUBLIC_MEDIA_CACHE];

/**
 * A runtime cache (any version) of the app built under `base`: `cau-noi-<what>-v<n>` plus that
 * base's suffix. Another province's caches on the same origin end differently and are left alone.
 */
export function isOwnRuntimeCache(name: string, base: string = APP_BASE): boolean {
	const m = /^cau-noi-[a-z-]+?-v\d+(.*)$/.exec(name);
	return !!m && m[1] === storageNameFor('', base);
}

/** Caches holding data a user was allowed to see; the next user of a shared device must not. */
export const PRIVATE_CACHES: readonly string[] = [THUMB_CACHE];

/** Messages between page and worker. */
export const SW_MESSAGES = {
	/** page → worker: activate the waiting version now (the page reloads on controllerchange). */
	skipWaiting: 'SKIP_WAITING',
	/** worker → page: a Background Sync flush of the outbox finished. */
	outboxFlushed: 'OUTBOX_FLUSHED'
} as const;
