import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { alwaysOpenTenantDir } from '../support/office-tenant';
import { expect, test } from './fixtures';
import { deviceLogin, fileReportViaApi, json } from './support/api';
import { DEMO_PASSWORD, waitForServiceWorker } from './support/resident';

/**
 * The operations centre beyond the field reports (/ioc, issue 15): the one-stop office's queue
 * tickets and the dossiers have their sections; five reports of one category in one commune today
 * raise a spike warning that appears without a reload and is acknowledged; the map shades the
 * communes; a unit's official is not offered "all units"; axe finds nothing serious.
 *
 * The office is open round the clock in this file's province (tests/support/office-tenant.ts), so a
 * number can be taken whenever the tests run; the server checks for warnings every second
 * (IOC_WARNINGS_MS, read when the file's server starts) instead of every minute.
 *
 * A leader reads on the overdue list which units have not seen or acted on a report, and gives a
 * directive from it in one click; the map marks the overdue report.
 */

const OFFICE = 'lam-vien';
const TENANT_DIR = alwaysOpenTenantDir(OFFICE, 'caunoi-e2e-ioc-centre-tenant');
// One category is due 9 seconds after receipt here, so a report of it goes overdue while a test waits.
const FAST_CATEGORY = 'market-prices';
{
	const file = path.join(TENANT_DIR, 'tenant.json');
	const t = JSON.parse(readFileSync(file, 'utf8'));
	t.sla.byCategory[FAST_CATEGORY] = { onSite: 0.002, report: 0.0025, hours: 'clock' };
	writeFileSync(file, JSON.stringify(t));
}
test.use({ tenantDir: TENANT_DIR });

// Set as the module loads: the file's server is started before a beforeAll hook would run.
// Put back when the file is done, so the next file's server checks at its usual pace.
// The overdue job passes every second too.
const saved = { IOC_WARNINGS_MS: process.env.IOC_WARNINGS_MS, OVERDUE_CHECK_MS: process.env.OVERDUE_CHECK_MS };
process.env.IOC_WARNINGS_MS = '1000';
process.env.OVERDUE_CHECK_MS = '1000';
test.afterAll(() => {
	for (const [name, value] of Object.entries(saved)) {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	}
	rmSync(TENANT_DIR, { recursive: true, force: true });
});

async function signIn(page: Page, username: string) {
	await page.goto('/ioc');
	await page.getByLabel('Tên đăng nhập').fill(username);
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

test('the centre’s operator sees the office and dossiers, acknowledges a spike, and reads the map', async ({ page, request }) => {
	test.setTimeout(120_000);
	// A resident takes a number on their phone before the page opens.
	const resident = await deviceLogin(request);
	await json(
		await request.post('/api/office/tickets', {
			headers: { authorization: `Bearer ${resident.token}` },
			data: { ticketId: crypto.randomUUID(), officeId: OFFICE, serviceId: 'dang-ky-khai-sinh' }
		})
	);

	await signIn(page, 'dieuhanh');
	const office = page.getByTestId('ioc-office');
	await expect(office.getByTestId('ioc-office-taken')).toHaveText('1', { timeout: 20_000 });
	await expect(office.getByTestId('ioc-office-card-taken')).toContainText('1 trên điện thoại · 0 tại bộ phận');
	await expect(office.getByTestId('ioc-office-waiting')).toHaveText('1');
	await expect(office.getByTestId('ioc-table-offices')).toContainText('Bộ phận Một cửa phường Lâm Viên');
	const dossiers = page.getByTestId('ioc-dossiers');
	await expect(dossiers.getByRole('heading', { name: 'Hồ sơ thủ tục hành chính' })).toBeVisible();
	await expect(dossiers.getByTestId('ioc-dossiers-received')).toHaveText(/^\d+$/);
	await expect(page.getByTestId('ioc-warnings-none')).toHaveText('Không có cảnh báo nào đang mở.');

	// A category filter does not reach the tickets and dossiers: the page says so beside them.
	await page.getByTestId('ioc-category').selectOption('environment');
	await expect(page.getByTestId('ioc-office-category-note')).toBeVisible();
	await expect(page.getByTestId('ioc-dossiers-category-note')).toBeVisible();
	await page.getByTestId('ioc-category').selectOption('');

	// Five reports of one category in one commune today: the server raises a spike, the page shows it unasked.
	for (let i = 0; i < 5; i++) await fileReportViaApi(request, { description: `Rác đổ trộm bên đường số ${i} ${Date.now()}` });
	const spike = page.locator('[data-testid=ioc-warning][data-type=spike]');
	await expect(spike).toBeVisible({ timeout: 20_000 });
	await expect(spike).toContainText(/Môi trường ở .+: hôm nay 5 phản ánh/);
	await expect(page.getByTestId('ioc-warnings-announce')).toHaveText('Có 1 cảnh báo mới.');

	// "Đã nắm": it leaves the open list; shown again with the acknowledged ones, with its time.
	await spike.getByTestId('ioc-warning-ack').click();
	await expect(spike).toHaveCount(0);
	await page.getByTestId('ioc-warnings-show-acked').check();
	await expect(spike).toContainText(/Đã nắm lúc \d{2}:\d{2}:\d{2}/);
	await expect(spike.getByTestId('ioc-warning-ack')).toHaveCount(0);

	// The map, scrolled to: every commune outlined and shaded, with its legend.
	await page.getByTestId('ioc-map').scrollIntoViewIfNeeded();
	await expect(page.getByTestId('map-view')).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
	await expect.poll(() => page.locator('path.ioc-commune').count(), { timeout: 20_000 }).toBeGreaterThan(100);
	await expect(page.getByTestId('ioc-map-legend')).toContainText('Số phản ánh tiếp nhận');

	const { violations } = await new AxeBuilder({ page }).analyze();
	expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('a unit head sees their own unit, with no “all units” to pick; an official who heads no unit is told the page is not theirs', async ({ page }) => {
	await signIn(page, 'ubnd-xuan-huong');
	await expect(page.getByTestId('staff-login')).toContainText('Tài khoản của bạn không xem được trung tâm điều hành', { timeout: 20_000 });
	await expect(page.getByTestId('ioc-received')).toHaveCount(0);

	await page.getByLabel('Tên đăng nhập').fill('ubnd-lam-vien');
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByTestId('ioc-received')).toBeVisible({ timeout: 20_000 });
	const unit = page.getByTestId('ioc-unit');
	await expect(unit).toHaveValue('ubnd-lam-vien');
	await expect(unit.locator('option')).toHaveText([/Lâm Viên/]);
	await expect(page).toHaveURL(/unit=ubnd-lam-vien/);
});

test('a warning pushed to a staff device shows a notification that opens /ioc; a refused permission is said in words', async ({ page, context }) => {
	await signIn(page, 'lanhdao');
	await expect(page.getByTestId('ioc-received')).toBeVisible({ timeout: 20_000 });
	// This browser has not been allowed notifications: the button says what to do instead of spinning.
	await page.getByTestId('ioc-push').click();
	await expect(page.getByTestId('ioc-push-problem')).toHaveText(/Trình duyệt đã chặn thông báo của trang này/, { timeout: 10_000 });

	await context.grantPermissions(['notifications']);
	await waitForServiceWorker(page);
	// Delivered as the browser's push service would (Chromium DevTools protocol).
	const cdp = await context.newCDPSession(page);
	const registration = new Promise<string>((resolve) =>
		cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
			const live = registrations.find((r) => !r.isDeleted && r.scopeURL.startsWith(new URL(page.url()).origin));
			if (live) resolve(live.registrationId);
		})
	);
	await cdp.send('ServiceWorker.enable');
	const payload = { kind: 'ioc-warning', id: 'queue|lam-vien|2026-12-05', type: 'queue_wait', value: 72, at: new Date().toISOString() };
	await cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(page.url()).origin, registrationId: await registration, data: JSON.stringify(payload) });
	const shown = () =>
		page.evaluate(async () => {
			const reg = await navigator.serviceWorker.ready;
			return (await reg.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: (n.data as { url: string }).url }));
		});
	await expect
		.poll(shown, { timeout: 10_000 })
		.toEqual([{ title: 'Cảnh báo — trung tâm điều hành', body: 'Một hàng chờ ở bộ phận một cửa đã chờ 72 phút.', tag: `ioc-warning-${payload.id}`, url: '/ioc' }]);
});

