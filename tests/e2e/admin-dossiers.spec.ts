import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { DEMO_PASSWORD } from './support/resident';

/**
 * The admin brings dossiers in at /admin/dossiers: a CSV with one bad row is imported and the bad
 * row is listed with its line and reason; the same file dropped again changes nothing. A key for
 * the one-stop system is shown once, works for the import, is gone after a reload, and is revoked
 * after a confirmation.
 */

const CSV = [
	'code,procedureCode,applicantName,receivedAt,status,at',
	'HS-261205-0001,1.001193,Đỗ Thị Hạnh,05/12/2026 08:30,submitted,05/12/2026 08:30',
	'HS-261205-0002,9.999999,Lý Văn Tâm,05/12/2026 09:00,submitted,05/12/2026 09:00'
].join('\r\n');
const file = { name: 'ho-so-mot-cua.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') };

async function signInAsAdmin(page: Page) {
	await page.goto('/admin/dossiers');
	await page.getByLabel('Tên đăng nhập').fill('admin');
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('heading', { name: 'Nhập hồ sơ từ hệ thống một cửa' })).toBeVisible({ timeout: 20_000 });
}

test('a CSV with a bad row: the good one is imported, the bad one listed with its line and reason; again changes nothing', async ({ page, request }) => {
	await signInAsAdmin(page);
	await expect(page.getByTestId('template-link')).toHaveAttribute('download', 'mau-nhap-ho-so.csv');

	await page.getByTestId('import-file').setInputFiles(file);
	const result = page.getByTestId('import-result');
	await expect(result).toContainText('ho-so-mot-cua.csv', { timeout: 20_000 });
	await expect(result.getByTestId('count-imported')).toHaveText('1');
	await expect(result.getByTestId('count-rejected')).toHaveText('1');
	const bad = result.getByTestId('rejected-row');
	await expect(bad).toHaveCount(1);
	await expect(bad.locator('td').nth(0)).toHaveText('3');
	await expect(bad.locator('td').nth(1)).toHaveText('HS-261205-0002');
	await expect(bad.locator('td').nth(2)).toContainText('"9.999999" is not in the province\'s catalogue');
	// The imported dossier is public by its code.
	expect((await request.get('/api/public/dossiers/HS-261205-0001')).status()).toBe(200);

	// The same file dropped on the page: nothing new.
	await page.getByTestId('drop-zone').evaluate((zone, text) => {
		const dt = new DataTransfer();
		dt.items.add(new File([text], 'lai-lan-nua.csv', { type: 'text/csv' }));
		zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
	}, CSV);
	await expect(result).toContainText('lai-lan-nua.csv', { timeout: 20_000 });
	await expect(result.getByTestId('count-imported')).toHaveText('0');
	await expect(result.getByTestId('count-unchanged')).toHaveText('1');
});

test('a key for the one-stop system is shown once, works, is gone after a reload, and is revoked after asking', async ({ page, request }) => {
	await signInAsAdmin(page);
	await page.getByTestId('key-name').fill('Hệ thống một cửa điện tử');
	await page.getByTestId('create-key').click();
	const fresh = page.getByTestId('fresh-key');
	await expect(fresh).toContainText('chỉ hiện một lần');
	const key = await page.getByTestId('new-key').inputValue();
	expect(key).toMatch(/^cn_[A-Za-z0-9_-]{43}$/);
	await expect(page.getByTestId('key-item').filter({ hasText: 'Hệ thống một cửa điện tử' })).toContainText('Chưa dùng lần nào');

	// The key the page showed is the one the system can import with.
	const res = await request.post('/api/dossiers/import', {
		headers: { 'x-api-key': key },
		data: { dossiers: [{ code: 'HS-261205-0101', procedureCode: '1.001193', applicantName: 'Hà Văn Sơn', receivedAt: '2026-12-05T08:00:00+07:00', status: 'submitted' }] }
	});
	expect(res.status()).toBe(200);

	await page.reload();
	await expect(page.getByTestId('key-list')).toContainText('Hệ thống một cửa điện tử', { timeout: 20_000 });
	await expect(page.getByTestId('fresh-key')).toBeHidden();
	expect(await page.content()).not.toContain(key);
	const item = page.getByTestId('key-item').filter({ hasText: 'Hệ thống một cửa điện tử' });
	await expect(item).toContainText('1 lần');

	await item.getByTestId('revoke-key').click();
	await expect(item).toContainText('Thu hồi khóa của Hệ thống một cửa điện tử?');
	await item.getByTestId('revoke-yes').click();
	await expect(item.getByTestId('key-revoked')).toContainText('Đã thu hồi');
	const after = await request.post('/api/dossiers/import', { headers: { 'x-api-key': key }, data: { dossiers: [] } });
	expect(after.status()).toBe(401);
});

test('a key made for Open311 only files a field report through GeoReport v2, and imports no dossier', async ({ page, request }) => {
	await signInAsAdmin(page);
	await page.getByTestId('key-name').fill('Tổng đài 1022');
	await page.getByTestId('key-scope-dossiers:import').uncheck();
	await expect(page.getByTestId('create-key')).toBeDisabled();
	await page.getByTestId('key-scope-open311:requests').check();
	await page.getByTestId('create-key').click();
	const key = await page.getByTestId('new-key').inputValue();
	await expect(page.getByTestId('key-item').filter({ hasText: 'Tổng đài 1022' })).toContainText('Gửi và tra cứu phản ánh (Open311)');

	const filed = await request.post('/open311/v2/requests.json', {
		form: { api_key: key, service_code: 'environment', lat: '11.962', long: '108.452', description: 'Rác thải đổ trộm ven đường, tổng đài 1022 ghi nhận' }
	});
	expect(filed.status()).toBe(200);
	const [answer] = (await filed.json()) as { service_request_id: string }[];
	expect(answer.service_request_id).toMatch(/^LD-/);
	const imported = await request.post('/api/dossiers/import', { headers: { 'x-api-key': key }, data: { dossiers: [] } });
	expect(imported.status()).toBe(403);
});
