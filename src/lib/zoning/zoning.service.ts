import type { ErrorCode } from '../domain/errors';
import type { LandUseName, Parcel, ParcelAddressHit, ParcelAddressList, ParcelAnswer, ZoningAnswer, ZoningPlan, ZoningWardList, ZoningZone } from '../domain/zoning';
import { hasDownloadedAreas } from '../offline-area/downloaded-hint';
import { ApiFailure, apiFetch, errorCodeOf, resolveOrigin } from '../sync/api';

/**
 * The zoning look-up: from a commune downloaded on this device first (lib/offline-area: instant on a
 * weak link, and the only way with no signal), else from the sync-server (sync-server/zoning/
 * zoning.routes.ts). Types only from domain/zoning.ts (no zod on this page: it is on the cheap-phone
 * Lighthouse list; the offline module loads it on its first look-up); the server checks its answers
 * against the schemas before sending them.
 */

/** What the page shows, the same for a tap and a parcel found by number. */
export interface ZoningShown {
	plan: ZoningPlan;
	/** The zone(s) there with their land use: one for a tap, one or more for a parcel on a zone line. */
	zones: { zone: ZoningZone; landUse: LandUseName }[];
	parcel?: Parcel;
	/** How it was found: a tap shows the zone, a parcel search the parcel (the map fits it). */
	via: 'tap' | 'parcel';
	/** Answered from a commune downloaded on this device, not by the server: the page says so. */
	fromDevice?: boolean;
}

/** The downloaded communes' look-ups, loaded only on a device that has one (Dexie, zod come with it). */
const device = async () => (hasDownloadedAreas() ? import('../offline-area/offline-area.service') : null);

/** A look-up that failed, with the error code whose words the page shows (i18n/error-messages.ts). */
export class ZoningFailure extends Error {
	constructor(readonly code: ErrorCode) {
		super(code);
		this.name = 'ZoningFailure';
	}
}

const nameOf = (landUses: readonly LandUseName[], code: string): LandUseName =>
	landUses.find((u) => u.code === code) ?? { code, nameVi: code, nameEn: code };

/** The server's 200 that is not what we asked for (a proxy's page, an old server): said as server trouble. */
function expect<T>(ok: boolean, value: T): T {
	if (!ok) throw new ZoningFailure('server_error');
	return value;
}

async function ask<T>(path: string, signal?: AbortSignal): Promise<T> {
	// Offline we know at once: no request to wait for (a weak link's timeout is 30 s).
	if (globalThis.navigator?.onLine === false) throw new ZoningFailure('network');
	try {
		return await apiFetch<T>(resolveOrigin() + path, { signal, timeoutMs: 20_000 });
	} catch (e) {
		if (signal?.aborted) throw e;
		throw new ZoningFailure(e instanceof ApiFailure ? e.code : errorCodeOf(e));
	}
}

const shownAt = (a: ZoningAnswer, fromDevice: boolean): ZoningShown => ({
	plan: a.plan,
	zones: [{ zone: a.zone, landUse: a.landUse }],
	...(a.parcel ? { parcel: a.parcel } : {}),
	via: 'tap',
	...(fromDevice ? { fromDevice } : {})
});

const shownParcel = (a: ParcelAnswer, fromDevice: boolean): ZoningShown => ({
	plan: a.plan,
	zones: a.zones.map((zone) => ({ zone, landUse: nameOf(a.landUses ?? [], zone.landUseCode) })),
	parcel: a.parcel,
	via: 'parcel',
	...(fromDevice ? { fromDevice } : {})
});

/**
 * The zoning at a point: from a downloaded commune that covers it, else the server;
 * ZoningFailure('zoning_none') where no plan covers it, ('network') offline outside every download.
 */
export async function zoningAt(lat: number, lng: number, signal?: AbortSignal): Promise<ZoningShown> {
	const stored = await (await device())?.storedZoningAt(lat, lng).catch(() => null);
	if (stored) return shownAt(stored, true);
	const q = new URLSearchParams({ lat: lat.toFixed(7), lng: lng.toFixed(7) });
	const a = await ask<ZoningAnswer>(`/api/zoning/at?${q}`, signal);
	return expect(!!a?.zone && !!a.plan && !!a.landUse, shownAt(a, false));
}

/**
 * A parcel by ward, sheet and number as typed ("Tờ 12", " 012 ": both sides read them): from the
 * ward's download when it is on the device, else the server; ZoningFailure('parcel_unknown') when
 * the ward has no such parcel (offline, a downloaded ward's own answer).
 */
export async function findParcel(ward: string, sheet: string, number: string, signal?: AbortSignal): Promise<ZoningShown> {
	const offline = await device();
	if (offline) {
		const stored = await offline.storedParcel(ward, sheet, number).catch(() => null);
		if (stored) return shownParcel(stored, true);
		const wardStored = await offline.storedZoning(ward).catch(() => null);
		if (wardStored && globalThis.navigator?.onLine === false) throw new ZoningFailure('parcel_unknown');
	}
	const q = new URLSearchParams({ ward, sheet: sheet.trim(), number: number.trim() });
	const a = await ask<ParcelAnswer>(`/api/zoning/parcels?${q}`, signal);
	return expect(!!a?.parcel && Array.isArray(a.zones) && !!a.plan, shownParcel(a, false));
}

/**
 * A ward's parcels whose address matches what was typed (without accents, "tdp" for "tổ dân phố"…),
 * best first, at most 10: from the ward's download when it is on the device, else the server;
 * ZoningFailure('network') offline outside the downloads. A parcel chosen is then shown by findParcel.
 */
export async function searchAddress(ward: string, query: string, signal?: AbortSignal): Promise<ParcelAddressHit[]> {
	const stored = await (await device())?.storedAddressSearch(ward, query).catch(() => null);
	if (stored) return stored.parcels;
	const q = new URLSearchParams({ ward, q: query.trim() });
	const list = await ask<ParcelAddressList>(`/api/zoning/parcels/search?${q}`, signal);
	return expect(Array.isArray(list?.parcels), list).parcels;
}

/** The wards the current plan covers (GET /api/zoning/wards), with their zone and parcel counts. */
export async function zoningWards(signal?: AbortSignal): Promise<ZoningWardList> {
	const list = await ask<ZoningWardList>('/api/zoning/wards', signal);
	return expect(Array.isArray(list?.wards), list);
}
