import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OfflineAreaManifest, TilePart } from '../domain/offline-area';
import type { ZoningPlanFile, ZoningWardPackage } from '../domain/zoning';
import { AreaDb, areaDb, useAreaDb } from './area-store';
import { areaPlan, deleteArea, downloadArea, listAreas, OfflineAreaFailure, storedParcel, storedTile, storedZoning, storedZoningAt } from './offline-area.service';

/**
 * A commune downloaded for use with no signal: what a resident notices is that a cut download goes
 * on from where it stopped, an update costs only what changed, a full phone says so and keeps what
 * it had, and the zoning answers in airplane mode.
 */

const ORIGIN = 'http://areas.test';
const WARD = '24778';
const plan = JSON.parse(readFileSync(new URL('../../../data/tenants/lam-dong/zoning/demo-plan.json', import.meta.url), 'utf8')) as ZoningPlanFile;
const pkg: ZoningWardPackage = {
	wardCode: WARD,
	plan: plan.plan,
	zones: plan.zones,
	parcels: plan.parcels.filter((p) => p.wardCode === WARD),
	landUses: [...new Set(plan.zones.map((z) => z.landUseCode))].map((code) => ({ code, nameVi: `Đất ${code}`, nameEn: `${code} land` }))
};
const parcel = pkg.parcels.find((p) => p.sheet === 3)!;
const ring = parcel.geometry.type === 'Polygon' ? parcel.geometry.coordinates[0] : [];
const centre = { lng: (ring[0][0] + ring[2][0]) / 2, lat: (ring[0][1] + ring[2][1]) / 2 };

const hash = (s: string) => s.padEnd(27, '0').slice(0, 27);
const tile = (z: number, x: number, y: number, size: number, tag = 'a'): TilePart => ({ z, x, y, bytes: size, hash: hash(`${tag}${z}x${x}y${y}`) });

function manifest(over: Partial<OfflineAreaManifest> = {}, code = WARD): OfflineAreaManifest {
	return {
		wardCode: code,
		nameVi: 'Phường Lâm Viên - Đà Lạt',
		nameEn: 'Lam Vien - Da Lat Ward',
		version: hash('v1'),
		boundary: { type: 'Feature', properties: { code, name: 'Lâm Viên' }, geometry: { type: 'Polygon', coordinates: [[[108.43, 11.94], [108.5, 11.94], [108.5, 11.98], [108.43, 11.94]]] } },
		offices: [],
		zoning: { url: `/api/zoning/wards/${code}`, bytes: 5000, hash: hash('zoning1') },
		tileUrl: '/api/tiles/{z}/{x}/{y}.png',
		tiles: [tile(14, 1, 1, 100), tile(14, 1, 2, 200), tile(14, 2, 1, 300), tile(14, 2, 2, 400), tile(15, 3, 3, 500)],
		...over
	};
}

