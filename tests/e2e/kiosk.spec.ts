import { rmSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { alwaysOpenTenantDir } from '../support/office-tenant';
import { expect, test } from './fixtures';
import { pullAll, staffLogin } from './support/api';
import { photo } from './support/resident';

/**
 * The commune office's kiosk (/kiosk): an official sets it up once (sign-in, office, staff PIN);
 * a visitor takes a number and gets a receipt with its QR code, printed alone on 58 mm paper; after
 * a while without a touch the kiosk is back at the start and neither IndexedDB nor CacheStorage
 * holds anything of the visitor's ticket; offline it says the office's server cannot be reached;
 * leaving kiosk mode needs the PIN, and 5 wrong ones lock it. A visitor files a field report: sent
 * while they wait, a receipt with its tracking code, and nothing of it left on the device. The clock is real: the office is made
 * open at every hour (a copy of the demo province), so the test never depends on when it runs.
 */

const OFFICE = 'lam-vien';
const PIN = '135790';
// Short enough for the test to wait for, long enough for its steps between two touches.
const IDLE_SECONDS = 5;

const TENANT_DIR = alwaysOpenTenantDir(OFFICE, 'caunoi-e2e-kiosk-tenant');
test.use({ tenantDir: TENANT_DIR });
test.afterAll(() => rmSync(TENANT_DIR, { recursive: true, force: true }));

/** Every value of every IndexedDB database and every cached response, as one string. */
async function everythingStored(page: Page): Promise<string> {
	return page.evaluate(async () => {
		const out: string[] = [];
		for (const info of await indexedDB.databases()) {
			if (!info.name) continue;
			const db = await new Promise<IDBDatabase>((ok, fail) => {
				const r = indexedDB.open(info.name!);
				r.onsuccess = () => ok(r.result);
				r.onerror = () => fail(r.error);
			});
			for (const store of Array.from(db.objectStoreNames)) {
				const values = await new Promise<unknown[]>((ok, fail) => {
					const r = db.transaction(store, 'readonly').objectStore(store).getAll();
					r.onsuccess = () => ok(r.result);
					r.onerror = () => fail(r.error);
				});
				out.push(`${info.name}/${store}: ${JSON.stringify(values)}`);
			}
			db.close();
		}
		for (const name of await caches.keys()) {
			const cache = await caches.open(name);
			for (const req of await cache.keys()) {
				const res = await cache.match(req);
				const type = res?.headers.get('content-type') ?? '';
				out.push(`${name} ${req.url}: ${/json|text|javascript/.test(type) ? await res!.text() : type}`);
			}
		}
		return out.join('\n');
	});
}

test('an official sets the kiosk up; a visitor takes and prints a number; the kiosk forgets them; leaving needs the PIN', async ({ page, context }) => {
	test.setTimeout(120_000);
	await page.goto(`/kiosk?idle=${IDLE_SECONDS}`);

	// The official: sign in, the office (theirs, the only one), the PIN twice.
	const setup = page.getByTestId('kiosk-setup');
	await expect(setup.getByRole('heading', { name: 'Cài đặt máy lấy số' })).toBeVisible();
	await setup.getByLabel('Tên đăng nhập').fill('ubnd-lam-vien');
	await setup.getByLabel('Mật khẩu').fill('demo1234');
	await setup.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(setup.getByRole('radio', { name: /Bộ phận Một cửa phường Lâm Viên/ })).toBeChecked();
	await page.getByTestId('kiosk-pin').fill(PIN);
	await page.getByTestId('kiosk-pin-again').fill('135791');
	await page.getByTestId('kiosk-start').click();
	await expect(page.getByTestId('kiosk-pin-error')).toHaveText('Hai lần nhập mã PIN không giống nhau.');
	await page.getByTestId('kiosk-pin-again').fill(PIN);
	await page.getByTestId('kiosk-start').click();
	const kiosk = page.getByTestId('kiosk');
	await expect(kiosk).toHaveAttribute('data-view', 'start');
	await expect(page.getByRole('heading', { name: 'Xin chào! Mời bạn chọn việc cần làm' })).toBeVisible();
	// Kept on the device: the office, the PIN's hash, the kiosk's token — never the PIN, nor the official's session.
	const kept = await page.evaluate(() => localStorage.getItem('cau-noi.kiosk'));
	expect(JSON.parse(kept!)).toMatchObject({ officeId: OFFICE, paperMm: 58, pin: { iterations: expect.any(Number) } });
	expect(kept).not.toContain(PIN);
	expect(await everythingStored(page)).not.toContain('"key":"staff"');

	// A visitor takes a number: the receipt shows it and its QR code.
	await page.getByTestId('kiosk-take').click();
	await page.getByRole('button', { name: 'Đăng ký khai sinh', exact: true }).click();
	const receipt = page.getByTestId('kiosk-receipt');
	await expect(receipt.getByTestId('kiosk-number')).toHaveText('1001');
	await expect(receipt).toContainText('Bộ phận Một cửa phường Lâm Viên');
	await expect(receipt).toContainText('Đăng ký khai sinh');
	await expect(receipt).toContainText(/Lấy lúc \d\d:\d\d/);
	const qrText = (await receipt.getByTestId('ticket-qr').getAttribute('data-text'))!;
	const origin = new URL(page.url()).origin;
	expect(qrText).toMatch(new RegExp(`^${origin}/ticket/view\\?id=[0-9a-f-]{36}$`));
	const ticketId = new URL(qrText).searchParams.get('id')!;

	// Printed: the paper copy alone, as wide as the 58 mm roll (80 mm at most).
	await page.emulateMedia({ media: 'print' });
	const paper = page.getByTestId('kiosk-paper');
	await expect(paper).toBeVisible();
	await expect(paper).toContainText('1001');
	await expect(paper.getByTestId('ticket-qr')).toBeVisible();
	const box = (await paper.boundingBox())!;
	expect(box.width).toBeLessThanOrEqual((80 / 25.4) * 96 + 1);
	expect(box.width).toBeGreaterThanOrEqual((58 / 25.4) * 96 - 1);
	for (const hidden of [receipt, page.getByTestId('kiosk-print'), page.getByTestId('kiosk-exit-open'), page.locator('header.bar')]) await expect(hidden).toBeHidden();
	const pageRule = await page.evaluate(() =>
		[...document.styleSheets].flatMap((s) => [...s.cssRules]).find((r): r is CSSPageRule => r instanceof CSSPageRule && !!r.style.getPropertyValue('size'))?.style.getPropertyValue('size')
	);
	expect(pageRule).toMatch(/^58mm \d+mm$/);
	await page.emulateMedia({ media: 'screen' });
	await expect(paper).toBeHidden();

	// Nobody touches the screen: back to the start, the visitor's number gone from the page and the device.
	await expect(kiosk).toHaveAttribute('data-view', 'start', { timeout: (IDLE_SECONDS + 5) * 1000 });
	await expect(page.getByTestId('kiosk-number')).toHaveCount(0);
	const stored = await everythingStored(page);
	expect(stored.length).toBeGreaterThan(0); // the scan did read the stores (the tenant's config is there)
	for (const trace of [ticketId, '"1001"', qrText]) expect(stored).not.toContain(trace);
	expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(ticketId);

	// Offline (the office's server out of reach): said plainly, nothing kept.
	await context.setOffline(true);
	await page.getByTestId('kiosk-take').click();
	await page.getByRole('button', { name: 'Đăng ký khai sinh', exact: true }).click();
	await expect(page.getByTestId('kiosk-error')).toContainText('Không kết nối được máy chủ của văn phòng');
	await context.setOffline(false);
	await page.getByTestId('kiosk-home').click();
	await expect(kiosk).toHaveAttribute('data-view', 'start');

	// Looking things up: the public pages, in a frame that stays on them.
	await page.getByTestId('kiosk-lookup').click();
	const frame = page.frameLocator('[data-testid="kiosk-frame"]');
	await expect(frame.getByRole('heading', { level: 1 })).toBeVisible();
	const inner = page.frames().find((f) => f.url().includes('/public'))!;
	const left = page.waitForEvent('framenavigated', (f) => f === inner && new URL(f.url()).pathname === '/report');
	await inner.evaluate(() => location.assign('/report'));
	await left; // out of the public pages for a moment…
	await expect.poll(() => new URL(inner.url()).pathname, { timeout: 5_000 }).toBe('/public'); // …and led back
	await page.getByTestId('kiosk-home').click();
	await expect(page.getByTestId('kiosk-frame')).toHaveCount(0);

	// Leaving needs the PIN: a wrong one is refused, the right one leads out.
	await page.getByTestId('kiosk-exit-open').click();
	await page.getByTestId('kiosk-exit-pin').fill('000000');
	await page.getByTestId('kiosk-exit-confirm').click();
	await expect(page.getByTestId('kiosk-exit-error')).toHaveText('Mã PIN không đúng. Còn 4 lần thử.');
	await expect(page.getByTestId('kiosk-admin')).toHaveCount(0);
	await page.getByTestId('kiosk-exit-pin').fill(PIN);
	await page.getByTestId('kiosk-exit-confirm').click();
	await page.getByTestId('kiosk-to-app').click();
	await expect(page).toHaveURL(`${origin}/`);

	// Back in kiosk mode (the setup is kept); 5 wrong PINs lock the exit, a reload too.
	await page.goto('/kiosk');
	await expect(kiosk).toHaveAttribute('data-view', 'start');
	await page.getByTestId('kiosk-exit-open').click();
	for (let i = 0; i < 5; i++) {
		await page.getByTestId('kiosk-exit-pin').fill('999999');
		await page.getByTestId('kiosk-exit-confirm').click();
		if (i < 4) await expect(page.getByTestId('kiosk-exit-error')).toHaveText(`Mã PIN không đúng. Còn ${4 - i} lần thử.`);
	}
	await expect(page.getByTestId('kiosk-exit-locked')).toHaveText('Đã nhập sai 5 lần. Hãy thử lại sau 5 phút.');
	await expect(page.getByTestId('kiosk-exit-pin')).toBeDisabled();
	await page.reload();
	await page.getByTestId('kiosk-exit-open').click();
	await expect(page.getByTestId('kiosk-exit-locked')).toBeVisible();
});

test('a visitor rates, by the number on their paper, the service of a number the kiosk gave them — once', async ({ page, request }) => {
	test.setTimeout(90_000);
	await setUpKiosk(page);
	await page.getByTestId('kiosk-take').click();
	await page.getByRole('button', { name: 'Đăng ký kết hôn', exact: true }).click();
	const number = (await page.getByTestId('kiosk-receipt').getByTestId('kiosk-number').textContent())!.trim();
	const ticketId = new URL((await page.getByTestId('kiosk-receipt').getByTestId('ticket-qr').getAttribute('data-text'))!).searchParams.get('id')!;
	await page.getByTestId('kiosk-home').click();

	const rateNumber = async (level: string) => {
		await page.getByTestId('kiosk-rate').click();
		await page.getByTestId('kiosk-rate-number').fill(number);
		await page.getByText(level, { exact: true }).click();
		await page.getByTestId('kiosk-rate-send').click();
	};
	// Not served yet: said plainly, the number typed stays.
	await rateNumber('Rất hài lòng');
	await expect(page.getByTestId('kiosk-rate-error')).toContainText('Quầy chưa giải quyết xong cho bạn');
	await expect(page.getByTestId('kiosk-rate-number')).toHaveValue(number);

	// The counter serves it (the official, by the API).
	const login = await request.post('/api/auth/login', { data: { username: 'ubnd-lam-vien', password: 'demo1234' } });
	const staff = ((await login.json()) as { token: string }).token;
	const counter = `/api/office/offices/${OFFICE}/counters/quay-1`;
	const post = async (path: string) => expect((await request.post(`${counter}${path}`, { headers: { authorization: `Bearer ${staff}` }, data: {} })).status()).toBe(200);
	await post('/session');
	await post(`/tickets/${ticketId}/call`);
	await post(`/tickets/${ticketId}/finish`);

	await page.getByTestId('kiosk-rate-send').click();
	await expect(page.getByTestId('kiosk-rate-done')).toHaveText(`Cảm ơn bạn đã đánh giá số ${number}.`);
	// Thanked, then back to the start for the next visitor; a second rating is refused.
	await expect(page.getByTestId('kiosk')).toHaveAttribute('data-view', 'start', { timeout: 10_000 });
	await rateNumber('Hài lòng');
	await expect(page.getByTestId('kiosk-rate-error')).toContainText('Lượt phục vụ này đã được đánh giá rồi');
	// A number this kiosk never gave.
	await page.getByTestId('kiosk-rate-number').fill('9999');
	await page.getByTestId('kiosk-rate-send').click();
	await expect(page.getByTestId('kiosk-rate-error')).toHaveText('Không thấy số này trong các số lấy ở máy này hôm nay. Hãy xem lại số trên phiếu.');
});

/** An official signs in, chooses the PIN: the kiosk's start screen. */
async function setUpKiosk(page: Page, path = '/kiosk') {
	await page.goto(path);
	const setup = page.getByTestId('kiosk-setup');
	await setup.getByLabel('Tên đăng nhập').fill('ubnd-lam-vien');
	await setup.getByLabel('Mật khẩu').fill('demo1234');
	await setup.getByRole('button', { name: 'Đăng nhập' }).click();
	await page.getByTestId('kiosk-pin').fill(PIN);
	await page.getByTestId('kiosk-pin-again').fill(PIN);
	await page.getByTestId('kiosk-start').click();
	await expect(page.getByTestId('kiosk')).toHaveAttribute('data-view', 'start');
}

/** Fills the kiosk's report form: a photo, "Môi trường", the description, the office's ward (first in the list), a phone. */
async function fillKioskReport(page: Page, description: string, phone: string) {
	await page.getByTestId('kiosk-report-open').click();
	const form = page.getByTestId('kiosk-report-form');
	await expect(form).toBeVisible();
	await page.getByTestId('photo-gallery').setInputFiles([photo('path.jpg')]);
	await expect(form.getByTestId('photo-thumb')).toHaveCount(1, { timeout: 30_000 });
	await page.getByRole('radio', { name: 'Môi trường', exact: true }).check();
	await page.getByLabel('Mô tả').fill(description);
	await page.getByTestId('open-ward-picker').click();
	// The office's own ward heads the list.
	const first = page.getByTestId('ward-picker').getByRole('option').first();
	await expect(first).toContainText('Lâm Viên');
	await first.click();
	await page.getByLabel('Số điện thoại').fill(phone);
}

test('a visitor files a field report: sent while they wait, a receipt with its tracking code; offline it says so; the kiosk keeps nothing of either', async ({ page, context, request }) => {
	test.setTimeout(120_000);
	await setUpKiosk(page, '/kiosk?idle=60');
	const kiosk = page.getByTestId('kiosk');

	const description = `Cống thoát nước bị tắc trước chợ ${Date.now()}`;
	const phone = '0913 572 468';
	await fillKioskReport(page, description, phone);
	// Large, but still a form a screen reader can fill (axe-core: no serious or critical violation).
	const axe = await new AxeBuilder({ page }).include('[data-testid="kiosk-report"]').analyze();
	expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
	await page.getByTestId('kiosk-report-send').click();

	const receipt = page.getByTestId('kiosk-receipt');
	await expect(kiosk).toHaveAttribute('data-view', 'report-receipt', { timeout: 30_000 });
	await expect(receipt).toContainText('Mã tra cứu phản ánh');
	await expect(receipt).toContainText('Môi trường');
	await expect(receipt).toContainText('Lâm Viên');
	const code = (await receipt.getByTestId('kiosk-number').textContent())!.trim();
	expect(code).toMatch(/^[A-Z]{2,4}-/);
	const qr = new URL((await receipt.getByTestId('ticket-qr').getAttribute('data-text'))!);
	expect(qr.pathname).toBe('/public/report');
	expect(qr.searchParams.get('code')).toBe(code);
	// The server holds it, with its photo, under that code (what the QR leads to).
	const found = await request.get(`/api/public/codes/${encodeURIComponent(code)}`);
	expect(found.status()).toBe(200);
	expect(JSON.stringify(await found.json())).toContain(description);

	// "Xong": back to the start, and nothing of the visitor on the device.
	await page.getByTestId('kiosk-done').click();
	await expect(kiosk).toHaveAttribute('data-view', 'start');
	await expect.poll(async () => (await everythingStored(page)).includes(description), { timeout: 5_000 }).toBe(false);
	const stored = await everythingStored(page);
	for (const trace of [description, '0913572468', phone, code]) expect(stored).not.toContain(trace);

	// The office's server out of reach: the visitor is told, may try again; the link back, it goes by itself.
	const late = `Cây đổ chắn đường ${Date.now()}`;
	await fillKioskReport(page, late, '0913 572 469');
	await context.setOffline(true);
	await page.getByTestId('kiosk-report-send').click();
	await expect(page.getByTestId('kiosk-report-error')).toContainText('Không kết nối được máy chủ của văn phòng, nên phản ánh chưa được gửi');
	await page.getByTestId('kiosk-report-retry').click();
	await expect(page.getByTestId('kiosk-report-error')).toBeVisible();
	await context.setOffline(false);
	await expect(kiosk).toHaveAttribute('data-view', 'report-receipt', { timeout: 30_000 });
	await expect(receipt.getByTestId('kiosk-number')).toHaveText(/^[A-Z]{2,4}-/);
	await page.getByTestId('kiosk-done').click();

	// Still out of reach when the visitor gives up: erased from the kiosk, and never sent behind their back.
	const unsent = `Đèn đường hỏng ở ngõ 12 ${Date.now()}`;
	await fillKioskReport(page, unsent, '0987 654 321');
	await context.setOffline(true);
	await page.getByTestId('kiosk-report-send').click();
	await expect(page.getByTestId('kiosk-report-error')).toBeVisible();
	await page.getByTestId('kiosk-report-discard').click();
	await expect(kiosk).toHaveAttribute('data-view', 'start');
	await expect.poll(async () => (await everythingStored(page)).includes(unsent), { timeout: 5_000 }).toBe(false);
	expect(await everythingStored(page)).not.toContain('0987654321');
	await context.setOffline(false);
	// Erased, not sent later behind the visitor's back: the ward's handler has the first report, not this one.
	await page.waitForTimeout(2_000);
	const handler = await staffLogin(request, 'ubnd-lam-vien');
	const inScope = JSON.stringify(await pullAll(request, handler.token, 'reports'));
	expect(inScope).toContain(description);
	expect(inScope).toContain(late);
	expect(inScope).not.toContain(unsent);
});
