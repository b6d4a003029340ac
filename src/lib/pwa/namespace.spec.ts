import { describe, expect, it } from 'vitest';
import { localDb } from '../sync/local-db';
import { DB_NAME, MY_DB_NAME } from '../sync/db-names';
import { isOwnRuntimeCache, PUBLIC_MEDIA_CACHE, RUNTIME_CACHES, TENANT_CACHE, THUMB_CACHE } from './cache-names';
import { APP_BASE, appRoot, storageName, storageNameFor } from './namespace';

/** Every name a device stores under today (IndexedDB, localStorage, Cache Storage, locks, channels). */
const NAMES = [
	'cau-noi-local',
	'cau-noi-inbox',
	'cau-noi-my',
	'cau-noi.locale',
	'cau-noi-tenant-v2',
	'cau-noi-thumbs-v1',
	'cau-noi-public-thumbs-v1',
	'cau-noi-outbox',
	'cau-noi-step-photos',
	'cau-noi-account'
];

describe('storage names of a build at the root (empty base)', () => {
	it('are exactly the names devices already hold, so they keep their data', () => {
		for (const name of NAMES) expect(storageNameFor(name, '')).toBe(name);
	});

	it('are what this (root) build uses for its databases and caches', () => {
		expect(APP_BASE).toBe('');
		expect(storageName('cau-noi-local')).toBe('cau-noi-local');
		expect(localDb.name).toBe('cau-noi-local');
		expect([DB_NAME, MY_DB_NAME]).toEqual(['cau-noi-inbox', 'cau-noi-my']);
		expect([TENANT_CACHE, THUMB_CACHE, PUBLIC_MEDIA_CACHE]).toEqual(['cau-noi-tenant-v2', 'cau-noi-thumbs-v1', 'cau-noi-public-thumbs-v1']);
		expect(appRoot('http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
	});
});

describe('storage names of builds under paths of one host', () => {
	it('carry the province, so two provinces on one origin share nothing', () => {
		expect(storageNameFor('cau-noi-local', '/dak-lak')).toBe('cau-noi-local-dak-lak');
		const dak = NAMES.map((n) => storageNameFor(n, '/dak-lak'));
		const lam = NAMES.map((n) => storageNameFor(n, '/lam-dong'));
		const all = [...NAMES, ...dak, ...lam];
		expect(new Set(all).size).toBe(all.length);
	});
});

describe('isOwnRuntimeCache: what a worker may delete when it activates', () => {
	it('takes its own runtime caches of any version, and only those', () => {
		for (const name of RUNTIME_CACHES) expect(isOwnRuntimeCache(name, '')).toBe(true);
		expect(isOwnRuntimeCache('cau-noi-thumbs-v0', '')).toBe(true);
		expect(isOwnRuntimeCache('cau-noi-thumbs-v0-dak-lak', '/dak-lak')).toBe(true);
	});

	it("never another province's, nor the precache or foreign caches", () => {
		const dak = storageNameFor('cau-noi-thumbs-v1', '/dak-lak');
		const lam = storageNameFor('cau-noi-thumbs-v1', '/lam-dong');
		expect(isOwnRuntimeCache(dak, '')).toBe(false);
		expect(isOwnRuntimeCache(lam, '/dak-lak')).toBe(false);
		expect(isOwnRuntimeCache('cau-noi-thumbs-v1', '/dak-lak')).toBe(false);
		expect(isOwnRuntimeCache('workbox-precache-v2-http://h/', '')).toBe(false);
		expect(isOwnRuntimeCache('other-app-v1', '')).toBe(false);
	});
});
