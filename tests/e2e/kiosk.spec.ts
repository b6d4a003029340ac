import { rmSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { alwaysOpenTenantDir } from '../support/office-tenant';
import { expect, test } from './fixtures';

/**
 * The commune office's kiosk (/kiosk): an official sets it up once (sign-in, office, staff PIN);
 * a visitor takes a number and gets a receipt with its QR code, printed alone on 58 mm paper; after
 * a while without a touch the kiosk is back at the start and neither IndexedDB nor CacheStorage
 * holds anything of the visitor's ticket; offline it says the office's server cannot be reached;
 * leaving kiosk mode needs the PIN, and 5 wrong ones lock it. The clock is real: the office is made
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
	await page.goto('/kiosk');
	const setup = page.getByTestId('kiosk-setup');
	await setup.getByLabel('Tên đăng nhập').fill('ubnd-lam-vien');
	await setup.getByLabel('Mật khẩu').fill('demo1234');
	await setup.getByRole('button', { name: 'Đăng nhập' }).click();
	await page.getByTestId('kiosk-pin').fill(PIN);
	await page.getByTestId('kiosk-pin-again').fill(PIN);
	await page.getByTestId('kiosk-start').click();
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
