import { expect, test } from './fixtures';
import { DEMO_PASSWORD, XUAN_HUONG_POINT, photo, waitForServiceWorker } from './support/resident';

/**
 * Words that must match what is happening: "draft saved" only once something was typed; "it will be
 * sent when there is a network" only when there is none (online, it is being sent).
 */

test.use({ permissions: ['geolocation'], geolocation: XUAN_HUONG_POINT });

test('an empty report form does not say its draft is saved; once something is typed, it does', async ({ page }) => {
	await page.goto('/report');
	await expect(page.getByTestId('report-form')).toBeVisible();
	// The form saves a moment after it opens (300 ms): give it time to (wrongly) say so.
	await page.waitForTimeout(1_500);
	await expect(page.getByText('Đã lưu nháp trong máy')).toHaveCount(0);
	await page.getByLabel('Mô tả').fill('Cống thoát nước bị tắc');
	await expect(page.getByText('Đã lưu nháp trong máy')).toBeVisible();
});

test('a volunteer saving online is told the report is being sent; offline, that it will be sent with a network', async ({ page, context }) => {
	test.setTimeout(90_000);
	await page.goto('/volunteer');
	await page.getByLabel('Tên đăng nhập').fill('tcns-lang-biang');
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByTestId('volunteer-name')).toBeVisible({ timeout: 20_000 });
	await waitForServiceWorker(page);

	const file = async (name: string) => {
		const form = page.getByTestId('assisted-form');
		await page.getByLabel('Họ và tên người dân').fill(name);
		await page.getByLabel('Số điện thoại người dân').fill('0912345678');
		await page.getByLabel('Người dân đồng ý cho tôi gửi phản ánh và số điện thoại thay họ').check();
		await page.getByRole('radio', { name: 'Môi trường', exact: true }).check();
		await page.getByTestId('photo-gallery').setInputFiles([photo('path.jpg')]);
		await expect(form.getByTestId('photo-thumb')).toHaveCount(1, { timeout: 30_000 });
		await page.getByLabel('Mô tả').fill(`Rác ven suối ${Date.now()}`);
		await page.getByRole('button', { name: 'Dùng vị trí của tôi' }).click();
		await expect(page.getByTestId('detected-ward')).toContainText('Xuân Hương');
		await page.getByRole('button', { name: 'Lưu và gửi' }).click();
		await expect(page.getByTestId('assisted-saved')).toContainText(name);
	};

	await file('Nguyễn Văn An');
	await expect(page.getByTestId('assisted-saved')).not.toContainText('khi có mạng');
	await context.setOffline(true);
	await file('Trần Thị Bình');
	await expect(page.getByTestId('assisted-saved')).toContainText('sẽ tự gửi khi có mạng');
	await context.setOffline(false);
});
