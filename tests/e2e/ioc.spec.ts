import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { fileReportViaApi } from './support/api';
import { DEMO_PASSWORD, waitForServiceWorker } from './support/resident';

/**
 * The operations centre (/ioc, issue 15): a leader signs in on the page itself and sees the week's
 * figures; a resident's phone files a report meanwhile and the received count moves without a
 * reload; a table exported as CSV opens in Excel with Vietnamese intact (a BOM, then UTF-8); with no
 * network, a reload shows the figures saved on the device, with their time; and axe finds nothing
 * serious on the page.
 */

/** The demo tenant's name of the category makeReport files under ("environment"). */
const CATEGORY_VI = 'Môi trường';

test('a leader follows the figures live, exports a table, reads them offline', async ({ page, context, request }) => {
	test.setTimeout(120_000);
	// One report before the page opens, so the tables have a row to show.
	await fileReportViaApi(request, { description: `Rác thải ven hồ ${Date.now()}` });

	await page.goto('/ioc');
	await expect(page.getByTestId('ioc-sign-in-needed')).toBeVisible();
	await page.getByLabel('Tên đăng nhập').fill('lanhdao');
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();

	const received = page.getByTestId('ioc-received');
	await expect(received).toHaveText(/^\d+$/, { timeout: 20_000 });
	await expect.poll(async () => Number(await received.textContent()), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
	await expect(page.getByTestId('ioc-table-categories')).toContainText(CATEGORY_VI);
	await expect(page.getByTestId('ioc-updated')).toContainText(/Cập nhật lúc \d{2}:\d{2}:\d{2}/);
	const before = Number(await received.textContent());

	// A mark on the window: a reload would lose it.
	await page.evaluate(() => ((window as unknown as { iocMark: number }).iocMark = 1));
	await fileReportViaApi(request, { description: `Cống bị tắc ${Date.now()}` });
	await expect(received).toHaveText(String(before + 1), { timeout: 10_000 });
	expect(await page.evaluate(() => (window as unknown as { iocMark?: number }).iocMark)).toBe(1);

	// The week day by day: a chart (drawn once it is about to be seen) and its table of 7 days.
	const trend = page.getByTestId('ioc-trend');
	await trend.scrollIntoViewIfNeeded();
	await expect(trend.locator('[data-state]')).toHaveAttribute('data-state', 'drawn', { timeout: 20_000 });
	await expect(trend.locator('canvas').first()).toBeVisible();
	await trend.getByText('Bảng số liệu của biểu đồ').first().click();
	await expect(trend.getByTestId('ioc-trend-table').locator('tbody tr')).toHaveCount(7);

	// The CSV: a BOM first (Excel reads UTF-8 then), the category's Vietnamese name intact.
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ioc-export-categories').click()]);
	expect(download.suggestedFilename()).toMatch(/^ioc-categories-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
	const bytes = await readFile((await download.path())!);
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	expect(bytes.toString('utf8')).toContain(CATEGORY_VI);
	// Every report of the period, one row each, nothing personal.
	const [all] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ioc-export-reports').click()]);
	expect(all.suggestedFilename()).toMatch(/^ioc-reports-/);
	const rows = (await readFile((await all.path())!)).toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
	expect(rows[0]).toMatch(/^Mã phản ánh \/ Report id,/);
	expect(rows.length - 1).toBeGreaterThanOrEqual(before + 1);
	expect(rows.join('\n')).not.toContain('Cống bị tắc');

	// With no network, a reload shows the figures this device saved, and says when they were saved.
	await waitForServiceWorker(page);
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('ioc-saved')).toContainText(/Đang xem số liệu đã lưu lúc \d{2}:\d{2}:\d{2}/, { timeout: 20_000 });
	await expect(received).toHaveText(String(before + 1));
	await context.setOffline(false);

	// Back online: fresh figures again, and nothing serious for a screen reader or a keyboard.
	await expect(page.getByTestId('ioc-updated')).toBeVisible({ timeout: 20_000 });
	const { violations } = await new AxeBuilder({ page }).analyze();
	expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('a custom period that ends before it starts is explained before anything is asked', async ({ page }) => {
	await page.goto('/ioc?period=custom&from=2020-03-10&to=2020-03-01');
	await page.getByLabel('Tên đăng nhập').fill('lanhdao');
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByTestId('ioc-period-problem')).toHaveText('Ngày kết thúc phải từ ngày bắt đầu trở đi.');
	await expect(page.getByTestId('ioc-received')).toHaveCount(0);
	// A good period then shows the figures, and the address keeps it.
	await page.getByTestId('ioc-period-month').check();
	await expect(page.getByTestId('ioc-received')).toBeVisible({ timeout: 20_000 });
	await expect(page).toHaveURL(/period=month/);
});
