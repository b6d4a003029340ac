import { readFileSync } from 'node:fs';
import type { APIRequestContext, Page } from '@playwright/test';
import { uuidv7 } from '$lib/domain/common';
import { expect, test } from './fixtures';
import { fileReportViaApi, pullAll, pushEvent, staffLogin, type ApiSession } from './support/api';
import { XUAN_HUONG_CODE, XUAN_HUONG_POINT, fileReport, outboxItem, photo, primeForOffline, wardAt } from './support/resident';

/**
 * Public transparency in the browser: a resident files a report with their name and phone, the
 * ward's handler and a leader act on it, and anyone can then follow its handling on /public — the
 * list, the map, the timeline, which units have seen it — without a trace of the reporter. Then the
 * same pages work with the network off, and the report form, offline, points to an open report of
 * the same category nearby that the resident can follow instead of filing twice.
 */

test.use({ permissions: ['geolocation'], geolocation: XUAN_HUONG_POINT });

const NAME = 'Đặng Thị Hồng Nhung';
const PHONE = '0987112233';
const NATIONAL = '987112233';

/** A result photo sent the way a handler's device sends it (tus: create, then one PATCH). */
async function uploadStepPhoto(request: APIRequestContext, s: ApiSession, ids: { mediaId: string; reportId: string; eventId: string }) {
	const bytes = readFileSync(photo('path.jpg'));
	const b64 = (v: string) => Buffer.from(v).toString('base64');
	const meta = Object.entries({ ...ids, filetype: 'image/jpeg' }).map(([k, v]) => `${k} ${b64(v)}`).join(',');
	const headers = { 'Tus-Resumable': '1.0.0', authorization: `Bearer ${s.token}` };
	const created = await request.post('/api/media/uploads', {
		headers: { ...headers, 'Upload-Length': String(bytes.length), 'Upload-Metadata': meta }
	});
	expect(created.status()).toBe(201);
	const sent = await request.patch(created.headers()['location'], {
		headers: { ...headers, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
		data: bytes
	});
	expect(sent.status()).toBe(204);
}

/** No format of the reporter's number, nor their name (with or without accents), in the page. */
async function expectNoReporterData(page: Page) {
	const texts = [await page.locator('body').innerText(), await page.content()];
	for (const text of texts) {
		const digits = text.replace(/(\d)[\s.\-()]+(?=\d)/g, '$1');
		expect(digits).not.toContain(NATIONAL);
		expect(text).not.toContain(NAME);
		expect(text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd')).not.toContain('Dang Thi Hong Nhung');
	}
}

const img = (page: Page, testId: string) => page.locator(`img[data-testid=${testId}]`).first();
const decoded = (page: Page, testId: string) => img(page, testId).evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth);

test('the public page shows a report’s handling and no personal data, online and offline; the form points to a nearby duplicate', async ({
	page,
	context,
	request
}) => {
	test.setTimeout(180_000);
	expect(wardAt(XUAN_HUONG_POINT)?.code).toBe(XUAN_HUONG_CODE);

	// A resident files a report with their name and phone.
	await primeForOffline(page);
	const description = `Ống nước vỡ trước chợ ${Date.now()}`;
	await fileReport(page, { category: 'Môi trường', description, photos: [photo('autumn.jpg')], name: NAME, phone: PHONE });
	const item = outboxItem(page, description);
	await expect(item).toHaveAttribute('data-state', 'delivered', { timeout: 45_000 });
	const trackingCode = (await item.getByTestId('tracking-code').textContent())?.trim() ?? '';
	expect(trackingCode).toMatch(/^LD-/);

	// The ward's handler sees it, a leader directs, the handler resolves it with a photo.
	const handler = await staffLogin(request, 'ubnd-xuan-huong');
	const leader = await staffLogin(request, 'lanhdao');
	const report = (await pullAll(request, handler.token, 'reports')).find((d) => d.description === description)!;
	expect(report).toBeTruthy();
	await pushEvent(request, handler, report.id, 'seen');
	await pushEvent(request, handler, report.id, 'accepted');
	await pushEvent(request, leader, report.id, 'directive', { note: 'Phối hợp công ty cấp nước xử lý ngay', publicNote: 'Phối hợp công ty cấp nước xử lý ngay' });
	const mediaId = uuidv7();
	const resolved = await pushEvent(request, handler, report.id, 'resolved', {
		note: 'Đã thay đoạn ống vỡ',
		publicNote: 'Đã thay đoạn ống vỡ',
		photoIds: [mediaId]
	});
	await uploadStepPhoto(request, handler, { mediaId, reportId: report.id, eventId: resolved.id });

	// The public page: pick the ward, the report is listed and on the map.
	await page.goto('/');
	await page.getByTestId('home-public').click();
	await expect(page).toHaveURL(/\/public$/);
	await page.getByTestId('ward-search').fill('xuan huong');
	await page.getByRole('option', { name: /Xuân Hương/ }).first().click();
	await expect(page.getByTestId('public-ward')).toContainText('Xuân Hương');
	const row = page.locator(`[data-testid=public-item][data-tracking-code="${trackingCode}"]`);
	await expect(row).toBeVisible({ timeout: 20_000 });
	await expect(row.getByTestId('status-badge')).toHaveAttribute('data-status', 'resolved', { timeout: 20_000 });
	// On the map: its own marker, or counted in a cluster with reports nearby.
	await expect(page.locator(`[data-testid=map-marker][data-id="${report.id}"], [data-testid=map-cluster][data-ids~="${report.id}"]`)).toHaveCount(1, { timeout: 20_000 });
	await expect(page.getByTestId('public-as-of')).toContainText('Dữ liệu cập nhật lúc');
	await expectNoReporterData(page);

	// The detail: timeline with the directive and the result photo, and which unit has seen it.
	await row.click();
	const detail = page.getByTestId('public-detail');
	await expect(detail).toBeVisible();
	await expect(detail.getByTestId('public-tracking-code')).toContainText(trackingCode);
	await expect(detail.getByTestId('public-description')).toHaveText(description);
	await expect(detail.locator('[data-testid=timeline-event][data-type=received]')).toHaveCount(1);
	await expect(detail.locator('[data-testid=timeline-event][data-type=directive]')).toContainText('Phối hợp công ty cấp nước xử lý ngay');
	await expect(detail.locator('[data-testid=timeline-event][data-type=resolved]')).toContainText('Đã thay đoạn ống vỡ');
	await expect(detail.locator('[data-testid=unit-status][data-unit=ubnd-xuan-huong]')).toHaveAttribute('data-seen', 'true');
	await expect(detail.locator('[data-testid=unit-status][data-unit=natural-resources-environment]')).toHaveAttribute('data-seen', 'false');
	await expect.poll(() => decoded(page, 'public-photo'), { timeout: 20_000 }).toBeGreaterThan(0);
	await expect.poll(() => decoded(page, 'public-event-photo'), { timeout: 20_000 }).toBeGreaterThan(0);
	await expectNoReporterData(page);
	const detailUrl = page.url();

	// Another resident files an open report of another category nearby, and the area is refreshed.
	const openDescription = `Lấn chiếm vỉa hè bán hàng ${Date.now()}`;
	const openReport = await fileReportViaApi(request, {
		categoryCode: 'urban-order',
		description: openDescription,
		location: { source: 'gps', lat: XUAN_HUONG_POINT.latitude + 0.001, lng: XUAN_HUONG_POINT.longitude, accuracyM: 10 },
		wardCode: XUAN_HUONG_CODE,
		// urban-order asks for a photo (photosRequired): named now, still on its way, as from a phone.
		photoIds: [uuidv7()]
	});
	await page.goto('/public');
	await expect(page.getByTestId('public-ward')).toContainText('Xuân Hương');
	await expect(page.locator(`[data-testid=public-item][data-id="${openReport.id}"]`)).toBeVisible({ timeout: 20_000 });

	// Offline: the list and the detail still show, from the device's copy.
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('public-ward')).toContainText('Xuân Hương');
	await expect(row).toBeVisible();
	await expect(page.getByTestId('public-as-of')).toContainText('ngoại tuyến');
	await page.goto(detailUrl);
	await expect(detail).toBeVisible();
	await expect(detail.locator('[data-testid=timeline-event][data-type=resolved]')).toContainText('Đã thay đoạn ống vỡ');
	await expect(detail.locator('[data-testid=unit-status][data-unit=ubnd-xuan-huong]')).toHaveAttribute('data-seen', 'true');
	await expect(detail.getByTestId('public-as-of')).toContainText('ngoại tuyến');
	// Thumbnails come from the service worker's cache.
	await expect.poll(() => decoded(page, 'public-event-photo'), { timeout: 10_000 }).toBeGreaterThan(0);
	await expectNoReporterData(page);

	// Still offline, the form: the same category and place bring up the open report nearby.
	await page.goto('/report');
	await expect(page.getByTestId('report-form')).toBeVisible();
	await page.getByLabel('Mô tả').fill('Hàng rong chiếm hết vỉa hè');
	await page.getByRole('radio', { name: 'Trật tự đô thị', exact: true }).check();
	await page.getByRole('button', { name: 'Dùng vị trí của tôi' }).click();
	await expect(page.getByTestId('detected-ward')).toContainText('Xuân Hương');
	const duplicates = page.getByTestId('duplicates');
	await expect(duplicates).toBeVisible();
	const dup = duplicates.locator(`[data-testid=duplicate][data-id="${openReport.id}"]`);
	await expect(dup).toContainText(openDescription);
	// The resolved report (another category, and closed) is not offered.
	await expect(duplicates.locator(`[data-id="${report.id}"]`)).toHaveCount(0);
	await dup.getByTestId('follow-instead').click();
	await expect(page.getByTestId('followed-note')).toBeVisible();
	await expect(dup.getByTestId('duplicate-following')).toBeVisible();
	// Nothing typed is lost: the draft is as it was, and can still be sent.
	await expect(page.getByLabel('Mô tả')).toHaveValue('Hàng rong chiếm hết vỉa hè');
	await expect(page.getByRole('radio', { name: 'Trật tự đô thị', exact: true })).toBeChecked();
	await expect(page.getByRole('button', { name: 'Gửi', exact: true })).toBeEnabled();
});