/** The server: manifests by ward, tiles by path; every request recorded; `fail` decides a request's fate. */
let manifests: Record<string, OfflineAreaManifest>;
let requests: string[];
let fail: (url: string) => boolean;
beforeEach(() => {
	useAreaDb(new AreaDb(`areas-${Math.random()}`));
	manifests = { [WARD]: manifest() };
	requests = [];
	fail = () => false;
	vi.stubGlobal(
		'fetch',
		vi.fn(async (url: string) => {
			requests.push(url.replace(ORIGIN, ''));
			if (fail(url)) throw new TypeError('fetch failed');
			const path = url.replace(ORIGIN, '');
			const area = /^\/api\/offline-areas\/(\d+)$/.exec(path);
			if (area) return manifests[area[1]] ? Response.json(manifests[area[1]]) : Response.json({ error: { code: 'unknown_ward' } }, { status: 404 });
			if (path.startsWith('/api/zoning/wards/')) return Response.json(pkg);
			const batch = /^\/api\/offline-areas\/\d+\/tiles\?t=(.+)$/.exec(path);
			if (batch) {
				// The server's batch: each tile a 4-byte big-endian length, then its bytes.
				const all = Object.values(manifests).flatMap((m) => m.tiles);
				const found = batch[1].split(',').map((k) => all.find((p) => `${p.z}/${p.x}/${p.y}` === k));
				const out = new Uint8Array(found.reduce((n, p) => n + 4 + (p?.bytes ?? 0), 0));
				let at = 0;
				for (const p of found) {
					new DataView(out.buffer).setUint32(at, p?.bytes ?? 0);
					out.fill(p?.hash.charCodeAt(0) ?? 0, at + 4, at + 4 + (p?.bytes ?? 0));
					at += 4 + (p?.bytes ?? 0);
				}
				return new Response(out);
			}
			const t = /^\/api\/tiles\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(path);
			const part = t && Object.values(manifests).flatMap((m) => m.tiles).find((p) => `${p.z}/${p.x}/${p.y}` === `${t[1]}/${t[2]}/${t[3]}`);
			return part ? new Response(new Uint8Array(part.bytes).fill(part.hash.charCodeAt(0))) : new Response('', { status: 404 });
		})
	);
	vi.stubGlobal('navigator', { onLine: true, storage: { persisted: vi.fn(async () => false), persist: vi.fn(async () => true) } });
});
afterEach(async () => {
	vi.unstubAllGlobals();
	vi.restoreAllMocks();
	await areaDb().delete();
});

const tileRequests = () => requests.filter((r) => r.startsWith('/api/tiles/'));
const TOTAL = 5000 + 100 + 200 + 300 + 400 + 500;

