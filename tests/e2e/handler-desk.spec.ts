import type { Locator, Page } from '@playwright/test';
import { expect, testWithMovableClock } from './fixtures';
import { deviceLogin, fileReportViaApi, makeReport, pullAll, pushDocs, pushEvent, staffLogin, type ApiSession } from './support/api';
import { cachedTenantKeys, loginHandler } from './support/resident';

/**
 * The handler's desk on a 1366 px screen: the list and the open report side by side; search and
 * filters (category, overdue, reopened, status) and sort on the device's copy — offline too; closed
 * reports out of the default view; the filters kept in the address across a reload.
 */

const HOUR = 3_600_000;

const { test, clock } = testWithMovableClock('desk');

test.use({ viewport: { width: 1366, height: 768 } });

const item = (page: Page, code: string): Locator => page.locator(`[data-testid=inbox-item][data-tracking-code="${code}"]`);
const shownCodes = async (page: Page) =>
	(await page.getByTestId('inbox-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-tracking-code')))).sort();

test('a leader works the desk at 1366 px: two panes, search and filters, offline on the local copy; closed reports hidden by default', async ({
	page,
	context,
	request
}) => {
	test.setTimeout(150_000);
	const stamp = Date.now();
	const resident: ApiSession = await deviceLogin(request);
	const ward = await staffLogin(request, 'ubnd-lam-vien');

	// Filed before the clock moves: it will be overdue.
	const late = await fileReportViaApi(request, { description: `Rác thải tràn ra đường Hai Bà Trưng ${stamp}` }, resident);
	// Resolved: closed, out of the default view.
	const done = await fileReportViaApi(request, { description: `Cống bị tắc trước chợ ${stamp}` }, resident);
	await pushEvent(request, ward, String(done.id), 'resolved', { note: 'Đã thông cống' });
	// Resolved, then the resident is not satisfied (after the clock moved, so its new due time is ahead).
	const again = await fileReportViaApi(request, { description: `Đổ xà bần bên hồ ${stamp}` }, resident);
	await pushEvent(request, ward, String(again.id), 'resolved', { note: 'Đã dọn' });

	clock.offset = 7 * HOUR;
	const leader = await staffLogin(request, 'lanhdao');
	await expect
		.poll(async () => (await pullAll(request, leader.token, 'reports')).find((r) => r.id === late.id)?.overdueAt, { timeout: 20_000 })
		.toBeTruthy();
	await pushEvent(request, resident, String(again.id), 'feedback', { satisfied: false, note: 'Vẫn còn xà bần' });
	// Another category, filed now: open, not overdue.
	const other = await fileReportViaApi(request, { categoryCode: 'public-service', description: `Hẹn trả hồ sơ nhiều lần ${stamp}` }, resident);
	await expect
		.poll(async () => (await pullAll(request, leader.token, 'reports')).find((r) => r.id === again.id)?.status, { timeout: 20_000 })
		.toBe('reopened');

	const [lateCode, doneCode, againCode, otherCode] = [late, done, again, other].map((r) => String(r.trackingCode));
	await loginHandler(page, 'lanhdao');

	// Closed reports are out of the default view; the open ones are all there.
	await expect(item(page, lateCode)).toBeVisible({ timeout: 20_000 });
	await expect.poll(() => shownCodes(page)).toEqual([lateCode, againCode, otherCode].sort());
	await expect(item(page, doneCode)).toHaveCount(0);
	// Reopened: highlighted. Closed ones never show a due time.
	await expect(item(page, againCode)).toHaveAttribute('data-reopened', 'true');
	await expect(item(page, lateCode)).toHaveAttribute('data-reopened', 'false');

	// Two panes: the list stays on the left while the report is open on the right, marked in the list.
	await item(page, lateCode).getByRole('button').click();
	const detail = page.getByTestId('report-detail');
	await expect(detail).toBeVisible();
	const list = page.getByTestId('inbox-list');
	await expect(list).toBeVisible();
	const [listBox, detailBox] = [await list.boundingBox(), await detail.boundingBox()];
	expect(detailBox!.x).toBeGreaterThanOrEqual(listBox!.x + listBox!.width);
	await expect(item(page, lateCode).getByRole('button')).toHaveAttribute('aria-current', 'true');
	await item(page, otherCode).getByRole('button').click();
	await expect(detail.getByTestId('detail-tracking-code')).toHaveText(otherCode);
	await expect(item(page, otherCode).getByRole('button')).toHaveAttribute('aria-current', 'true');
	await expect(item(page, lateCode).getByRole('button')).not.toHaveAttribute('aria-current', 'true');

	// Category, then overdue, then reopened.
	const category = page.getByLabel('Loại phản ánh');
	await category.selectOption('public-service');
	await expect.poll(() => shownCodes(page)).toEqual([otherCode]);
	await category.selectOption('');
	await page.getByLabel('Chỉ phản ánh quá hạn').check();
	await expect.poll(() => shownCodes(page)).toEqual([lateCode]);
	await page.getByLabel('Chỉ phản ánh quá hạn').uncheck();
	await page.getByLabel('Chỉ phản ánh bị mở lại').check();
	await expect.poll(() => shownCodes(page)).toEqual([againCode]);
	await page.getByLabel('Chỉ phản ánh bị mở lại').uncheck();

	// A tracking code typed in lower case.
	const search = page.getByRole('searchbox', { name: 'Tìm phản ánh' });
	await search.fill(lateCode.toLowerCase());
	await expect.poll(() => shownCodes(page)).toEqual([lateCode]);
	// The filter is in the address: a reload finds it.
	await expect(page).toHaveURL(/[?&]q=/);
	await page.reload();
	await expect(page.getByRole('searchbox', { name: 'Tìm phản ánh' })).toHaveValue(lateCode.toLowerCase());
	await expect.poll(() => shownCodes(page), { timeout: 20_000 }).toEqual([lateCode]);
	await page.getByRole('searchbox', { name: 'Tìm phản ánh' }).fill('');
	await expect.poll(() => shownCodes(page)).toEqual([lateCode, againCode, otherCode].sort());

	// Offline: the same filters on the device's copy.
	await context.setOffline(true);
	await expect(page.getByTestId('offline-banner')).toBeVisible();
	await page.getByLabel('Loại phản ánh').selectOption('environment');
	await expect.poll(() => shownCodes(page)).toEqual([lateCode, againCode].sort());
	await page.getByLabel('Chỉ phản ánh quá hạn').check();
	await expect.poll(() => shownCodes(page)).toEqual([lateCode]);
	await page.getByLabel('Chỉ phản ánh quá hạn').uncheck();
	await page.getByRole('searchbox', { name: 'Tìm phản ánh' }).fill('xa ban ho');
	await expect.poll(() => shownCodes(page)).toEqual([againCode]);
	await page.getByRole('searchbox', { name: 'Tìm phản ánh' }).fill('');
	// Closed reports: shown by the status filter, without a due time.
	await page.getByLabel('Trạng thái').selectOption('closed');
	await expect.poll(() => shownCodes(page)).toEqual([doneCode]);
	await expect(item(page, doneCode)).toHaveAttribute('data-status', 'resolved');
	await expect(item(page, doneCode).getByTestId('due-time')).toHaveCount(0);
	await page.getByLabel('Trạng thái').selectOption('all');
	await expect.poll(() => shownCodes(page)).toEqual([lateCode, doneCode, againCode].sort());
	// Due soonest: the overdue report first.
	await page.getByLabel('Sắp xếp').selectOption('due');
	await expect(page.getByTestId('inbox-item').first()).toHaveAttribute('data-tracking-code', lateCode);
	await expect(page.getByTestId('inbox-item').last()).toHaveAttribute('data-tracking-code', doneCode);
});

