/**
 * The zoning look-up against the real server and the demo tenant's demo plan (data/tenants/lam-dong/
 * zoning/demo-plan.json): by a tap on the map, by sheet and parcel number, and a ward's package for
 * use with no signal. Public: no token anywhere.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParcelAddressList, ParcelAnswer, ZoningAnswer, ZoningPlanFile, ZoningWardList, ZoningWardPackage } from '$lib/domain/zoning';
import { bboxOf, placement } from '$lib/domain/zoning-geo';
import { call, startServer, type TestServer } from './harness';

const WARD = '24778';
const plan = JSON.parse(readFileSync(new URL('../../data/tenants/lam-dong/zoning/demo-plan.json', import.meta.url), 'utf8')) as ZoningPlanFile;
// A known parcel (the demo's parcels lie in built-up zones): its centre is a point inside it.
const parcel = plan.parcels.find((p) => p.sheet === 3)!;
const ring = parcel.geometry.type === 'Polygon' ? parcel.geometry.coordinates[0] : [];
const centre = { lng: (ring[0][0] + ring[2][0]) / 2, lat: (ring[0][1] + ring[2][1]) / 2 };

let srv: TestServer;
beforeAll(async () => {
	srv = await startServer();
});
afterAll(async () => srv?.close());

describe('zoning look-up', () => {
	it('a tap inside a parcel answers its zone, land use in both languages, the plan (labelled demo) and the parcel', async () => {
		const res = await call<ZoningAnswer>(`${srv.url}/api/zoning/at?lat=${centre.lat}&lng=${centre.lng}`);
		expect(res.status).toBe(200);
		expect(res.body.plan).toMatchObject({ demo: true, nameVi: expect.stringContaining('dữ liệu demo'), decision: expect.any(String), periodFrom: '2025-01-01' });
		expect(res.body.parcel).toMatchObject({ wardCode: WARD, sheet: parcel.sheet, number: parcel.number });
		expect(['ODT', 'TMD', 'DGD']).toContain(res.body.zone.landUseCode);
		expect(res.body.landUse.code).toBe(res.body.zone.landUseCode);
		expect(res.body.landUse.nameVi).toMatch(/^Đất /);
		expect(res.body.landUse.nameEn).not.toBe(res.body.landUse.nameVi);
		expect(typeof res.body.zone.maxFloors).toBe('number');
	});

	it('a point on the planned road says so', async () => {
		const road = plan.zones.find((z) => z.onPlannedRoad)!;
		// The strip runs west–east: its middle line, at the first point along it that lies in the strip.
		const [x0, y0, x1, y1] = bboxOf(road.geometry);
		const lat = (y0 + y1) / 2;
		const lng = Array.from({ length: 100 }, (_, i) => x0 + ((x1 - x0) * (i + 0.5)) / 100).find((x) => placement(x, lat, road.geometry) === 'inside')!;
		const res = await call<ZoningAnswer>(`${srv.url}/api/zoning/at?lat=${lat}&lng=${lng}`);
		expect(res.status).toBe(200);
		expect(res.body.zone).toMatchObject({ onPlannedRoad: true, landUseCode: 'DGT' });
	});

	it('outside the ward (and outside the province) answers 404 zoning_none', async () => {
		for (const [lat, lng] of [[11.93, 108.40], [10.8, 106.7]]) {
			const res = await call<{ error: { code: string } }>(`${srv.url}/api/zoning/at?lat=${lat}&lng=${lng}`);
			expect(res.status).toBe(404);
			expect(res.body.error.code).toBe('zoning_none');
		}
		const bad = await call(`${srv.url}/api/zoning/at?lat=abc&lng=108`);
		expect(bad.status).toBe(400);
	});

	it('finds a parcel by sheet and number as typed on land papers, with the zone it lies in', async () => {
		const q = new URLSearchParams({ ward: WARD, sheet: `Tờ ${parcel.sheet}`, number: ` 00${parcel.number} ` });
		const res = await call<ParcelAnswer>(`${srv.url}/api/zoning/parcels?${q}`);
		expect(res.status).toBe(200);
		expect(res.body.parcel).toMatchObject({ sheet: parcel.sheet, number: parcel.number, areaM2: parcel.areaM2 });
		const at = await call<ZoningAnswer>(`${srv.url}/api/zoning/at?lat=${centre.lat}&lng=${centre.lng}`);
		expect(res.body.zones.map((z) => z.id)).toContain(at.body.zone.id);
		expect(res.body.landUses.map((u) => u.code)).toContain(at.body.zone.landUseCode);
	});

	it('a parcel that does not exist, or in another ward, answers 404 parcel_unknown', async () => {
		for (const q of [{ ward: WARD, sheet: '99', number: '1' }, { ward: '24781', sheet: String(parcel.sheet), number: String(parcel.number) }, { ward: WARD, sheet: 'abc', number: '1' }]) {
			const res = await call<{ error: { code: string } }>(`${srv.url}/api/zoning/parcels?${new URLSearchParams(q)}`);
			expect(res.status, JSON.stringify(q)).toBe(404);
			expect(res.body.error.code).toBe('parcel_unknown');
		}
	});

	it('finds parcels by address as residents type it: no accents, "tdp", whole numbers; none, or too short, said plainly', async () => {
		const search = (q: string, ward = WARD) => call<ParcelAddressList & { error?: { code: string } }>(`${srv.url}/api/zoning/parcels/search?${new URLSearchParams({ ward, q })}`);
		const addressed = plan.parcels.filter((p) => p.address);
		const houseOf = (a: string) => /^Số (\d+), tổ dân phố (\d+),/.exec(a)!;
		const one = addressed[0];
		const [, house, group] = houseOf(one.address!);

		// Without accents, the words in full; and abbreviated, in capitals.
		for (const q of [`so ${house} to dan pho ${group} lam vien`, `${house} TDP ${group}`]) {
			const res = await search(q);
			expect(res.status, q).toBe(200);
			expect(res.body.parcels[0], q).toEqual({ wardCode: WARD, sheet: one.sheet, number: one.number, address: one.address, areaM2: one.areaM2 });
			for (const hit of res.body.parcels) expect(hit.address).toMatch(new RegExp(`^Số ${house}, tổ dân phố ${group},`));
			expect(res.body.parcels.length).toBeLessThanOrEqual(10);
		}

		// A house number that is the end of a longer one in the plan (28 and 128): only the number itself.
		const houses = new Set(addressed.map((p) => houseOf(p.address!)[1]));
		const short = [...houses].find((h) => [...houses].some((o) => o !== h && o.endsWith(h)))!;
		expect(short).toBeDefined();
		const res = await search(`so ${short}`);
		expect(res.body.parcels.length).toBeGreaterThan(0);
		for (const hit of res.body.parcels) expect(houseOf(hit.address)[1]).toBe(short);

		// Nothing there: an empty list, not an error; nor in a ward without parcels.
		expect((await search('khong co dia chi nay')).body).toEqual({ parcels: [] });
		expect((await search(`so ${house}`, '24781')).body).toEqual({ parcels: [] });
		// Too short to mean anything, or too long to be an address: refused.
		for (const q of ['2', ' 2 ', 'x'.repeat(81)]) expect((await search(q)).status, q).toBe(400);
	});

	it('a ward’s package holds all its zones and parcels, compressed, and a device holding it gets 304', async () => {
		const res = await fetch(`${srv.url}/api/zoning/wards/${WARD}`, { headers: { 'accept-encoding': 'br' } });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-encoding')).toBe('br');
		const sent = Number(res.headers.get('content-length'));
		const body = (await res.json()) as ZoningWardPackage;
		expect(body.parcels).toHaveLength(plan.parcels.length);
		expect(body.zones).toHaveLength(plan.zones.length);
		expect(body.plan.demo).toBe(true);
		expect(new Set(body.landUses.map((u) => u.code))).toEqual(new Set(plan.zones.map((z) => z.landUseCode)));
		// Compressed well below the JSON a device unpacks.
		expect(sent).toBeGreaterThan(0);
		expect(sent).toBeLessThan(JSON.stringify(body).length / 3);

		const etag = res.headers.get('etag')!;
		expect(etag).toMatch(/^"/);
		const again = await fetch(`${srv.url}/api/zoning/wards/${WARD}`, { headers: { 'if-none-match': etag } });
		expect(again.status).toBe(304);
	});

	it('lists the wards the plan covers with their zone and parcel counts: the demo ward only', async () => {
		const res = await call<ZoningWardList>(`${srv.url}/api/zoning/wards`);
		expect(res.status).toBe(200);
		expect(res.body.planVersion).toBe(plan.plan.version);
		const mine = res.body.wards.find((w) => w.code === WARD);
		expect(mine).toEqual({ code: WARD, parcels: plan.parcels.length, zones: expect.any(Number) });
		expect(mine!.zones).toBeGreaterThan(0);
		// Every parcel of the demo lies in its ward: no other ward is offered for the parcel search.
		expect(res.body.wards.filter((w) => w.parcels > 0).map((w) => w.code)).toEqual([WARD]);
		expect(res.body.wards.reduce((n, w) => n + w.zones, 0)).toBeGreaterThanOrEqual(plan.zones.length);
	});

	it('a ward without zoning answers 404 zoning_none', async () => {
		const res = await call<{ error: { code: string } }>(`${srv.url}/api/zoning/wards/24781`);
		expect(res.status).toBe(404);
		expect(res.body.error.code).toBe('zoning_none');
	});

	// Last: it spends this address's allowance for the ward packages.
	it('is rate-limited like the other public routes', async () => {
		const codes: number[] = [];
		for (let i = 0; i < 35; i++) codes.push((await fetch(`${srv.url}/api/zoning/wards/${WARD}`, { headers: { 'if-none-match': '"x"' } })).status);
		expect(codes).toContain(429);
		const limited = await call<{ error: { code: string } }>(`${srv.url}/api/zoning/wards/${WARD}`);
		expect(limited.body.error.code).toBe('rate_limited');
	});
});
