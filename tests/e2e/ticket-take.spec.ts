import { rmSync } from 'node:fs';
import type { APIRequestContext, Page } from '@playwright/test';
import { alwaysOpenTenantDir } from '../support/office-tenant';
import { expect, test } from './fixtures';
import { json, staffLogin, type ApiSession } from './support/api';
import { waitForServiceWorker } from './support/resident';

/**
 * A resident takes a queue number (bốc số) online and sees it large with its QR code; offline, a
 * reload still shows it. A number asked for offline waits on the phone and is taken the moment the
 * network returns, and the resident is told the number it got. Then the counter calls the first
 * one: the phone says "Mời bạn đến quầy số 1" within a second; the counter finishes, the resident
 * rates it. The clock is real here: the office is made open at every hour of every day (a copy of
 * the demo tenant), so the test never depends on when it runs.
 */

const OFFICE = 'lam-vien';
const OFFICE_NAME = /Bộ phận Một cửa phường Lâm Viên/;

// The clock is real here: the office opens at every hour of every day (a copy of the demo province).
const TENANT_DIR = alwaysOpenTenantDir(OFFICE, 'caunoi-e2e-ticket-take-tenant');
test.use({ tenantDir: TENANT_DIR });
test.afterAll(() => rmSync(TENANT_DIR, { recursive: true, force: true }));

/** On /ticket: the office, the service, "Lấy số". */
async function takeNumber(page: Page, service: string) {
	const form = page.getByTestId('ticket-form');
	await form.getByRole('radio', { name: OFFICE_NAME }).check();
	await form.getByRole('radio', { name: service, exact: true }).check();
	await form.getByRole('button', { name: 'Lấy số' }).click();
}

async function counter(request: APIRequestContext, staff: ApiSession, path: string) {
	return json<{ ticket: { number: string } }>(
		await request.post(`/api/office/offices/${OFFICE}/counters/quay-1/${path}`, { headers: { authorization: `Bearer ${staff.token}` }, data: {} })
	);
}

