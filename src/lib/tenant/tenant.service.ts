import type { TenantConfig } from '../domain/tenant';
import { setDisplayTimeZone } from '../i18n/locale.svelte';
import { apiFetch, resolveOrigin } from '../sync/api';
import { localDb } from '../sync/local-db';

/**
 * The tenant's reference data (categories, units, wards), cached in Dexie so the report form works
 * offline after the first visit online (the wards' boundaries: map/ward-detect.ts, in a worker).
 * Cached data answers at once; a fresh copy is fetched behind it when the network allows.
 */

let configRefresh: Promise<TenantConfig | null> | null = null;

async function fetchConfig(origin?: string): Promise<TenantConfig | null> {
	try {
		// Not parsed with zod here: the server validated it, and the home page stays free of zod.
		const config = await apiFetch<TenantConfig>(`${resolveOrigin(origin)}/api/tenant`, { timeoutMs: 20_000 });
		if (!config || !Array.isArray(config.categories) || !Array.isArray(config.adminUnits)) return null;
		// Kept for offline use, but the page that waits for the lists does not wait for the write.
		void localDb.tenant.put({ key: 'config', value: config, fetchedAt: Date.now() }).catch(() => undefined);
		return config;
	} catch {
		return null;
	}
}

/** Times are shown in the zone of the tenant's calendar, the one its due times are counted in. */
function shown(config: TenantConfig | null): TenantConfig | null {
	setDisplayTimeZone(config?.calendar?.timeZone);
	return config;
}

/**
 * The tenant config: the phone's copy or the network's, whichever answers first (a repeat visit
 * reads its copy at once; a first visit does not wait for the local database to open before asking,
 * and the page may already have started that request: a preload in /report's HTML). Refreshed in
 * the background; `onFresh` receives the refreshed copy when it lands, so a page can drop a
 * category the province removed meanwhile instead of offering it until the next visit.
 * `refresh: false`: the phone's copy when there is one, the network only when there is none.
 */
export async function getTenantConfig(
	opts: { origin?: string; refresh?: boolean; onFresh?: (config: TenantConfig) => void } = {}
): Promise<TenantConfig | null> {
	const cached = localDb.tenant.get('config').then(
		(row) => (row?.value as TenantConfig | undefined) ?? null,
		() => null
	);
	if (opts.refresh === false) {
		const value = await cached;
		if (value) return shown(value);
	}
	const fresh = (configRefresh ??= fetchConfig(opts.origin).finally(() => (configRefresh = null)));
	const first = await Promise.race([cached.then((c) => c ?? fresh), fresh.then((f) => f ?? cached)]);
	const onFresh = opts.onFresh;
	if (onFresh) void fresh.then((f) => f && f !== first && onFresh(f));
	return shown(first);
}

/** "Phường Lâm Viên - Đà Lạt" (or its English name) for a ward code. */
export function wardName(config: TenantConfig | null, code: string | undefined, locale: 'vi' | 'en' = 'vi'): string {
	const unit = config?.adminUnits.find((u) => u.code === code);
	if (!unit) return code ?? '';
	return locale === 'en' ? unit.nameEn : unit.name;
}

export function categoryOf(config: TenantConfig | null, code: string | undefined) {
	return config?.categories.find((c) => c.code === code);
}

/** A unit's name in the reader's language; the id when the tenant no longer lists it. */
export function unitName(config: TenantConfig | null, id: string | undefined, locale: 'vi' | 'en' = 'vi'): string {
	const unit = config?.units.find((u) => u.id === id);
	if (!unit) return id ?? '';
	return locale === 'en' ? unit.nameEn : unit.nameVi;
}