describe('downloading a commune', () => {
	it('shows the size first, stores every part with progress up to the total, and asks once to persist', async () => {
		const plan0 = await areaPlan(WARD, { origin: ORIGIN });
		expect(plan0).toMatchObject({ state: 'none', totalBytes: TOTAL, toFetchBytes: TOTAL, toFetchParts: 6 });
		const progress: number[] = [];
		const res = await downloadArea(WARD, { origin: ORIGIN, onProgress: (done, total) => (expect(total).toBe(TOTAL), progress.push(done)) });
		expect(res).toMatchObject({ totalBytes: TOTAL, fetchedBytes: TOTAL, persisted: true });
		expect(progress.at(-1)).toBe(TOTAL);
		expect(progress).toEqual([...progress].sort((a, b) => a - b));
		expect(navigator.storage.persist).toHaveBeenCalledTimes(1);
		expect((await storedTile(14, 2, 1))?.size).toBe(300);
		expect(await listAreas()).toMatchObject([{ code: WARD, state: 'complete', totalBytes: TOTAL, storedBytes: TOTAL }]);
		expect((await areaPlan(WARD, { origin: ORIGIN })).toFetchBytes).toBe(0);
	});

	it('a download right after the size was shown uses that manifest: one request fewer on a weak link', async () => {
		const plan0 = await areaPlan(WARD, { origin: ORIGIN });
		requests = [];
		await downloadArea(WARD, { origin: ORIGIN, manifest: plan0.manifest });
		expect(requests.filter((r) => r === `/api/offline-areas/${WARD}`)).toHaveLength(0);
		expect(tileRequests()).toHaveLength(5);
		expect((await listAreas())[0].state).toBe('complete');
	});

	it('a download cut halfway is partial, and the next one fetches only the parts still missing', async () => {
		let served = 0;
		fail = (url) => url.includes('/api/tiles/') && ++served > 2;
		const err = await downloadArea(WARD, { origin: ORIGIN }).catch((e) => e);
		expect(err).toBeInstanceOf(OfflineAreaFailure);
		expect(err.code).toBe('network');
		expect((await listAreas())[0].state).toBe('partial');
		const stored = (await Promise.all(manifests[WARD].tiles.map((t) => storedTile(t.z, t.x, t.y)))).filter(Boolean).length;
		expect(stored).toBeGreaterThanOrEqual(1);

		const plan1 = await areaPlan(WARD, { origin: ORIGIN });
		expect(plan1.state).toBe('partial');
		expect(plan1.toFetchBytes).toBeLessThan(TOTAL);
		fail = () => false;
		requests = [];
		const res = await downloadArea(WARD, { origin: ORIGIN });
		expect(tileRequests()).toHaveLength(5 - stored);
		expect(res.fetchedBytes).toBe(plan1.toFetchBytes);
		expect((await listAreas())[0].state).toBe('complete');
	});

	it('an update fetches only the changed tile and drops the one no longer listed', async () => {
		await downloadArea(WARD, { origin: ORIGIN });
		const [a, b, c, d, e] = manifests[WARD].tiles;
		manifests[WARD] = manifest({ version: hash('v2'), tiles: [a, b, { ...c, bytes: 333, hash: hash('changed') }, d] });
		void e;
		expect(await areaPlan(WARD, { origin: ORIGIN })).toMatchObject({ toFetchParts: 1, toFetchBytes: 333 });
		requests = [];
		const res = await downloadArea(WARD, { origin: ORIGIN });
		expect(tileRequests()).toEqual([`/api/tiles/${c.z}/${c.x}/${c.y}.png`]);
		expect(requests.some((r) => r.startsWith('/api/zoning/'))).toBe(false);
		expect(res.fetchedBytes).toBe(333);
		expect((await storedTile(c.z, c.x, c.y))?.size).toBe(333);
		expect(await storedTile(15, 3, 3)).toBeNull();
		expect(await listAreas()).toMatchObject([{ state: 'complete', storedBytes: TOTAL - 300 - 500 + 333 }]);
	});

	it('delete removes the area and its tiles, but keeps a tile a neighbouring area also holds', async () => {
		const NEXT = '24781';
		manifests[NEXT] = manifest({ zoning: undefined, tiles: [tile(14, 2, 2, 400), tile(14, 9, 9, 50, 'b')] }, NEXT);
		await downloadArea(WARD, { origin: ORIGIN });
		requests = [];
		await downloadArea(NEXT, { origin: ORIGIN });
		// The shared tile was already on the phone: not fetched twice.
		expect(tileRequests()).toEqual(['/api/tiles/14/9/9.png']);
		await deleteArea(WARD);
		expect((await listAreas()).map((a) => a.code)).toEqual([NEXT]);
		expect(await storedTile(14, 1, 1)).toBeNull();
		expect(await storedTile(14, 2, 2)).not.toBeNull();
		expect(await storedZoning(WARD)).toBeNull();
		expect(await storedZoningAt(centre.lat, centre.lng)).toBeNull();
		expect((await listAreas())[0].state).toBe('complete');
	});

	it('a full disk answers storage_full and keeps the parts already stored; nothing counts as complete', async () => {
		const tiles = areaDb().tiles;
		const put = tiles.put.bind(tiles);
		let puts = 0;
		vi.spyOn(tiles, 'put').mockImplementation(((...args: Parameters<typeof put>) => {
			if (++puts > 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			return put(...args);
		}) as typeof put);
		const err = await downloadArea(WARD, { origin: ORIGIN }).catch((e) => e);
		expect(err).toBeInstanceOf(OfflineAreaFailure);
		expect(err.code).toBe('storage_full');
		// What was stored before the disk filled stays, and the record says exactly that much.
		const kept = (await Promise.all(manifests[WARD].tiles.map((t) => storedTile(t.z, t.x, t.y)))).filter((b): b is Blob => !!b);
		expect(kept.length).toBeLessThan(5);
		const [area] = await listAreas();
		expect(area.state).toBe('partial');
		const zoningKept = (await storedZoning(WARD)) ? 5000 : 0;
		expect(area.storedBytes).toBe(kept.reduce((s, b) => s + b.size, 0) + zoningKept);
		expect(area.storedBytes).toBeGreaterThan(0);
		// Space freed: the next download fetches only what is missing.
		vi.mocked(tiles.put).mockRestore();
		requests = [];
		await downloadArea(WARD, { origin: ORIGIN });
		expect(tileRequests()).toHaveLength(5 - kept.length);
		expect((await listAreas())[0].state).toBe('complete');
	});

	it('a second tap on "download" while one runs joins it: every part is fetched once', async () => {
		const [a, b] = await Promise.all([downloadArea(WARD, { origin: ORIGIN }), downloadArea(WARD, { origin: ORIGIN })]);
		expect(a).toBe(b);
		expect(tileRequests()).toHaveLength(5);
		expect(requests.filter((r) => r.startsWith('/api/zoning/'))).toHaveLength(1);
	});

	it('parts the browser evicted show as evicted, and a new download fetches them again', async () => {
		await downloadArea(WARD, { origin: ORIGIN });
		await areaDb().tiles.clear();
		await areaDb().zoning.clear();
		expect((await listAreas())[0].state).toBe('evicted');
		await expect(storedZoning(WARD)).rejects.toMatchObject({ code: 'storage_evicted' });
		requests = [];
		await downloadArea(WARD, { origin: ORIGIN });
		expect(tileRequests()).toHaveLength(5);
		expect((await listAreas())[0].state).toBe('complete');
	});
});

describe('tiles many to a request (the server batches them)', () => {
	const many = Array.from({ length: 100 }, (_, i) => tile(16, 100 + i, 7, 10 + i));
	const batched = () => manifest({ tilesUrl: `/api/offline-areas/${WARD}/tiles`, tiles: many });
	const batches = () => requests.filter((r) => r.includes('/tiles?t='));
	const asked = () => batches().flatMap((r) => r.split('?t=')[1].split(','));

	it('fetches a hundred tiles in three requests, each stored whole', async () => {
		manifests[WARD] = batched();
		await downloadArea(WARD, { origin: ORIGIN });
		expect(batches()).toHaveLength(3);
		expect(asked()).toHaveLength(100);
		expect(tileRequests()).toHaveLength(0);
		expect((await storedTile(16, 150, 7))?.size).toBe(60);
		expect((await listAreas())[0].state).toBe('complete');
	});

	it('a batch cut short stores none of its tiles; the next download asks only for those not stored', async () => {
		manifests[WARD] = batched();
		let n = 0;
		fail = (url) => url.includes('/tiles?t=') && ++n === 2;
		await expect(downloadArea(WARD, { origin: ORIGIN })).rejects.toMatchObject({ code: 'network' });
		const kept = (await Promise.all(many.map((t) => storedTile(t.z, t.x, t.y)))).filter(Boolean).length;
		expect(kept).toBeLessThan(100);
		fail = () => false;
		requests = [];
		await downloadArea(WARD, { origin: ORIGIN });
		expect(asked()).toHaveLength(100 - kept);
		expect((await listAreas())[0].state).toBe('complete');
	});
});

describe('look-ups with no signal', () => {
	it('answer the zone, the parcel by sheet and number, and null for a parcel that does not exist', async () => {
		await downloadArea(WARD, { origin: ORIGIN });
		fail = () => true;
		vi.stubGlobal('navigator', { onLine: false });
		const at = await storedZoningAt(centre.lat, centre.lng);
		expect(at?.parcel).toMatchObject({ sheet: parcel.sheet, number: parcel.number });
		expect(at?.landUse).toMatchObject({ code: at!.zone.landUseCode, nameVi: `Đất ${at!.zone.landUseCode}` });
		const found = await storedParcel(WARD, `Tờ ${parcel.sheet}`, ` 00${parcel.number} `);
		expect(found?.parcel).toMatchObject({ sheet: parcel.sheet, number: parcel.number });
		expect(found?.zones.map((z) => z.id)).toContain(at!.zone.id);
		expect(await storedParcel(WARD, '99', '1')).toBeNull();
		expect(await storedZoningAt(10.8, 106.7)).toBeNull();
		await expect(areaPlan(WARD, { origin: ORIGIN })).rejects.toMatchObject({ code: 'network' });
	});
});
