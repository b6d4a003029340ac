import { expect, test } from './fixtures';

/**
 * The resident pages are prerendered (issue 11): on a weak link their HTML paints before the app's
 * JavaScript has arrived. What a person sees in that moment must already be the page, and nothing
 * there may take input the app would then lose.
 */

test.describe('before the app has started (no JavaScript yet)', () => {
	test.use({ javaScriptEnabled: false });

	test('the home page shows its heading and every way on', async ({ page }) => {
		await page.goto('/');
		await expect(page.getByRole('heading', { level: 1, name: 'Phản ánh hiện trường tới chính quyền địa phương' })).toBeVisible();
		for (const id of ['home-report', 'home-outbox', 'home-my', 'home-account', 'home-public', 'home-offices']) await expect(page.getByTestId(id)).toBeVisible();
	});

	test('the report form shows its photo buttons and category area, disabled until it can keep what is given', async ({ page }) => {
		await page.goto('/report');
		await expect(page.getByRole('heading', { level: 1, name: 'Gửi phản ánh' })).toBeVisible();
		await expect(page.getByTestId('photo-camera')).toBeDisabled();
		await expect(page.getByTestId('photo-gallery')).toBeDisabled();
		await expect(page.getByTestId('category-waiting')).toBeVisible();
		// Not offered as usable yet: the description, the contact and "Gửi" come with the app.
		await expect(page.getByTestId('report-form')).toHaveCount(0);
		await expect(page.getByTestId('submit-report')).toHaveCount(0);
	});

	test("the office board paints its frame for any office, and never the time the page was built", async ({ page }) => {
		await page.goto('/board?office=lam-vien');
		await expect(page.getByRole('heading', { level: 1, name: 'Bảng gọi số' })).toBeVisible();
		await expect(page.getByText('Đang kết nối…')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Bấm để bật âm thanh' })).toBeVisible();
		// The clock's place is held, but no time shows until the app reads the device's clock.
		await expect(page.getByText(/\d\d:\d\d/).filter({ visible: true })).toHaveCount(0);
	});

	test('the offices page paints its heading, and its list comes with the app', async ({ page }) => {
		await page.goto('/offices');
		await expect(page.getByRole('heading', { level: 1, name: 'Văn phòng một cửa' })).toBeVisible();
		await expect(page.getByText('Đang tải danh sách văn phòng…')).toBeVisible();
	});

	test('a page that reads its address (a report by its link) is the app shell, not a prerendered page', async ({ page }) => {
		await page.goto('/public/report?id=0190a0b0-0000-7000-8000-000000000000');
		await expect(page.locator('h1')).toHaveCount(0);
	});
});

test('once the app has started, the same form takes photos and categories, and an English reader reads English', async ({ page }) => {
	await page.goto('/report');
	await expect(page.getByTestId('report-form')).toBeVisible();
	await expect(page.getByTestId('photo-gallery')).toBeEnabled();
	await expect(page.getByTestId('category-grid').getByRole('radio').first()).toBeEnabled();

	await page.getByTestId('language-switch').click();
	await page.reload();
	// The prerendered page is Vietnamese; the app puts it in the reader's language (src/app.html keeps
	// it hidden until then).
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('File a report');
	expect(await page.evaluate(() => getComputedStyle(document.body).visibility)).toBe('visible');
	await expect(page.getByTestId('photo-gallery')).toBeEnabled();
	expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
});
