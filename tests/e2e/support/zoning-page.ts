import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { zoneAt, type Parcel, type ZoningPlanFile } from '../../../src/lib/domain/zoning';
import { unaccented } from '../../../src/lib/i18n/fold';
import { featureCentre } from '../../../src/lib/map/map-view';
import { expect } from '../fixtures';

/** The zoning page's browser tests: the demo plan of Phường Lâm Viên, and taps on the map where a place is drawn. */

export const LAM_VIEN = '24778';
export const plan = JSON.parse(readFileSync(path.resolve('data/tenants/lam-dong/zoning/demo-plan.json'), 'utf8')) as ZoningPlanFile;
export const landUseVi = new Map(
	readFileSync(path.resolve('data/land-use-codes.csv'), 'utf8')
		.trim()
		.split('\n')
		.slice(1)
		.map((l) => l.split(','))
		.map(([code, , nameVi]) => [code, nameVi] as const)
);

/** Web Mercator world pixels (256 px tiles) at zoom z: what Leaflet draws with. */
function worldPx(lat: number, lng: number, z: number) {
	const n = 256 * 2 ** z;
	const s = Math.sin((lat * Math.PI) / 180);
	return { x: ((lng + 180) / 360) * n, y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n };
}

/** Where on the page a place is drawn now: from the map's view (its `data-view` mark) and its box. */
export async function pagePoint(page: Page, lat: number, lng: number) {
	const view = (await page.getByTestId('map-view').getAttribute('data-view'))!.split(',').map(Number);
	const box = (await page.getByTestId('map').boundingBox())!;
	const [cLat, cLng, zoom] = view;
	const c = worldPx(cLat, cLng, zoom), p = worldPx(lat, lng, zoom);
	return { x: box.x + box.width / 2 + (p.x - c.x), y: box.y + box.height / 2 + (p.y - c.y), box };
}

const inside = (pt: { x: number; y: number; box: { x: number; y: number; width: number; height: number } }, m = 30) =>
	pt.x > pt.box.x + m && pt.x < pt.box.x + pt.box.width - m && pt.y > pt.box.y + m && pt.y < pt.box.y + pt.box.height - m;

/** A demo zone whose inner point is on screen now, with the land use the look-up will find there. */
export async function zoneInView(page: Page): Promise<{ lat: number; lng: number; code: string; x: number; y: number }> {
	// The whole map on screen (a reload keeps the scroll of a page scrolled down to its downloads).
	await page.getByTestId('map').scrollIntoViewIfNeeded();
	for (const z of plan.zones) {
		const c = featureCentre({ type: 'Feature', properties: { code: z.id, name: '' }, geometry: z.geometry });
		if (!c) continue;
		const found = zoneAt(plan.zones, c.lat, c.lng);
		const pt = await pagePoint(page, c.lat, c.lng);
		if (found && inside(pt)) return { ...c, code: found.landUseCode, x: pt.x, y: pt.y };
	}
	throw new Error('no demo zone in view');
}

/** Every address the browser asked for, to check none left 127.0.0.1. */
export function requestsOf(page: Page): string[] {
	const urls: string[] = [];
	page.on('request', (r) => urls.push(r.url()));
	return urls;
}

export async function openZoning(page: Page) {
	await page.goto('/zoning');
	await expect(page.getByRole('heading', { level: 1, name: 'Tra cứu quy hoạch' })).toBeVisible();
	await expect(page.getByTestId('map-view')).toHaveAttribute('data-state', 'ready');
	await expect(page.getByTestId('parcel-find')).toBeEnabled();
}

/**
 * A demo parcel whose house number and residential group (tổ dân phố) no other parcel shares, and
 * that part of its address as a resident types it without accents ("so 28, to dan pho 4").
 */
export function addressTarget(): { parcel: Parcel; fragment: string } {
	const houseOf = (p: Parcel) => /^(Số \d+, tổ dân phố \d+),/.exec(p.address ?? '')?.[1];
	const counts = new Map<string, number>();
	for (const p of plan.parcels) if (houseOf(p)) counts.set(houseOf(p)!, (counts.get(houseOf(p)!) ?? 0) + 1);
	// Not sheet 1, parcel 1: the other tests' parcel, so the answer shown is this one's.
	const parcel = plan.parcels.find((p) => p.wardCode === LAM_VIEN && houseOf(p) && counts.get(houseOf(p)!) === 1 && !(p.sheet === 1 && p.number === 1))!;
	return { parcel, fragment: unaccented(houseOf(parcel)!).toLowerCase() };
}
