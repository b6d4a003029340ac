/**
 * A report about a neighbour must not point at the reporter's house on the public pages: a tenant
 * may blur the public position of a category (`publicLocationBlurM`). Against the real server, every
 * public route (a ward's list, one report, the look-up by code) gives a point snapped to a grid of
 * that size, the same on every request (a random jitter averaged over requests would give the point
 * away), with the size as `approxM`; handlers still get the exact point.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicReport, PublicReportDetail, PublicReportPage } from '$lib/domain/public';
import { call, fileReport, reportAs, signIn, startServer, type DeviceSession, type Session, type TestServer } from './harness';
import { loadTenant } from '../../sync-server/tenant/tenant-loader';
import { DEFAULT_TENANT_DIR } from '../../sync-server/config';

let srv: TestServer;
let ana: DeviceSession;
let police: Session;

const LAM_VIEN = '24778';
/** A house in Lâm Viên ward: the exact fix a resident's phone sends. */
const HOUSE = { lat: 11.961873, lng: 108.452391 };
const BLURRED = 'traffic-security';

beforeAll(async () => {
	srv = await startServer();
	[ana, police] = await signIn(srv.url, 'device', 'police');
});
afterAll(() => srv?.close());

/** Metres between two points (flat, fine at this scale). */
function metres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
	const kx = 111_320 * Math.cos((a.lat * Math.PI) / 180);
	return Math.hypot((a.lng - b.lng) * kx, (a.lat - b.lat) * 110_574);
}

function coords(r: PublicReport): { lat: number; lng: number; approxM?: number } {
	if (r.location.source === 'ward') throw new Error('no coordinates');
	return r.location as { lat: number; lng: number; approxM?: number };
}

async function everyPublicCopy(report: { id: string; trackingCode?: string }): Promise<{ copies: PublicReport[]; raw: string[] }> {
	const list = await call<PublicReportPage>(`${srv.url}/api/public/reports?ward=${LAM_VIEN}&limit=100`);
	const detail = await call<PublicReportDetail>(`${srv.url}/api/public/reports/${report.id}`);
	const byCode = await call<PublicReportDetail>(`${srv.url}/api/public/codes/${report.trackingCode}`);
	for (const res of [list, detail, byCode]) expect(res.status).toBe(200);
	const listed = list.body.reports.find((r) => r.id === report.id)!;
	return { copies: [listed, detail.body.report, byCode.body.report], raw: [JSON.stringify(list.body), JSON.stringify(detail.body), JSON.stringify(byCode.body)] };
}

describe('public pages blur the position of a category the tenant says to', () => {
	it('the shipped tenant blurs this category to ~100 m and leaves others exact', async () => {
		const { config } = await loadTenant(DEFAULT_TENANT_DIR);
		expect(config.categories.find((c) => c.code === BLURRED)?.publicLocationBlurM).toBe(100);
		expect(config.categories.find((c) => c.code === 'environment')?.publicLocationBlurM).toBeUndefined();
	});

	it('never returns the exact coordinates on any public route; handlers see them', async () => {
		const report = await fileReport(srv.url, ana, { categoryCode: BLURRED, location: { source: 'gps', ...HOUSE, accuracyM: 8 } });
		const { copies, raw } = await everyPublicCopy(report);
		for (const text of raw) {
			expect(text).not.toContain(String(HOUSE.lat));
			expect(text).not.toContain(String(HOUSE.lng));
			expect(text).not.toContain('"accuracyM"');
		}
		for (const c of copies) {
			const p = coords(c);
			expect(p.approxM).toBe(100);
			expect(p.lat === HOUSE.lat && p.lng === HOUSE.lng).toBe(false);
			// Within the cell: at most half its diagonal away.
			expect(metres(p, HOUSE)).toBeLessThanOrEqual(71);
		}
		// The same point on every route and every request: nothing to average out.
		expect(new Set(copies.map((c) => JSON.stringify(c.location))).size).toBe(1);
		expect((await everyPublicCopy(report)).copies[1].location).toEqual(copies[1].location);

		const handled = await reportAs(srv.url, police, report.id);
		expect(handled?.location).toEqual({ source: 'gps', ...HOUSE, accuracyM: 8 });
	});

	it('two houses in one cell show the same public point', async () => {
		const a = await fileReport(srv.url, ana, { categoryCode: BLURRED, location: { source: 'gps', lat: 11.96201, lng: 108.45201 } });
		const b = await fileReport(srv.url, ana, { categoryCode: BLURRED, location: { source: 'gps', lat: 11.96205, lng: 108.45205 } });
		const [pa, pb] = [(await everyPublicCopy(a)).copies[1], (await everyPublicCopy(b)).copies[1]];
		expect(pa.location).toEqual(pb.location);
	});

	it('a category without the setting keeps its exact public point', async () => {
		const report = await fileReport(srv.url, ana, { location: { source: 'gps', ...HOUSE, accuracyM: 8 } });
		const { copies } = await everyPublicCopy(report);
		for (const c of copies) expect(c.location).toEqual({ source: 'gps', ...HOUSE, accuracyM: 8 });
	});
});
