import { rmSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { OfficeConfig } from '../../src/lib/domain/office';
import { alwaysOpenTenantDir } from '../support/office-tenant';
import { expect, test } from './fixtures';
import { deviceLogin, json, staffLogin } from './support/api';
import { DEMO_PASSWORD } from './support/resident';

/**
 * The admin edits the one-stop offices at /admin/offices: a fifth counter and a closed day are saved
 * (after a refusal told under the field) and devices read them at /api/tenant; a handler is told the
 * page is for admins; a change that would drop a service a resident holds a number for is refused
 * with that number; a save by someone else in between offers "Tải lại" and keeps the typing till then.
 */

const OFFICE = 'lam-vien';
// The clock is real here: the office opens at every hour, so a number can be taken whenever this runs.
const TENANT_DIR = alwaysOpenTenantDir(OFFICE, 'caunoi-e2e-admin-offices-tenant');
test.use({ tenantDir: TENANT_DIR });
test.afterAll(() => rmSync(TENANT_DIR, { recursive: true, force: true }));

async function signIn(page: Page, username: string) {
	await page.goto('/admin/offices');
	await page.getByLabel('Tên đăng nhập').fill(username);
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

async function signInAsAdmin(page: Page) {
	await signIn(page, 'admin');
	await expect(page.getByRole('heading', { name: 'Cài đặt văn phòng một cửa' })).toBeVisible({ timeout: 20_000 });
	await expect(page.getByTestId('choose-office')).toHaveValue('0');
	await expect(page.getByTestId('office-name-vi')).toHaveValue(/Lâm Viên/);
}

test('an admin adds counter 5 and a closed day; a refusal is told under its field; devices read the change', async ({ page, request }) => {
	await signInAsAdmin(page);
	await page.getByTestId('add-counter').click();
	const fifth = page.getByTestId('counter-edit').last();
	await expect(fifth.getByTestId('counter-number')).toHaveValue('5');

	// No service at the new counter yet: refused, and said under that counter, in words.
	await page.getByTestId('save').click();
	await expect(page.getByTestId('save-problems')).toContainText('Chưa lưu được');
	await expect(fifth.getByTestId('field-problem')).toHaveText('cần chọn ít nhất một');
	await expect(page.getByTestId('save-status')).toHaveText('Chưa lưu được — xem chỗ ghi màu đỏ');
	// The refusal is brought into view: the button is at the foot of a long page.
	await expect(fifth.getByTestId('field-problem')).toBeInViewport();

	await fifth.getByRole('checkbox', { name: 'Chứng thực bản sao từ bản chính' }).check();
	await page.getByTestId('closed-date').fill('2030-01-02');
	await page.getByTestId('closed-reason').fill('Tập huấn nghiệp vụ');
	await page.getByTestId('add-closed-day').click();
	await expect(page.getByTestId('closed-day')).toContainText('2030-01-02');
	await page.getByTestId('save').click();
	await expect(page.getByTestId('save-status')).toHaveText('Đã lưu');
	await expect(page.getByTestId('save-problems')).toBeHidden();

	const tenant = await json<{ office: OfficeConfig }>(await request.get('/api/tenant'));
	const office = tenant.office.offices.find((o) => o.id === OFFICE)!;
	expect(office.counters).toContainEqual({ id: 'quay-5', number: 5, serviceIds: ['chung-thuc-ban-sao'] });
	expect(office.closedDays).toEqual([{ date: '2030-01-02', name: 'Tập huấn nghiệp vụ' }]);
});

test('an official who is not an admin is told the page is for admins', async ({ page }) => {
	await signIn(page, 'ubnd-lam-vien');
	await expect(page.getByTestId('login-error')).toHaveText(/chỉ dành cho quản trị viên/);
	await expect(page.getByTestId('save')).toHaveCount(0);
});

test('a change that would break a number held is refused with the number; a save in between offers Tải lại', async ({ page, request }) => {
	// A resident holds a birth-registration number at Lâm Viên.
	const resident = await deviceLogin(request);
	const taken = await json<{ ticket: { number: string } }>(
		await request.post('/api/office/tickets', {
			headers: { authorization: `Bearer ${resident.token}` },
			data: { ticketId: crypto.randomUUID(), officeId: OFFICE, serviceId: 'dang-ky-khai-sinh' }
		})
	);

	await signInAsAdmin(page);
	await page.getByTestId('offer-dang-ky-khai-sinh').uncheck();
	await page.getByTestId('save').click();
	await expect(page.getByTestId('save-broken')).toContainText(`Số ${taken.ticket.number}`);
	await expect(page.getByTestId('broken-number')).toContainText('dịch vụ của số này bị bỏ');
	await expect(page.getByTestId('save-broken')).toBeInViewport();
	// Nothing typed is lost.
	await expect(page.getByTestId('offer-dang-ky-khai-sinh')).not.toBeChecked();

	// Keep the service; meanwhile another admin saves.
	await page.getByTestId('offer-dang-ky-khai-sinh').check();
	await page.getByTestId('office-name-vi').fill('Một cửa Lâm Viên (đang sửa)');
	const admin = await staffLogin(request, 'admin');
	const auth = { authorization: `Bearer ${admin.token}` };
	const now = await json<{ office: OfficeConfig; savedAt: string | null }>(await request.get('/api/office/settings', { headers: auth }));
	await json(await request.put('/api/office/settings', { headers: auth, data: { office: now.office, basedOn: now.savedAt } }));

	await page.getByTestId('save').click();
	await expect(page.getByTestId('save-changed')).toContainText('Có người vừa lưu');
	await expect(page.getByTestId('office-name-vi')).toHaveValue('Một cửa Lâm Viên (đang sửa)');
	await page.getByTestId('reload').click();
	await expect(page.getByTestId('office-name-vi')).toHaveValue(/^Bộ phận Một cửa phường Lâm Viên/);
	await expect(page.getByTestId('save-changed')).toBeHidden();

	// On a phone's width nothing spills off the screen.
	await page.setViewportSize({ width: 360, height: 740 });
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
