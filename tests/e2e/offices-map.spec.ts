import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { TenantConfig } from '../../src/lib/domain/tenant';
import { directionsUrl } from '../../src/lib/map/directions';
import { LAM_VIEN_POINT } from '../support/documents';
import { expect, test } from './fixtures';
import { fileReportViaApi } from './support/api';
import { DEMO_PASSWORD, primeForOffline } from './support/resident';

/**
 * Văn phòng một cửa (/offices): the province's offices on a map and in a list; a tap on a dot
 * selects its office; with no network, a reload still shows every office with its hours and its dot
 * (the app precached, the tenant config on the device), and the queue line says it needs the
 * network. And the handler's report detail: the report's place on a small map, with a directions
 * link to it. The base map is the demo tenant's own tiles: no request leaves this machine.
 */

const tenant = JSON.parse(readFileSync(path.resolve('data/tenants/lam-dong/tenant.json'), 'utf8')) as TenantConfig;
const offices = tenant.office!.offices;
const card = (page: Page, id: string) => page.locator(`[data-testid=office-card][data-office="${id}"]`);
const dot = (page: Page, id: string) => page.getByTestId('offices-map').locator(`[data-office="${id}"]`);

test('the offices are listed and on the map; a dot selects its office; offline they all still show', async ({ page, context, request }) => {
	test.setTimeout(120_000);
	await primeForOffline(page);
	await page.getByTestId('home-offices').click();
	await expect(page.getByRole('heading', { level: 1, name: 'Văn phòng một cửa' })).toBeVisible();

	await expect(page.getByTestId('office-card')).toHaveCount(offices.length, { timeout: 20_000 });
	for (const o of offices) {
		await expect(card(page, o.id).getByRole('heading', { name: o.nameVi })).toBeVisible();
		await expect(card(page, o.id)).toContainText(o.addressVi);
		await expect(card(page, o.id).getByTestId('office-today')).toContainText('Hôm nay');
		await expect(card(page, o.id).getByTestId('office-ticket')).toHaveAttribute('href', new RegExp(`/ticket\\?office=${o.id}$`));
		await expect(card(page, o.id).getByTestId('office-directions')).toHaveAttribute('href', directionsUrl(o.location!)!);
		await expect(card(page, o.id).getByTestId('office-directions')).toHaveAttribute('target', '_blank');
		await expect(card(page, o.id).getByTestId('office-directions')).toHaveAttribute('rel', /noopener/);
	}
	// The committee each office belongs to, by name; the week's hours of an office with its own week.
	await expect(card(page, 'lam-vien')).toContainText('Trực thuộc: UBND phường Lâm Viên');
	await card(page, 'lam-vien').getByText('Giờ làm việc trong tuần').click();
	await expect(card(page, 'lam-vien').getByTestId('office-week')).toContainText('Thứ Bảy: 07:30–11:30');

	// The live queue: what the office's public board says now.
	const board = (await (await request.get('/api/office/offices/xuan-huong/board')).json()) as { waiting: { count: number }[] };
	const waiting = board.waiting.reduce((n, w) => n + w.count, 0);
	const queue = card(page, 'xuan-huong').getByTestId('office-queue');
	await expect(queue).toHaveAttribute('data-kind', 'live', { timeout: 20_000 });
	await expect(queue).toHaveText(waiting ? `Đang có ${waiting} người chờ.` : 'Hiện không có ai đang chờ.');

	// The map is below the list, loaded when it comes into view: one dot per office; tapping one selects its card.
	await page.getByTestId('offices-to-map').click();
	await expect(page.getByTestId('map-view')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
	for (const o of offices) await expect(dot(page, o.id)).toHaveCount(1);
	await expect(card(page, 'xuan-huong')).toHaveAttribute('data-selected', 'false');
	await dot(page, 'xuan-huong').click();
	await expect(card(page, 'xuan-huong')).toHaveAttribute('data-selected', 'true');
	await expect(card(page, 'xuan-huong')).toBeFocused();
	await expect(dot(page, 'xuan-huong')).toHaveAttribute('data-selected', 'true');
	await expect(card(page, 'lam-vien')).toHaveAttribute('data-selected', 'false');
	// "Xem trên bản đồ" on another card selects it and pans the map to it.
	await card(page, 'cam-ly').getByTestId('office-show').click();
	await expect(card(page, 'cam-ly')).toHaveAttribute('data-selected', 'true');
	const camLy = offices.find((o) => o.id === 'cam-ly')!.location!;
	const offCentre = async () => {
		const [lat, lng] = ((await page.getByTestId('map-view').getAttribute('data-view')) ?? '').split(',').map(Number);
		return Math.max(Math.abs(lat - camLy.lat), Math.abs(lng - camLy.lng));
	};
	await expect.poll(offCentre, { message: 'the map is centred on Cam Ly' }).toBeLessThan(0.002);

	// No network, on National Day: the offices from the last sync, closed for the holiday, and their dots.
	await context.setOffline(true);
	await page.clock.setFixedTime(new Date('2026-09-02T09:00:00+07:00'));
	await page.reload();
	await expect(page.getByTestId('office-card')).toHaveCount(offices.length, { timeout: 20_000 });
	for (const o of offices) {
		await expect(card(page, o.id).getByTestId('office-today')).toHaveText('Hôm nay nghỉ lễ (Quốc khánh 2/9).');
		const line = card(page, o.id).getByTestId('office-queue');
		await expect(line).toHaveAttribute('data-kind', 'offline');
		await expect(line).toContainText('Cần có mạng để xem số người đang chờ.');
	}
	// The figure seen online is said with its time, never as current.
	await expect(card(page, 'xuan-huong').getByTestId('office-queue')).toContainText(`người chờ`);
	await expect(card(page, 'xuan-huong').getByTestId('office-queue')).toContainText('Lần cuối xem được lúc');
	await page.getByTestId('offices-map').scrollIntoViewIfNeeded();
	await expect(page.getByTestId('map-view')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
	for (const o of offices) await expect(dot(page, o.id)).toHaveCount(1);
	await dot(page, 'lam-vien').click();
	await expect(card(page, 'lam-vien')).toHaveAttribute('data-selected', 'true');

	// "Lấy số tại văn phòng này": the ticket page opens with that office chosen.
	await card(page, 'lam-vien').getByTestId('office-ticket').click();
	await expect(page.getByTestId('ticket-form')).toBeVisible({ timeout: 20_000 });
	await expect(page.getByRole('radio', { name: /Bộ phận Một cửa phường Lâm Viên/ })).toBeChecked();
	await expect(page.getByRole('radio', { name: /Bộ phận Một cửa phường Xuân Hương/ })).not.toBeChecked();
});

test("the handler's report detail shows the report's place on a map, with a directions link to it", async ({ page, request }) => {
	test.setTimeout(90_000);
	await page.setViewportSize({ width: 1366, height: 900 });
	const report = await fileReportViaApi(request, { description: `Cây đổ chắn lối đi ${Date.now()}` });
	const code = String(report.trackingCode);

	await page.goto('/handler');
	await page.getByLabel('Tên đăng nhập').fill('ubnd-lam-vien');
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	const item = page.locator(`[data-testid=inbox-item][data-tracking-code="${code}"]`);
	await expect(item).toBeVisible({ timeout: 20_000 });
	await item.getByRole('button').click();

	const detail = page.getByTestId('report-detail');
	await expect(detail.getByTestId('detail-coordinates')).toContainText(`${LAM_VIEN_POINT.lat.toFixed(5)}, ${LAM_VIEN_POINT.lng.toFixed(5)}`);
	const link = detail.getByTestId('detail-directions');
	await expect(link).toHaveAttribute('href', directionsUrl(LAM_VIEN_POINT)!);
	await expect(link).toHaveAttribute('href', new RegExp(`destination=${LAM_VIEN_POINT.lat},${LAM_VIEN_POINT.lng}$`));
	await expect(link).toHaveAttribute('target', '_blank');
	await expect(link).toHaveAttribute('rel', /noopener/);

	const map = detail.getByTestId('detail-map').getByTestId('map-view');
	await expect(map).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
	await expect(detail.getByTestId('detail-map').locator('.map-pin')).toBeVisible();
	const [lat, lng] = (await map.getAttribute('data-view'))!.split(',').map(Number);
	expect(Math.abs(lat - LAM_VIEN_POINT.lat)).toBeLessThan(1e-4);
	expect(Math.abs(lng - LAM_VIEN_POINT.lng)).toBeLessThan(1e-4);
});
