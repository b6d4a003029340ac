import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { pushEvent, staffLogin } from './support/api';
import { XUAN_HUONG_POINT, fileReport, outboxItem, photo, waitForServiceWorker } from './support/resident';

/**
 * A tracking code as people carry it (printed, written down, read out on the phone) opens the report:
 * typed on the home page in any case, with spaces for dashes, it lands on the public page of that
 * report, whose address and share link carry the code; a code that cannot be one, or that no report
 * has, is said so in words. Offline, a report the device follows still opens from its code.
 * And a report the resident reopened ("not satisfied") shows as reopened first on /my, with the
 * reopening as a step of its timeline, not under the old result.
 */

test.use({ permissions: ['geolocation'], geolocation: XUAN_HUONG_POINT });

/** "Môi trường" in Xuân Hương ward goes to the ward's People's Committee (among others). */
const HANDLER = 'ubnd-xuan-huong';

async function fileAndReadCode(page: Page, description: string): Promise<string> {
	await fileReport(page, { category: 'Môi trường', description, photos: [photo('path.jpg')] });
	await expect(outboxItem(page, description)).toHaveAttribute('data-state', 'delivered', { timeout: 45_000 });
	const code = (await outboxItem(page, description).getByTestId('tracking-code').textContent())?.trim() ?? '';
	expect(code).toMatch(/^LD-\d{6}-[0-9A-Z]{5}$/);
	return code;
}

async function lookUpOnHome(page: Page, typed: string) {
	await page.goto('/');
	await page.getByLabel('Tra cứu phản ánh bằng mã theo dõi').fill(typed);
	await page.getByTestId('home-lookup-submit').click();
}

test('a code typed on the home page in lower case with spaces opens the public report, offline too once followed', async ({ page, context }) => {
	test.setTimeout(120_000);
	const description = `Bãi rác tự phát sau chợ ${Date.now()}`;
	const code = await fileAndReadCode(page, description);

	await lookUpOnHome(page, `  ${code.toLowerCase().replace(/-/g, ' ')} `);
	await expect(page).toHaveURL(new RegExp(`/public/report\\?code=${code}$`));
	const detail = page.getByTestId('public-detail');
	await expect(detail).toBeVisible({ timeout: 20_000 });
	await expect(detail.getByTestId('public-tracking-code')).toContainText(code);
	await expect(detail.getByTestId('public-description')).toHaveText(description);

	// The link to share carries the code, under the app's path.
	await detail.getByTestId('public-share').click();
	await expect(detail.getByTestId('public-share-url')).toHaveValue(new RegExp(`/public/report\\?code=${code}$`));

	// Not a code: said on the home page, what was typed stays.
	await lookUpOnHome(page, 'ld 2612');
	await expect(page.getByTestId('home-lookup-error')).toHaveText(/Mã theo dõi chưa đúng dạng/);
	await expect(page.getByTestId('home-lookup-code')).toHaveValue('ld 2612');

	// A code no report has.
	await lookUpOnHome(page, 'LD-200101-00000');
	await expect(page.getByTestId('public-not-found')).toHaveText(/Không tìm thấy phản ánh có mã này/, { timeout: 20_000 });

	// Followed, it opens offline from the device's copy.
	await page.goto(`/public/report?code=${code}`);
	await page.getByTestId('public-follow').click();
	await expect(page.getByTestId('public-following')).toBeVisible();
	await waitForServiceWorker(page);
	await context.setOffline(true);
	await lookUpOnHome(page, code.replace(/-/g, ''));
	await expect(page.getByTestId('public-detail')).toBeVisible({ timeout: 20_000 });
	await expect(page.getByTestId('public-description')).toHaveText(description);
	await expect(page.getByTestId('public-as-of')).toContainText('ngoại tuyến');
	await context.setOffline(false);
});

test('a reopened report shows as reopened first on /my, with a "reopened" step in its timeline', async ({ page, request }) => {
	test.setTimeout(150_000);
	const description = `Cống thoát nước bị tắc ở dốc Nhà Làng ${Date.now()}`;
	const code = await fileAndReadCode(page, description);
	await page.goto('/my');
	const card = page.getByTestId('my-report').filter({ hasText: code });
	await expect(card).toBeVisible({ timeout: 20_000 });
	const reportId = (await card.getAttribute('data-report-id'))!;

	const handler = await staffLogin(request, HANDLER);
	await pushEvent(request, handler, reportId, 'resolved', { note: 'Đã nạo vét cống, nước thoát bình thường.' });
	await expect(card).toHaveAttribute('data-status', 'resolved', { timeout: 20_000 });
	await card.getByRole('button', { expanded: false }).click();
	const body = card.getByTestId('my-report-body');
	const rating = body.getByTestId('rating-form');
	await rating.getByRole('button', { name: /Chưa hài lòng/ }).click();
	await rating.getByLabel('Vì sao bạn chưa hài lòng?').fill('Trời mưa nước vẫn tràn lên mặt đường.');
	await rating.getByRole('button', { name: 'Gửi đánh giá' }).click();

	for (const reload of [false, true]) {
		if (reload) await page.goto(`/my?report=${reportId}`);
		await expect(card).toHaveAttribute('data-status', 'reopened', { timeout: 20_000 });
		await expect(card.getByTestId('my-status')).toHaveText('Mở lại');
		// First in the report: where it stands now, with the resident's reason; the old result only as the previous one.
		const first = body.locator('section').first();
		await expect(first).toHaveAttribute('data-testid', 'my-reopened');
		await expect(first).toContainText('Đã mở lại để xử lý tiếp');
		await expect(first).toContainText('Trời mưa nước vẫn tràn lên mặt đường.');
		await expect(first.getByTestId('my-previous-result')).toContainText('Đã nạo vét cống');
		await expect(body.getByTestId('my-result')).toHaveCount(0);
		// The reopening is a step of its own, after the rating.
		const steps = body.getByTestId('timeline-event');
		await expect(steps.last()).toHaveAttribute('data-type', 'reopened', { timeout: 20_000 });
		await expect(steps.last()).toContainText('Mở lại để xử lý tiếp');
		await expect(steps.nth(-2)).toHaveAttribute('data-type', 'feedback');
	}
});
