/**
 * An admin imports zoning plan versions (POST /api/zoning/plans): WGS 84 or VN-2000, validated
 * feature by feature, stored whole or not at all, current at once and after a restart, the old
 * version still answering for a date in its period. Built from the demo tenant's demo plan.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZoningAnswer, ZoningPlanFile } from '$lib/domain/zoning';
import { placement } from '$lib/domain/zoning-geo';
import { validateFeatureCollection } from '../../sync-server/zoning/geojson-validate';
import { fromWgs84 } from '../../sync-server/zoning/vn2000';
import { call, login, startServer, type Session, type TestServer } from './harness';

const demo = JSON.parse(readFileSync(new URL('../../data/tenants/lam-dong/zoning/demo-plan.json', import.meta.url), 'utf8')) as ZoningPlanFile;
const parcel = demo.parcels.find((p) => p.sheet === 3)!;
const ring = parcel.geometry.type === 'Polygon' ? parcel.geometry.coordinates[0] : [];
const centre = { lng: (ring[0][0] + ring[2][0]) / 2, lat: (ring[0][1] + ring[2][1]) / 2 };
const LAM_DONG_MERIDIAN = 107.75;
// The demo plan's zones the importer's own checks accept (z001 of the demo is reported as self-intersecting).
const zones = demo.zones.filter((z) => !validateFeatureCollection({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { landUseCode: z.landUseCode }, geometry: z.geometry }] }, { crs: { kind: 'wgs84' }, bbox: [-180, -90, 180, 90], isKnownLandUse: () => true }).rejected.length);
// Two zones away from the point looked up, to spoil (a partial import keeps the one there).
const [bad1, bad2] = zones.flatMap((z, i) => (placement(centre.lng, centre.lat, z.geometry) === 'outside' ? [i] : []));

type Geometry = ZoningPlanFile['zones'][number]['geometry'];
const mapGeometry = (g: Geometry, f: (p: [number, number]) => [number, number]): Geometry =>
	g.type === 'Polygon' ? { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(f)) } : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((r) => r.map(f))) };

function zonesFc(f: (p: [number, number]) => [number, number] = (p) => p) {
	return {
		type: 'FeatureCollection',
		features: zones.map((z) => ({
			type: 'Feature',
			id: z.id,
			properties: { landUseCode: z.landUseCode, maxFloors: z.maxFloors, onPlannedRoad: z.onPlannedRoad, protectedArea: z.protectedArea },
			geometry: mapGeometry(z.geometry, f)
		}))
	};
}
const parcelsFc = () => ({
	type: 'FeatureCollection',
	features: demo.parcels.map((p) => ({ type: 'Feature', properties: { wardCode: p.wardCode, sheet: p.sheet, number: p.number }, geometry: p.geometry }))
});
const planInfo = (name: string, periodFrom: string, periodTo?: string) => ({
	nameVi: `Quy hoạch ${name}`,
	nameEn: `Plan ${name}`,
	decision: `Quyết định số ${name}/QĐ-UBND`,
	approvedAt: periodFrom,
	periodFrom,
	...(periodTo ? { periodTo } : {})
});

let srv: TestServer;
let admin: Session;
const plans = async () => (await call<{ plans: { id: string; version: number; current: boolean }[] }>(`${srv.url}/api/zoning/plans`)).body.plans;
const at = (q = '') => call<ZoningAnswer>(`${srv.url}/api/zoning/at?lat=${centre.lat}&lng=${centre.lng}${q}`);
const importPlan = (body: unknown, token = admin.token, q = '') =>
	call<{ planId: string; version: number; rejected: { index: number; code: string; reason: string }[]; error?: { code: string; message: string; details?: { rejected: { collection: string; index: number; code: string; reason: string }[] } } }>(
		`${srv.url}/api/zoning/plans${q}`,
		{ token, body }
	);

beforeAll(async () => {
	srv = await startServer();
	admin = await login(srv.url, 'admin');
});
afterAll(async () => srv?.close());

describe('zoning plan import', () => {
	it('refuses a stranger (401) and a non-admin (403) before reading the body', async () => {
		const none = await importPlan({}, '');
		expect(none.status).toBe(401);
		const handler = await login(srv.url, 'ubnd-lam-vien');
		const res = await importPlan({ plan: planInfo('x', '2020-01-01'), crs: 'wgs84', zones: zonesFc() }, handler.token);
		expect(res.status).toBe(403);
		expect(await plans()).toHaveLength(1);
	});

	let old: { planId: string; version: number };
	it('imports a plan in WGS 84: current at once, listed with its period', async () => {
		const res = await importPlan({ plan: planInfo('1', '2020-01-01', '2025-06-30'), crs: 'wgs84', zones: zonesFc(), parcels: parcelsFc() });
		expect(res.status, JSON.stringify(res.body)).toBe(201);
		old = res.body;
		const now = await at();
		expect(now.body.plan).toMatchObject({ id: old.planId, nameVi: 'Quy hoạch 1', demo: false });
		expect(now.body.parcel).toMatchObject({ sheet: parcel.sheet, number: parcel.number });
		expect((await plans()).find((p) => p.current)?.id).toBe(old.planId);
	});

	it('the same plan in VN-2000 gives the same answers at the same point', async () => {
		const before = (await at()).body;
		const res = await importPlan({ plan: planInfo('2', '2025-07-01'), crs: 'vn2000', zones: zonesFc((p) => fromWgs84(p, LAM_DONG_MERIDIAN)) });
		expect(res.status, JSON.stringify(res.body)).toBe(201);
		const after = (await at()).body;
		expect(after.plan.id).toBe(res.body.planId);
		expect(after.zone).toMatchObject({ id: before.zone.id, landUseCode: before.zone.landUseCode, maxFloors: before.zone.maxFloors });
	});

	it('a wrong central meridian is refused as outside the province, and nothing is stored', async () => {
		const count = (await plans()).length;
		const res = await importPlan({ plan: planInfo('3', '2026-01-01'), crs: 'vn2000', zones: zonesFc((p) => fromWgs84(p, 105)) });
		expect(res.status).toBe(422);
		expect(res.body.error?.code).toBe('zoning_import_rejected');
		expect(res.body.error?.details?.rejected.every((r) => r.code === 'outside-province' && /outside the province/.test(r.reason))).toBe(true);
		expect(await plans()).toHaveLength(count);
	});

	it('an unknown land-use code and a self-intersecting polygon are rejected by index, and nothing is stored', async () => {
		const count = (await plans()).length;
		const zones = zonesFc();
		zones.features[bad1].properties.landUseCode = 'XYZ';
		const [x0, y0, x1, y1] = [centre.lng - 0.001, centre.lat - 0.001, centre.lng + 0.001, centre.lat + 0.001];
		zones.features[bad2].geometry = { type: 'Polygon', coordinates: [[[x0, y0], [x1, y1], [x1, y0], [x0, y1], [x0, y0]]] };
		const res = await importPlan({ plan: planInfo('4', '2026-01-01'), crs: 'wgs84', zones });
		expect(res.status).toBe(422);
		expect(res.body.error?.details?.rejected).toEqual([
			expect.objectContaining({ collection: 'zones', index: bad1, code: 'land-use-unknown', reason: expect.stringContaining('XYZ') }),
			expect.objectContaining({ collection: 'zones', index: bad2, code: 'self-intersection' })
		]);
		expect(await plans()).toHaveLength(count);
		// partial=1 stores only the valid ones, and says which were left out.
		const part = await importPlan({ plan: planInfo('4', '2026-01-01'), crs: 'wgs84', zones }, admin.token, '?partial=1');
		expect(part.status).toBe(201);
		expect(part.body.rejected.map((r) => r.index)).toEqual([bad1, bad2].sort((a, b) => a - b));
		expect(await plans()).toHaveLength(count + 1);
	});

	it('a date in the old period still answers from the old version; the newest is current, also after a restart', async () => {
		const dated = await at('&date=2021-05-01');
		expect(dated.status).toBe(200);
		expect(dated.body.plan).toMatchObject({ id: old.planId, version: old.version, periodTo: '2025-06-30' });
		const current = (await at()).body.plan;
		expect(current.version).toBeGreaterThan(old.version);

		await srv.handle.close();
		srv = await startServer({ dataDir: srv.dataDir, couch: srv.couch });
		expect((await at()).body.plan).toMatchObject({ id: current.id, version: current.version });
		expect((await at('&date=2021-05-01')).body.plan.id).toBe(old.planId);
	});
});