test('reports filed close together show as one cluster with their count, and zooming in splits it', async ({ page, request }) => {
	test.setTimeout(120_000);
	// Three reports ≈ 130 m apart along a street in Xuân Hương: one cluster over the ward, apart up close.
	const filed = [];
	for (const dLng of [0, 0.0012, 0.0024])
		filed.push(
			await fileReportViaApi(request, {
				description: `Rác thải bên đường ${dLng} ${Date.now()}`,
				location: { source: 'gps', lat: XUAN_HUONG_POINT.latitude - 0.0005, lng: XUAN_HUONG_POINT.longitude + dLng, accuracyM: 8 },
				wardCode: XUAN_HUONG_CODE
			})
		);
	const ids = filed.map((d) => d.id);
	const withAll = (testId: string) => page.locator(`[data-testid=${testId}]${ids.map((id) => `[data-ids~="${id}"]`).join('')}`);

	await page.goto('/public');
	await page.getByTestId('ward-search').fill('xuan huong');
	await page.getByRole('option', { name: /Xuân Hương/ }).first().click();
	await expect(page.locator(`[data-testid=public-item][data-id="${ids[2]}"]`)).toBeVisible({ timeout: 20_000 });

	// The ward's whole view: one cluster holds all three and says how many it holds.
	const cluster = withAll('map-cluster');
	await expect(cluster).toHaveCount(1, { timeout: 20_000 });
	const count = Number(await cluster.getAttribute('data-count'));
	expect(count).toBeGreaterThanOrEqual(3);
	await expect(cluster).toHaveText(String(count));
	await expect(cluster).toHaveAccessibleName(`${count} phản ánh ở gần nhau: chạm để phóng to`);
	// The ward outline is drawn on the map, tiles or not.
	await expect(page.locator('[data-testid=reports-map] path.leaflet-interactive, [data-testid=reports-map] svg path')).not.toHaveCount(0);

	// A tap zooms in until the three stand apart, each a link to its public page.
	const zoomOf = async () => Number(await page.getByTestId('reports-map').getAttribute('data-zoom'));
	const startZoom = await zoomOf();
	await cluster.click();
	await expect.poll(zoomOf).toBeGreaterThan(startZoom);
	// Split: what holds the first report now holds fewer (the other reports nearby went their way).
	const holding = page.locator(`[data-testid=map-cluster][data-ids~="${ids[0]}"]`);
	await expect.poll(async () => ((await holding.count()) ? Number(await holding.getAttribute('data-count')) : 1)).toBeLessThan(count);
	const anyHeld = page.locator(ids.map((id) => `[data-testid=map-cluster][data-ids~="${id}"]`).join(', '));
	for (let i = 0; i < 6 && (await anyHeld.count()) > 0; i++) {
		const z = await zoomOf();
		await anyHeld.first().click();
		await expect.poll(zoomOf).toBeGreaterThan(z);
	}
	await expect(withAll('map-cluster')).toHaveCount(0);
	for (const id of ids) await expect(page.locator(`[data-testid=map-marker][data-id="${id}"]`)).toHaveCount(1);
	await page.locator(`[data-testid=map-marker][data-id="${ids[1]}"]`).click();
	await expect(page.getByTestId('public-detail')).toBeVisible();
	await expect(page.getByTestId('public-description')).toContainText('Rác thải bên đường 0.0012');
});
