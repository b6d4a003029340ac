import { copyFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { translate } from '$lib/i18n/messages';
import { expect, test } from './fixtures';
import { pullAll, staffLogin } from './support/api';
import { XUAN_HUONG_CODE, XUAN_HUONG_POINT, outboxItem, photo } from './support/resident';

/**
 * The report form's limits on a phone (issue 10: 3, 4, 7, 8): photos a category requires, the
 * five-photo limit and the same photo twice, the description's 4,000 characters, and a GPS fix that
 * disagrees with the ward the resident picks by hand. What the resident sees, and what the server stores.
 */

const HANOI = { latitude: 21.0285, longitude: 105.8542 };

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, permissions: ['geolocation'], geolocation: HANOI });

async function openForm(page: Page) {
	await page.goto('/report');
	await expect(page.getByTestId('report-form')).toBeVisible();
}

/** Six different photos: the three fixtures and three copies under other names (another name is another file). */
function sixPhotos(): string[] {
	const copies = [1, 2, 3].map((i) => {
		const to = test.info().outputPath(`copy-${i}.jpg`);
		copyFileSync(photo('path.jpg'), to);
		return to;
	});
	return [photo('autumn.jpg'), photo('path.jpg'), photo('colorful-cups.jpg'), ...copies];
}

test('photos: the category says how many it needs; 6 picked keep 5 without a lasting error; the same photo is not added twice', async ({ page }) => {
	test.setTimeout(120_000);
	await openForm(page);
	const photos = page.getByRole('region', { name: 'Ảnh hiện trường' });
	await expect(photos.getByTestId('photo-rule')).toHaveText('Tối đa 5 ảnh');

	await page.getByRole('radio', { name: 'Trật tự xây dựng', exact: true }).check();
	await expect(photos.getByTestId('photo-rule')).toHaveText('Cần ít nhất 1 ảnh, tối đa 5 ảnh');
	await page.getByRole('radio', { name: 'Thái độ phục vụ, thủ tục hành chính', exact: true }).check();
	await expect(photos.getByTestId('photo-rule')).toHaveText('Không bắt buộc, tối đa 5 ảnh');
	await page.getByRole('radio', { name: 'Trật tự xây dựng', exact: true }).check();

	// Placed by its ward, so only the photos are missing: "Gửi" is refused, with the reason by the photos.
	await page.getByTestId('open-ward-picker').click();
	await page.getByTestId('ward-search').fill('xuan huong');
	await page.getByTestId('ward-picker').getByRole('option', { name: /Xuân Hương/ }).click();
	await page.getByRole('button', { name: 'Gửi', exact: true }).click();
	await expect(photos.getByTestId('error-photos')).toHaveText(translate('vi', 'errors.too_few_photos'));
	await expect(page).toHaveURL(/\/report$/);

	// Six picked at once: five kept, a notice (a status, not an alert) says one was left out.
	await page.getByTestId('photo-gallery').setInputFiles(sixPhotos());
	await expect(photos.getByTestId('photo-thumb')).toHaveCount(5, { timeout: 30_000 });
	await expect(photos.getByTestId('photo-notice')).toHaveText('Đã bỏ 1 ảnh: mỗi phản ánh tối đa 5 ảnh.');
	await expect(photos.getByTestId('photo-notice')).toHaveAttribute('role', 'status');
	// The count is right, so no error is left: not the "at most 5", not the "needs a photo".
	await expect(photos.getByTestId('error-photos')).toHaveCount(0);
	await expect(photos.getByTestId('photo-count')).toContainText('5/5 ảnh');

	// One removed, then the same file picked again: not added twice, said briefly.
	await photos.getByRole('button', { name: 'Bỏ ảnh 5' }).click();
	await expect(photos.getByTestId('photo-thumb')).toHaveCount(4);
	await expect(photos.getByTestId('photo-notice')).toBeEmpty();
	await page.getByTestId('photo-gallery').setInputFiles([photo('autumn.jpg')]);
	await expect(photos.getByTestId('photo-notice')).toHaveText('Bỏ qua 1 ảnh đã có trong phản ánh.');
	await expect(photos.getByTestId('photo-thumb')).toHaveCount(4);

	// "Gửi": nothing is announced again about the photos, the report goes.
	const description = `Xây dựng trái phép ${Date.now()}`;
	await page.getByLabel('Mô tả').fill(description);
	await page.getByRole('button', { name: 'Gửi', exact: true }).click();
	await expect(page).toHaveURL(/\/outbox$/, { timeout: 15_000 });
	await expect(outboxItem(page, description)).toHaveAttribute('data-state', 'delivered', { timeout: 45_000 });
});