test('a desk of many reports draws the first twenty and the rest on request', async ({ page, request }) => {
	const resident = await deviceLogin(request);
	const reports = Array.from({ length: 45 }, (_, i) =>
		makeReport(resident.user.sub, { description: i === 36 ? 'Đèn đường hỏng gần cầu treo' : `Đèn đường hỏng số ${i + 1}` })
	);
	const answer = await pushDocs(request, resident.token, 'reports', reports);
	expect(answer.rejected).toEqual([]);

	await loginHandler(page, 'ubnd-lam-vien');
	await expect(page.getByTestId('desk-count')).toContainText('45');
	await expect(page.getByTestId('inbox-item')).toHaveCount(20);
	await page.getByTestId('inbox-more').click();
	await expect(page.getByTestId('inbox-item')).toHaveCount(40);
	await expect(page.getByTestId('inbox-more')).toContainText('5');
	await page.getByTestId('inbox-more').click();
	await expect(page.getByTestId('inbox-item')).toHaveCount(45);
	await expect(page.getByTestId('inbox-more')).toHaveCount(0);
	// A search narrows what is drawn: all of it fits, no button.
	await page.getByLabel('Tìm phản ánh').fill('cầu treo');
	await expect(page.getByTestId('inbox-item')).toHaveCount(1);
	await expect(page.getByTestId('inbox-more')).toHaveCount(0);
});

test("an official finds the one-stop office's counter, kiosk and board from the desk", async ({ page }) => {
	await loginHandler(page, 'ubnd-lam-vien');
	const places = page.getByTestId('staff-places');
	await places.getByText('Việc khác của bạn').click();
	await expect(places.getByRole('link', { name: 'Bảng gọi số: Bộ phận Một cửa phường Lâm Viên - Đà Lạt' })).toBeVisible({ timeout: 20_000 });
	await expect(places.getByRole('link', { name: 'Cài đặt máy lấy số' })).toHaveAttribute('href', '/kiosk');
	await expect(places.getByRole('link', { name: 'Hồ sơ nộp trực tuyến' })).toHaveAttribute('href', '/office-dossiers');
	await expect(places.getByRole('link')).toHaveCount(4);
	await places.getByTestId('staff-places-counter').click();
	await expect(page).toHaveURL(/\/counter$/);
});

test('a handler whose units run no one-stop office is offered none', async ({ page }) => {
	await loginHandler(page, 'ubnd-lang-biang');
	await expect(page.getByTestId('inbox-empty')).toBeVisible({ timeout: 20_000 });
	// The province's offices are on the device (its config cached) and the desk has had the time to read them.
	await expect.poll(() => cachedTenantKeys(page), { timeout: 20_000 }).toContain('config');
	await page.waitForTimeout(1_000);
	await expect(page.getByTestId('staff-places')).toHaveCount(0);
});
