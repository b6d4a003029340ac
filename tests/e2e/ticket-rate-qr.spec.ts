import { rmSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { alwaysOpenTenantDir } from '../support/office-tenant';
import { expect, test } from './fixtures';
import { json, staffLogin, type ApiSession } from './support/api';
import { DEMO_PASSWORD, newLocalContext, waitForServiceWorker } from './support/resident';

/**
 * Rating at the counter by its QR code: a resident takes two numbers on their phone; the official
 * (API calls with the staff token) calls and finishes both; the counter page shows a large QR code
 * for /ticket/rate of this office and counter; the resident opens that link, the phone offers the
 * numbers it holds that this counter finished, and they rate one "Hài lòng". The official's
 * "Đánh giá" section then counts one rating, the leader sees the official's row, and the rated
 * number is not offered again — the server refuses a second rating too.
 */

const OFFICE = 'lam-vien';
const STAFF = 'ubnd-lam-vien';

// The clock is real here: the office opens at every hour of every day (a copy of the demo province).
const TENANT_DIR = alwaysOpenTenantDir(OFFICE, 'caunoi-e2e-ticket-rate-qr-tenant');
test.use({ tenantDir: TENANT_DIR });
test.afterAll(() => rmSync(TENANT_DIR, { recursive: true, force: true }));

async function counterCall(request: APIRequestContext, staff: ApiSession, path: string) {
	return json<{ ticket: { number: string } }>(
		await request.post(`/api/office/offices/${OFFICE}/counters/quay-1/${path}`, { headers: { authorization: `Bearer ${staff.token}` }, data: {} })
	);
}

/** No serious or critical axe-core violation on the page as it shows now (as tests/e2e/accessibility.spec.ts counts them). */
async function expectAccessible(page: Page) {
	const { violations } = await new AxeBuilder({ page }).analyze();
	expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** On /ticket: the demo office, `service`, "Lấy số"; returns the new ticket's id. */
async function takeNumber(page: Page, service: string): Promise<string> {
	const form = page.getByTestId('ticket-form');
	await form.getByRole('radio', { name: /Bộ phận Một cửa phường Lâm Viên/ }).check();
	await form.getByRole('radio', { name: service, exact: true }).check();
	await form.getByRole('button', { name: 'Lấy số' }).click();
	await expect(page).toHaveURL(/\/ticket\/view\?id=/);
	return new URL(page.url()).searchParams.get('id')!;
}

/** An official's PC: /counter, signed in as `username`. */
async function openCounter(browser: Browser, baseURL: string, username: string): Promise<Page> {
	const desk = await (await newLocalContext(browser, baseURL)).newPage();
	await desk.goto('/counter');
	await desk.getByLabel('Tên đăng nhập').fill(username);
	await desk.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await desk.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(desk.getByTestId('choose-counter')).toBeVisible({ timeout: 20_000 });
	return desk;
}

test('a resident rates by the counter’s QR code; the official’s figures count it; it is not rated twice', async ({ page, context, browser, request, baseURL }) => {
	test.setTimeout(120_000);

	// The resident's phone takes two numbers of counter 1's services: birth, then marriage registration.
	await page.goto('/ticket');
	await waitForServiceWorker(page);
	const id = await takeNumber(page, 'Đăng ký khai sinh');
	await expect(page.getByTestId('ticket-number')).toHaveText('1001');
	await page.goto('/ticket');
	const otherId = await takeNumber(page, 'Đăng ký kết hôn');
	const other = (await page.getByTestId('ticket-number').textContent())!.trim();

	// The official takes counter 1 on their PC; calls and finishes the number (API, the staff token).
	const desk = await openCounter(browser, baseURL!, STAFF);
	await desk.getByRole('radio', { name: /Quầy 1/ }).check();
	await desk.getByRole('button', { name: 'Nhận quầy' }).click();
	await expect(desk.getByRole('heading', { name: 'Bạn đang ở Quầy 1' })).toBeVisible({ timeout: 20_000 });
	const staff = await staffLogin(request, STAFF);
	expect((await counterCall(request, staff, 'call-next')).ticket.number).toBe('1001');
	await counterCall(request, staff, `tickets/${id}/finish`);
	expect((await counterCall(request, staff, 'call-next')).ticket.number).toBe(other);
	await counterCall(request, staff, `tickets/${otherId}/finish`);

	// The counter shows a large QR code for exactly /ticket/rate of this office and counter.
	const rateUrl = `${new URL(baseURL!).origin}/ticket/rate?office=${OFFICE}&counter=quay-1`;
	await desk.getByRole('button', { name: 'Mã QR đánh giá' }).click();
	const qr = desk.getByTestId('rate-qr');
	await expect(qr).toBeVisible();
	await expect(qr).toHaveAttribute('data-url', rateUrl);
	await expect(qr.locator('title')).toHaveText(rateUrl);
	expect(await qr.locator('path').getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
	expect((await qr.boundingBox())!.width).toBeGreaterThan(250);
	await expectAccessible(desk);
	await desk.getByRole('button', { name: 'Đóng' }).click();
	await expect(qr).toBeHidden();

	// The resident scans it: the phone asks the server first (its copies still say "waiting") and offers
	// both, the last finished first.
	await page.goto(rateUrl);
	await expect(page.getByTestId('rate-where')).toHaveText('Quầy 1 · Bộ phận Một cửa phường Lâm Viên - Đà Lạt');
	const ticket = page.getByTestId('rate-ticket');
	await expect(ticket).toHaveAttribute('data-number', other);
	const choices = page.getByTestId('rate-choice');
	await expect(choices).toHaveCount(2);
	await expect(choices.first()).toContainText(`Số ${other} · Đăng ký kết hôn`);
	await expectAccessible(page);

	// Offline, the page says a rating needs the network; the numbers stay offered.
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('rate-offline')).toHaveText('Chưa có mạng: gửi đánh giá cần mạng. Hãy bật mạng rồi thử lại.');
	await expect(choices).toHaveCount(2);
	await context.setOffline(false);
	await expect(page.getByTestId('rate-offline')).toBeHidden();
	await choices.filter({ hasText: 'Số 1001' }).click();
	await expect(ticket).toHaveAttribute('data-number', '1001');

	// Rated "Hài lòng": the page thanks them.
	const rating = page.getByTestId('ticket-rating');
	await rating.getByRole('radio', { name: 'Hài lòng', exact: true }).check();
	const sent = page.waitForRequest((r) => r.url().endsWith(`/api/office/tickets/${id}/rating`) && r.method() === 'POST');
	await rating.getByRole('button', { name: 'Gửi đánh giá' }).click();
	const ratingRequest = await sent;
	await expect(page.getByTestId('ticket-rated')).toContainText('Bạn đã đánh giá: Hài lòng');
	await expect(page.getByTestId('ticket-rated')).toContainText('Cảm ơn');

	// A second time: the link offers only the other number, and the server refuses the same request.
	await page.reload();
	await expect(ticket).toHaveAttribute('data-number', other);
	await expect(choices).toHaveCount(0);
	const again = await request.post(ratingRequest.url(), {
		headers: { authorization: (await ratingRequest.headerValue('authorization'))! },
		data: { level: 'very_satisfied' }
	});
	expect(again.status()).toBe(409);
	expect((await again.json()).error.code).toBe('already_rated');
	// Counter 2's QR: nothing of this phone was served there.
	await page.goto(rateUrl.replace('counter=quay-1', 'counter=quay-2'));
	await expect(page.getByTestId('rate-none')).toContainText('Máy này không có lượt nào ở quầy này chờ đánh giá.');
	await expect(page.getByTestId('rate-to-tickets')).toHaveAttribute('href', '/ticket');

	// The official's "Đánh giá" section: their own row, one rating, satisfied, 100 %.
	await desk.getByRole('button', { name: 'Đánh giá', exact: true }).click();
	const panel = desk.getByTestId('ratings-panel');
	await expect(panel).toContainText('Số liệu của riêng bạn.');
	const own = panel.getByTestId('rating-official');
	await expect(own).toHaveCount(1);
	await expect(own).toHaveAttribute('data-official', STAFF);
	await expect(own.getByRole('heading', { level: 3 })).toHaveText(`${STAFF} (Bạn)`);
	await expect(own.getByTestId('rating-rated')).toHaveText('1');
	await expect(own.getByTestId('rating-served')).toHaveText('2');
	await expect(own.locator('[data-level=satisfied] strong')).toHaveText('1');
	await expect(own.getByTestId('rating-satisfaction')).toHaveText('100 %');
	await expectAccessible(desk);
	// Another period reads again, and still counts today's.
	await panel.getByText('7 ngày').click();
	await expect(own.getByTestId('rating-rated')).toHaveText('1');

	// A leader who opens /counter sees every official of the office: here, this one.
	const lead = await openCounter(browser, baseURL!, 'lanhdao');
	await lead.getByRole('button', { name: 'Đánh giá', exact: true }).click();
	const all = lead.getByTestId('ratings-panel');
	await expect(all).toContainText('Số liệu của mọi cán bộ ở văn phòng này.');
	await expect(all.getByTestId('ratings-office')).toHaveValue(OFFICE);
	await expect(all.locator(`[data-testid=rating-official][data-official="${STAFF}"] [data-testid=rating-rated]`)).toHaveText('1');
	// Another office of theirs: nobody served there.
	await all.getByTestId('ratings-office').selectOption('xuan-huong');
	await expect(all.getByTestId('ratings-empty')).toBeVisible();
});