test('description: a counter near 4,000 characters, and a message at the limit, where typing stops', async ({ page }) => {
	await openForm(page);
	const box = page.getByLabel('Mô tả');
	await box.fill('Rác đổ trộm. ');
	await expect(page.getByTestId('description-count')).toHaveCount(0);

	await box.fill('a'.repeat(3600));
	await expect(page.getByTestId('description-count')).toHaveText('3.600/4.000 ký tự');
	await expect(page.getByTestId('description-full')).toBeEmpty();

	// Pasting past the limit keeps 4,000, and says so.
	await box.fill('b'.repeat(4100));
	await expect(box).toHaveValue('b'.repeat(4000));
	await expect(page.getByTestId('description-count')).toHaveText('4.000/4.000 ký tự');
	await expect(page.getByTestId('description-full')).toHaveText(/Đã đủ 4\.000 ký tự/);
	await box.press('End');
	await box.press('x');
	await expect(box).toHaveValue('b'.repeat(4000));

	// Shortened: the message goes.
	await box.press('Backspace');
	await expect(page.getByTestId('description-full')).toBeEmpty();
	await expect(page.getByTestId('description-count')).toHaveText('3.999/4.000 ký tự');
});

test('a GPS fix outside the province is dropped when the ward is picked by hand; the server stores the ward only', async ({ page, request }) => {
	test.setTimeout(90_000);
	await openForm(page);
	await page.getByRole('radio', { name: 'Môi trường', exact: true }).check();
	await page.getByRole('button', { name: 'Dùng vị trí của tôi' }).click();
	await expect(page.getByTestId('location-source')).toContainText('21.02850');
	await expect(page.getByText('Vị trí này nằm ngoài tỉnh. Hãy chọn phường/xã bên dưới.')).toBeVisible();

	await page.getByTestId('ward-search').fill('xuan huong');
	await page.getByTestId('ward-picker').getByRole('option', { name: /Xuân Hương/ }).click();
	await expect(page.getByTestId('detected-ward')).toContainText('Xuân Hương');
	await expect(page.getByTestId('location-source')).toHaveCount(0);
	await expect(page.getByRole('status').filter({ hasText: 'Vị trí GPS không nằm trong phường/xã bạn chọn nên đã bỏ' })).toBeVisible();

	const description = `Rác bên hồ, chọn phường bằng tay ${Date.now()}`;
	await page.getByLabel('Mô tả').fill(description);
	await page.getByRole('button', { name: 'Gửi', exact: true }).click();
	await expect(page).toHaveURL(/\/outbox$/);
	await expect(outboxItem(page, description)).toHaveAttribute('data-state', 'delivered', { timeout: 45_000 });

	const handler = await staffLogin(request, 'ubnd-xuan-huong');
	const stored = (await pullAll(request, handler.token, 'reports')).find((r) => r.description === description);
	expect(stored).toMatchObject({ wardCode: XUAN_HUONG_CODE, location: { source: 'ward' } });
});

test('a GPS fix in the ward picked again keeps its coordinates; another ward drops them', async ({ page, context }) => {
	await context.setGeolocation(XUAN_HUONG_POINT);
	await openForm(page);
	await page.getByRole('button', { name: 'Dùng vị trí của tôi' }).click();
	await expect(page.getByTestId('detected-ward')).toContainText('Xuân Hương');
	await expect(page.getByTestId('location-source')).toContainText('11.94040');

	await page.getByTestId('open-ward-picker').click();
	await page.getByTestId('ward-search').fill('xuan huong');
	await page.getByTestId('ward-picker').getByRole('option', { name: /Xuân Hương/ }).click();
	await expect(page.getByTestId('location-source')).toContainText('11.94040');

	await page.getByTestId('open-ward-picker').click();
	await page.getByTestId('ward-search').fill('lang biang');
	await page.getByTestId('ward-picker').getByRole('option', { name: /Lang Biang/ }).click();
	await expect(page.getByTestId('detected-ward')).toContainText('Lang Biang');
	await expect(page.getByTestId('location-source')).toHaveCount(0);
});
