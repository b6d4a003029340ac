import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { DEMO_PASSWORD } from './support/resident';

/**
 * The admin imports a zoning plan at /admin/zoning: a file that is not GeoJSON is refused before it
 * is sent, with nothing typed lost; a file with one valid zone and one of an unknown land-use code is
 * first refused whole with the rejected zone listed and its reason, then imported with "only the
 * valid zones" (one request however many clicks), and the versions list shows it as current.
 */

/** A small square (≈ 60 m) in Lâm Viên, the demo plan's ward, in WGS 84. */
const square = (lng: number, lat: number, d = 0.0006) => ({
	type: 'Polygon',
	coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]]
});
const PLAN = {
	type: 'FeatureCollection',
	features: [
		{ type: 'Feature', id: 'e2e-ok', properties: { landUseCode: 'ODT', maxFloors: 4 }, geometry: square(108.444, 11.95) },
		{ type: 'Feature', id: 'e2e-bad', properties: { landUseCode: 'QQQ' }, geometry: square(108.4448, 11.95) }
	]
};
const file = (name: string, text: string) => ({ name, mimeType: 'application/geo+json', buffer: Buffer.from(text) });

async function signInAsAdmin(page: Page) {
	await page.goto('/admin/zoning');
	await page.getByLabel('Tên đăng nhập').fill('admin');
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('heading', { name: 'Nhập quy hoạch sử dụng đất', level: 1 })).toBeVisible({ timeout: 20_000 });
}

test('an admin imports a plan: the unknown land-use zone is reported, the valid one becomes the current version', async ({ page }) => {
	await signInAsAdmin(page);
	// The tenant's meridian is named on the VN-2000 choice.
	await expect(page.getByText('VN-2000, kinh tuyến trục 107°45′ của tỉnh')).toBeVisible();
	// The demo plan is the current version before the import.
	const versions = page.getByTestId('zoning-version');
	await expect(versions.first()).toHaveAttribute('data-current', 'true');
	const before = await versions.count();

	await page.getByTestId('plan-name-vi').fill('Quy hoạch thử nghiệm E2E');
	await page.getByTestId('plan-name-en').fill('E2E test plan');
	await page.getByTestId('plan-decision').fill('Quyết định 1/QĐ-E2E');
	await page.getByTestId('plan-approved').fill('2026-01-01');
	await page.getByTestId('plan-from').fill('2026-01-01');

	// Not GeoJSON: said before anything is sent, and the fields keep what was typed.
	await page.getByTestId('zones-file').setInputFiles(file('plan.geojson', '{"type":"Feature"}'));
	await page.getByTestId('zoning-send').click();
	await expect(page.getByTestId('zoning-import-error')).toContainText('không phải GeoJSON FeatureCollection');
	await expect(page.getByTestId('plan-name-vi')).toHaveValue('Quy hoạch thử nghiệm E2E');

	// One zone has a land-use code not in the list: nothing is stored, the zone is listed with its reason.
	await page.getByTestId('zones-file').setInputFiles(file('plan.geojson', JSON.stringify(PLAN)));
	await page.getByTestId('zoning-send').click();
	const result = page.getByTestId('zoning-import-result');
	await expect(result).toHaveAttribute('data-stored', 'false', { timeout: 20_000 });
	await expect(page.getByTestId('zoning-import-error')).toHaveCount(0);
	const bad = result.getByTestId('rejected-feature');
	await expect(bad).toHaveCount(1);
	await expect(bad).toHaveAttribute('data-id', 'e2e-bad');
	await expect(bad).toContainText('Vùng số 2');
	await expect(bad).toContainText('mã loại đất không có trong danh mục: QQQ');
	await expect(bad).toContainText('unknown land-use code: QQQ');
	await expect(versions).toHaveCount(before);

	// Only the valid zone: one request however often the button is pressed while sending.
	const posts: string[] = [];
	page.on('request', (r) => r.method() === 'POST' && r.url().includes('/api/zoning/plans') && posts.push(r.url()));
	await page.getByTestId('plan-partial').check();
	const send = page.getByTestId('zoning-send');
	// The answer is held until the second press is made: on a fast machine it could otherwise come
	// back between the two presses, and the second would rightly be a new import.
	let answer!: () => void;
	const held = new Promise<void>((r) => (answer = r));
	await page.route('**/api/zoning/plans?partial=1', async (route) => {
		await held;
		await route.continue();
	});
	await send.click();
	await expect(send).toHaveAttribute('aria-disabled', 'true');
	await send.click({ force: true });
	answer();
	await expect(result).toHaveAttribute('data-stored', 'true', { timeout: 20_000 });
	expect(posts).toHaveLength(1);
	await expect(result.getByTestId('count-accepted')).toHaveText('1');
	await expect(result.getByTestId('count-rejected')).toHaveText('1');
	await expect(result.getByTestId('rejected-feature')).toContainText('QQQ');

	// The versions list: the new one first and current, the demo still listed with its period.
	await expect(versions).toHaveCount(before + 1);
	await expect(versions.first()).toContainText('Quy hoạch thử nghiệm E2E');
	await expect(versions.first()).toHaveAttribute('data-current', 'true');
	await expect(page.locator('[data-testid=zoning-version][data-current=true]')).toHaveCount(1);
	await expect(versions.last()).toContainText('2025-01-01 – 2035-12-31');
});

test('a handler is told the zoning page is for admins', async ({ page }) => {
	await page.goto('/admin/zoning');
	await page.getByLabel('Tên đăng nhập').fill('ubnd-xuan-huong');
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByText('Trang này chỉ dành cho quản trị viên')).toBeVisible({ timeout: 20_000 });
	await expect(page.getByTestId('zoning-import-form')).toHaveCount(0);
});