test('a leader sees who has not acted on an overdue report, marked on the map, and gives a directive from the list in one click', async ({ page, request }) => {
	test.setTimeout(120_000);
	const report = await fileReportViaApi(request, { categoryCode: FAST_CATEGORY, description: `Bán giá cao hơn niêm yết ${Date.now()}` });
	await signIn(page, 'lanhdao');
	const row = page.getByTestId('ioc-table-overdue').getByRole('row').filter({ hasText: String(report.trackingCode) });
	// Due 9 s after receipt; the overdue job flags it and the page hears of it without a reload.
	await expect(row).toBeVisible({ timeout: 40_000 });
	const units = (report.assignedUnitIds as string[]).length;
	expect(units).toBeGreaterThan(0);
	// Nobody has opened it, nobody has acted: the same units in both columns, and "no answer yet".
	const cells = row.getByRole('cell');
	await expect(cells.nth(3)).not.toHaveText('Đã xem cả');
	await expect(cells.nth(4)).toHaveText(/\(chưa có trả lời\)$/);
	expect((await cells.nth(4).textContent())!.replace(/ \(.*\)$/, '')).toBe(await cells.nth(3).textContent());

	// The map marks it in red, with its code and how late it is.
	await page.getByTestId('ioc-map').scrollIntoViewIfNeeded();
	await expect(page.getByTestId('map-view')).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
	await expect(page.locator('path.ioc-overdue-dot')).toHaveCount(1, { timeout: 20_000 });
	await page.locator('path.ioc-overdue-dot').click({ force: true });
	await expect(page.locator('.leaflet-popup')).toContainText(String(report.trackingCode));

	// One click: the leader's desk opens on the report with the directive's form, ready to type in.
	await row.getByTestId('ioc-directive').click();
	await expect(page).toHaveURL(/\/handler\?report=.+&step=directive/);
	const form = page.getByTestId('step-form');
	await expect(form).toHaveAttribute('data-action', 'directive', { timeout: 30_000 });
	await expect(form.getByTestId('step-note')).toBeFocused();
	await page.keyboard.type('Đề nghị Phòng Kinh tế kiểm tra ngay trong ngày');
	await form.getByTestId('step-send').click();
	await expect(page.locator('[data-testid=timeline-event][data-type=directive]')).toContainText('kiểm tra ngay trong ngày', { timeout: 20_000 });
});
