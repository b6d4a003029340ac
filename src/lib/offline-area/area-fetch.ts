import type { OfflineAreaManifest, TilePart } from '../domain/offline-area';
import type { ZoningWardPackage } from '../domain/zoning';
import { ApiFailure, apiFetch, errorCodeOf, resolveOrigin } from '../sync/api';
import { OfflineAreaFailure } from './failure';

/**
 * The download's requests (offline-area.service.ts): the manifest, checked against its schema
 * (zod loaded on first use), the tiles one by one or many to a request, the zoning package. Each
 * answer is checked for size and shape before it may be stored: a cut body is a network failure,
 * never half a tile.
 */

const TILE_TIMEOUT_MS = 30_000;

export /** AbortSignal.any where the browser has it (Safari before 17.4 has not), else the same by hand. */
function anySignal(...signals: AbortSignal[]): AbortSignal {
	if ('any' in AbortSignal) return AbortSignal.any(signals);
	const c = new AbortController();
	for (const s of signals) {
		if (s.aborted) c.abort(s.reason);
		else s.addEventListener('abort', () => c.abort(s.reason), { once: true });
	}
	return c.signal;
}
export const timeoutSignal = (ms: number) => {
	const c = new AbortController();
	setTimeout(() => c.abort(new DOMException('timed out', 'TimeoutError')), ms);
	return c.signal;
};

export const isAbort = (e: unknown, signal?: AbortSignal) => signal?.aborted || (e as { name?: string } | null)?.name === 'AbortError';

export async function fetchManifest(code: string, origin?: string, signal?: AbortSignal): Promise<OfflineAreaManifest> {
	if (globalThis.navigator?.onLine === false) throw new OfflineAreaFailure('network');
	let raw: unknown;
	try {
		raw = await apiFetch<unknown>(`${resolveOrigin(origin)}/api/offline-areas/${encodeURIComponent(code)}`, { signal, timeoutMs: 30_000 });
	} catch (e) {
		if (isAbort(e, signal)) throw e;
		throw new OfflineAreaFailure(e instanceof ApiFailure ? e.code : errorCodeOf(e), { cause: e });
	}
	const { OfflineAreaManifest } = await import('../domain/offline-area');
	const parsed = OfflineAreaManifest.safeParse(raw);
	if (!parsed.success || parsed.data.wardCode !== code) throw new OfflineAreaFailure('server_error');
	return parsed.data;
}

export async function fetchTile(url: string, t: TilePart, signal: AbortSignal): Promise<Blob> {
	const res = await fetch(url, { signal: anySignal(signal, timeoutSignal(TILE_TIMEOUT_MS)) });
	if (!res.ok) throw new OfflineAreaFailure(res.status === 429 ? 'rate_limited' : 'server_error');
	const blob = await res.blob();
	// A cut body, or a tile the set no longer has (the server answers a transparent one): not this part.
	if (blob.size !== t.bytes) throw new OfflineAreaFailure('network');
	return blob;
}

/** A batch of tiles (manifest.tilesUrl): each a 4-byte big-endian length then its bytes, in the order asked. */
export async function fetchTiles(url: string, tiles: TilePart[], signal: AbortSignal): Promise<Blob[]> {
	const q = tiles.map((t) => `${t.z}/${t.x}/${t.y}`).join(',');
	const res = await fetch(`${url}?t=${q}`, { signal: anySignal(signal, timeoutSignal(TILE_TIMEOUT_MS)) });
	if (!res.ok) throw new OfflineAreaFailure(res.status === 429 ? 'rate_limited' : 'server_error');
	const body = await res.arrayBuffer();
	// A cut body, or a tile the set no longer has: not these parts (the next try fetches them again).
	if (body.byteLength !== tiles.reduce((n, t) => n + 4 + t.bytes, 0)) throw new OfflineAreaFailure('network');
	const view = new DataView(body);
	let at = 0;
	return tiles.map((t) => {
		if (view.getUint32(at) !== t.bytes) throw new OfflineAreaFailure('network');
		const blob = new Blob([body.slice(at + 4, at + 4 + t.bytes)], { type: 'image/png' });
		at += 4 + t.bytes;
		return blob;
	});
}

export async function fetchZoning(url: string, code: string, signal: AbortSignal): Promise<ZoningWardPackage> {
	const res = await fetch(url, { signal: anySignal(signal, timeoutSignal(TILE_TIMEOUT_MS)), headers: { accept: 'application/json' } });
	if (!res.ok) throw new OfflineAreaFailure(res.status === 429 ? 'rate_limited' : 'server_error');
	const pkg = (await res.json()) as ZoningWardPackage;
	if (pkg?.wardCode !== code || !Array.isArray(pkg.zones) || !Array.isArray(pkg.parcels)) throw new OfflineAreaFailure('server_error');
	return pkg;
}
