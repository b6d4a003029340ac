import { expect, test } from './fixtures';
import { primeForOffline } from './support/resident';

/**
 * The province's procedures (issue 13): searched as the resident types — without accents, in any
 * order, with a typo or an abbreviation — and read in full; offline after one visit, the search
 * and the pages still answer from the catalogue kept on the device.
 */

const BUILDING_PERMIT = /giấy phép xây dựng/i;

test('a resident finds a procedure however they type it, reads it, and does the same offline', async ({ page, context }) => {
	test.setTimeout(120_000);
	await page.goto('/procedures');
	await expect(page.getByTestId('procedure-results').locator('details').first()).toBeVisible({ timeout: 20_000 });

	const query = page.getByTestId('procedure-query');
	const first = page.getByTestId('procedure-item').first();
	for (const typed of ['giay phep xay dung', 'xay dung giay phep', 'cap phep xd', 'giấy pheo xây dựng']) {
		await query.fill(typed);
		await expect(first, typed).toContainText(BUILDING_PERMIT);
	}
	// As it is typed, a letter at a time: the list follows each keystroke.
	await query.fill('');
	await query.pressSequentially('khai si', { delay: 30 });
	await expect(first).toContainText(/khai sinh/i);
	await query.fill('xyzw qqq');
	await expect(page.getByTestId('procedure-no-match')).toContainText('Không tìm thấy thủ tục nào cho “xyzw qqq”');

	await query.fill('giay phep xay dung');
	await first.click();
	const detail = page.getByTestId('procedure-detail');
	await expect(detail.getByRole('heading', { level: 1 })).toHaveText(BUILDING_PERMIT);
	await expect(detail.getByTestId('procedure-documents').locator('li').first()).toBeVisible();
	const url = page.url();

	// Offline, the app reopened: the catalogue comes from the device.
	await primeForOffline(page);
	await context.setOffline(true);
	await page.goto('/procedures');
	await expect(page.getByTestId('procedures-offline-copy')).toBeVisible({ timeout: 20_000 });
	await page.getByTestId('procedure-query').fill('dang ky ket hon');
	await expect(page.getByTestId('procedure-item').first()).toContainText(/kết hôn/i);
	await page.goto(url);
	await expect(page.getByTestId('procedure-detail').getByRole('heading', { level: 1 })).toHaveText(BUILDING_PERMIT);

	// A code the province does not have: said, not a blank page.
	await page.goto('/procedures/view?code=0.000000');
	await expect(page.getByTestId('procedure-missing')).toContainText('Không có thủ tục mã “0.000000”');
	await context.setOffline(false);
});
