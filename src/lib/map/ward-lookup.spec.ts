import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeBoundaries } from '../domain/boundary-codec';
import type { BoundaryCollection } from '../domain/geo';
import { localDb } from '../sync/local-db';
import { BOUNDARIES_KEY, createWardLookup } from './ward-lookup';

/** What the worker runs (ward.worker.ts only passes messages to it): called directly here. */

const boundaries: BoundaryCollection = JSON.parse(
	readFileSync(new URL('../../../data/tenants/lam-dong/boundaries.geojson', import.meta.url), 'utf8')
);
const compactText = JSON.stringify(encodeBoundaries(boundaries));
const ORIGIN = 'http://caunoi.test';
/** Inside Phường Xuân Hương - Đà Lạt (24781), away from its edges. */
const XUAN_HUONG = { lat: 11.9404, lng: 108.4583 };

let requests: string[] = [];
let online = true;

beforeEach(async () => {
	await localDb.tenant.clear();
	requests = [];
	online = true;
	vi.stubGlobal('fetch', async (url: string) => {
		requests.push(String(url));
		if (!online) throw new TypeError('offline');
		if (String(url) !== `${ORIGIN}/api/tenant/boundaries.compact`) return new Response('{}', { status: 404 });
		return new Response(compactText, { headers: { 'content-type': 'application/json' } });
	});
});
afterEach(() => vi.unstubAllGlobals());

describe('the ward worker: boundaries fetched compact, stored, and asked', () => {
	it('fetches the compact boundaries once, stores them, and answers from them offline afterwards', async () => {
		const first = createWardLookup();
		expect(await first.handle(ORIGIN, { op: 'warm' })).toBe(true);
		expect(requests).toEqual([`${ORIGIN}/api/tenant/boundaries.compact`]);
		const row = await localDb.tenant.get(BOUNDARIES_KEY);
		expect(JSON.stringify(row?.value)).toBe(compactText);

		// A later page, offline: a new worker answers from the device.
		online = false;
		const later = createWardLookup();
		const ward = (await later.handle(ORIGIN, { op: 'locate', ...XUAN_HUONG })) as { code: string; name: string } | null;
		expect(ward).toMatchObject({ code: '24781', name: 'Phường Xuân Hương - Đà Lạt' });
		expect(await later.handle(ORIGIN, { op: 'matches', code: '24781', ...XUAN_HUONG })).toBe(true);
		expect(await later.handle(ORIGIN, { op: 'matches', code: '22918', ...XUAN_HUONG })).toBe(false);
		const d = (await later.handle(ORIGIN, { op: 'distances', ...XUAN_HUONG })) as Map<string, number>;
		expect(d.size).toBe(boundaries.features.length);
		expect(d.get('24781')).toBe(0);
		expect(d.get('22918')!).toBeGreaterThan(100_000);
		expect(requests).toHaveLength(1);
	});

	it("gives one ward's outline, exactly the tenant's, and null for a code that has none", async () => {
		const lookup = createWardLookup();
		const f = await lookup.handle(ORIGIN, { op: 'feature', code: '24781' });
		expect(f).toEqual(boundaries.features.find((x) => x.properties.code === '24781'));
		expect(await lookup.handle(ORIGIN, { op: 'feature', code: 'nope' })).toBeNull();
	});

	it('answers null offline with nothing stored, and tries the network again on the next question', async () => {
		online = false;
		const lookup = createWardLookup();
		expect(await lookup.handle(ORIGIN, { op: 'locate', ...XUAN_HUONG })).toBeNull();
		expect(await lookup.handle(ORIGIN, { op: 'distances', ...XUAN_HUONG })).toBeNull();
		expect(await lookup.handle(ORIGIN, { op: 'warm' })).toBe(false);
		online = true;
		expect(await lookup.handle(ORIGIN, { op: 'locate', ...XUAN_HUONG })).toMatchObject({ code: '24781' });
	});

	it('turns the GeoJSON an earlier version stored into the compact form, offline, and leaves no copy of it behind', async () => {
		await localDb.tenant.put({ key: 'boundaries', value: boundaries, fetchedAt: Date.now() });
		online = false;
		const lookup = createWardLookup();
		expect(await lookup.handle(ORIGIN, { op: 'locate', ...XUAN_HUONG })).toMatchObject({ code: '24781' });
		expect(await localDb.tenant.get('boundaries')).toBeUndefined();
		expect(JSON.stringify((await localDb.tenant.get(BOUNDARIES_KEY))?.value)).toBe(compactText);
		expect(requests).toEqual([]);
	});

	it('refreshes a copy older than the server lets it be cached, and answers from the old one meanwhile', async () => {
		const old = encodeBoundaries({ type: 'FeatureCollection', features: boundaries.features.filter((f) => f.properties.code !== '24781') });
		await localDb.tenant.put({ key: BOUNDARIES_KEY, value: old, fetchedAt: Date.now() - 8 * 86_400_000 });
		const lookup = createWardLookup();
		expect(await lookup.handle(ORIGIN, { op: 'feature', code: '24781' })).toBeNull();
		await vi.waitFor(async () => expect((await localDb.tenant.get(BOUNDARIES_KEY))?.fetchedAt).toBeGreaterThan(Date.now() - 60_000));
		expect(await lookup.handle(ORIGIN, { op: 'feature', code: '24781' })).not.toBeNull();
	});
});
