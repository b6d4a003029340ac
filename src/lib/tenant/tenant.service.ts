import type { TenantConfig } from '../domain/tenant';
import { deadlineHoursOf } from '../domain/routing';
import { setDisplayTimeZone } from '../i18n/locale.svelte';
import type { BoundaryCollection } from '../domain/geo';
import { apiFetch, resolveOrigin } from '../sync/api';
import { localDb } from '../sync/local-db';

/**
 * The tenant's reference data (categories, units, wards, boundaries), cached in Dexie so the report
 * form works offline after the first visit online. Cached data answers at once; a fresh copy is
 * fetched behind it when the network allows.
 */

let configRefresh: Promise<TenantConfig | null> | null = null;

async function fetchConfig(origin?: string): Promise<TenantConfig | null> {
	try {
		// Not parsed with zod here: the server validated it, and the home page stays free of zod.
		const config = await apiFetch<TenantConfig>(`${resolveOrigin(origin)}/api/tenant`, { timeoutMs: 20_000 });
		if (!config || !Array.isArray(config.categories) || !Array.isArray(config.adminUnits)) return null;
		await localDb.tenant.put({ key: 'config', value: config, fetchedAt: Date.now() });
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
 * The cached tenant config, refreshed in the background; fetched first when nothing is cached.
 * `onFresh` receives the refreshed copy when it lands, so a page can drop a category the province
 * removed meanwhile instead of offering it until the next visit.
 */
export async function getTenantConfig(
	opts: { origin?: string; refresh?: boolean; onFresh?: (config: TenantConfig) => void } = {}
): Promise<TenantConfig | null> {
	const cached = await localDb.tenant.get('config');
	if (cached) {
		if (opts.refresh !== false) {
			const refresh = (configRefresh ??= fetchConfig(opts.origin).finally(() => (configRefresh = null)));
			const onFresh = opts.onFresh;
			if (onFresh) void refresh.then((fresh) => fresh && onFresh(fresh));
		}
		return shown(cached.value as TenantConfig);
	}
	configRefresh ??= fetchConfig(opts.origin).finally(() => (configRefresh = null));
	return configRefresh.then(shown);
}

/** The ward/commune boundaries (GeoJSON): from the cache, else fetched once and cached. */
export async function getBoundaries(opts: { origin?: string } = {}): Promise<BoundaryCollection | null> {
	const cached = await localDb.tenant.get('boundaries');
	if (cached) return cached.value as BoundaryCollection;
	try {
		const value = await apiFetch<BoundaryCollection>(`${resolveOrigin(opts.origin)}/api/tenant/boundaries`, { timeoutMs: 60_000 });
		if (value?.type !== 'FeatureCollection' || !Array.isArray(value.features)) return null;
		await localDb.tenant.put({ key: 'boundaries', value, fetchedAt: Date.now() });
		return value;
	} catch {
		return null;
	}
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

/**
 * Whether a category's due times are counted in working hours: shown next to the due time, so that
 * a report filed on Friday evening and due on Monday afternoon reads as meant, not as a mistake.
 */
export function inWorkingHours(config: TenantConfig | null, categoryCode: string): boolean {
	return !!config && deadlineHoursOf(config, categoryCode) === 'working';
}

/** A unit's name in the reader's language; the id when the tenant no longer lists it. */
export function unitName(config: TenantConfig | null, id: string | undefined, locale: 'vi' | 'en' = 'vi'): string {
	const unit = config?.units.find((u) => u.id === id);
	if (!unit) return id ?? '';
	return locale === 'en' ? unit.nameEn : unit.nameVi;
}