test('a number taken online shows with its QR offline; one taken offline comes when the network returns; the call shows live', async ({
	page,
	context,
	request
}) => {
	test.setTimeout(120_000);
	await page.goto('/');
	await waitForServiceWorker(page);
	await page.getByTestId('home-ticket').click();
	await expect(page.getByRole('heading', { level: 1, name: 'Lấy số thứ tự' })).toBeVisible();

	// Online: the number at once, large, with the QR code the counter scans.
	await takeNumber(page, 'Đăng ký khai sinh');
	await expect(page).toHaveURL(/\/ticket\/view\?id=/);
	const ticketUrl = page.url();
	const id = new URL(ticketUrl).searchParams.get('id')!;
	await expect(page.getByTestId('ticket-number')).toHaveText('1001');
	await expect(page.getByTestId('ticket-status')).toHaveText('Đang chờ đến lượt');
	const qr = page.getByTestId('ticket-qr');
	await expect(qr).toBeVisible();
	expect(await qr.getAttribute('data-text')).toBe(`${new URL(ticketUrl).origin}/ticket/view?id=${id}`);
	expect(await qr.locator('path').getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
	await expect(page.getByTestId('ticket-ahead')).toHaveText('Bạn là người tiếp theo');
	await expect(page.getByTestId('ticket-wait-basis')).toContainText('chưa đủ số liệu');
	await expect(page.getByTestId('ticket-live')).toBeVisible();
	// Nobody ahead, within the tenant's notifyAhead: told once on the page.
	await expect(page.getByTestId('ticket-near')).toContainText('bạn là người tiếp theo');

	// Offline, a reload: the phone's copy, with when it was last updated — no error page.
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('ticket-number')).toHaveText('1001');
	await expect(page.getByTestId('ticket-qr')).toBeVisible();
	await expect(page.getByTestId('ticket-offline')).toBeVisible();
	await expect(page.getByTestId('ticket-updated')).toContainText(/Cập nhật lần cuối lúc \d\d:\d\d/);

	// Offline, another number: it waits on the phone, said plainly.
	await page.goto('/ticket');
	await takeNumber(page, 'Chứng thực bản sao từ bản chính');
	const notice = page.getByTestId('ticket-notice');
	await expect(notice).toHaveAttribute('data-kind', 'queued');
	await expect(notice).toHaveText('Chưa có mạng: số sẽ được lấy ngay khi có mạng lại.');
	const waiting = page.getByTestId('ticket-request');
	await expect(waiting).toHaveAttribute('data-state', 'waiting');
	await expect(page.getByTestId('my-ticket').filter({ hasText: '1001' })).toBeVisible();

	// The network returns: the number is taken by itself and the resident is told which.
	await context.setOffline(false);
	await expect(notice).toHaveAttribute('data-kind', 'taken', { timeout: 15_000 });
	await expect(notice).toContainText('Đã lấy được số 4001: Chứng thực bản sao từ bản chính');
	await expect(waiting).toHaveCount(0);
	await expect(page.getByTestId('my-ticket').filter({ hasText: '4001' })).toBeVisible();

	// The counter calls the first number: the ticket page shows it within a second, no reload.
	const staff = await staffLogin(request, 'ubnd-lam-vien');
	await json(await request.post(`/api/office/offices/${OFFICE}/counters/quay-1/session`, { headers: { authorization: `Bearer ${staff.token}` } }));
	await page.goto(ticketUrl);
	await expect(page.getByTestId('ticket-live')).toBeVisible();
	const called = await counter(request, staff, 'call-next');
	expect(called.ticket.number).toBe('1001');
	await expect(page.getByTestId('ticket-called')).toHaveText('Mời bạn đến quầy số 1', { timeout: 1_000 });
	await expect(page.getByTestId('ticket-status')).toHaveText('Đang được mời đến quầy');

	// Finished: the resident rates it once; "not satisfied" needs a reason.
	await counter(request, staff, `tickets/${id}/finish`);
	const rating = page.getByTestId('ticket-rating');
	await expect(rating).toBeVisible({ timeout: 5_000 });
	await rating.getByRole('radio', { name: 'Không hài lòng' }).check();
	await rating.getByRole('button', { name: 'Gửi đánh giá' }).click();
	await expect(page.getByTestId('rating-error')).toHaveText('Hãy viết vài chữ vì sao bạn không hài lòng.');
	await rating.getByLabel('Vì sao bạn không hài lòng?').fill('Phải chờ bổ sung giấy tờ không ai báo trước');
	await rating.getByRole('button', { name: 'Gửi đánh giá' }).click();
	await expect(page.getByTestId('ticket-rated')).toContainText('Bạn đã đánh giá: Không hài lòng');

	// The other number is given back: asked first, then cancelled.
	await page.goto('/ticket');
	await page.getByTestId('my-ticket').filter({ hasText: '4001' }).getByRole('link').click();
	await expect(page.getByTestId('ticket-number')).toHaveText('4001');
	await page.getByTestId('ticket-cancel').click();
	await page.getByTestId('ticket-cancel-yes').click();
	await expect(page.getByTestId('ticket-status')).toHaveText('Đã hủy số');
});

test('a refused take is said under the button, and what was chosen stays', async ({ page }) => {
	// A new phone (a new browser context): its fourth number of the day at one office is over the demo's daily limit of 3.
	await page.goto('/ticket');
	for (const service of ['Đăng ký kết hôn', 'Chứng thực chữ ký', 'Trợ cấp xã hội hằng tháng']) {
		await takeNumber(page, service);
		await expect(page).toHaveURL(/\/ticket\/view\?id=/);
		await page.goto('/ticket');
	}
	await takeNumber(page, 'Đăng ký hộ kinh doanh');
	await expect(page.getByTestId('ticket-form-error')).toContainText('Bạn đã lấy đủ số lượt cho phép hôm nay');
	await expect(page.getByTestId('ticket-form').getByRole('radio', { name: 'Đăng ký hộ kinh doanh', exact: true })).toBeChecked();
	await expect(page.getByTestId('ticket-request')).toHaveCount(0);
});
