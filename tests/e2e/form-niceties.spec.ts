import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { wardDistances, type BoundaryCollection } from '$lib/domain/geo';
import type { TenantConfig } from '$lib/domain/tenant';
import { orderWards } from '$lib/report/ward-order';
import { expect, prepareContext, test } from './fixtures';
import { DEMO_PASSWORD, XUAN_HUONG_POINT, photo, primeForOffline } from './support/resident';

/**
 * What residents of such apps expect from the report form on a phone (issue 10, "Missing"): the
 * photo buttons without scrolling, the ward list in a useful order (nearest first, else
 * alphabetical; a volunteer team's own communes first), upload progress that moves at once on a
 * slow link, in bytes and time left, and an install button where the browser offers one.
 */

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'vi-VN' });

const TENANT_DIR = path.resolve('data/tenants/lam-dong');
const tenant = JSON.parse(readFileSync(path.join(TENANT_DIR, 'tenant.json'), 'utf8')) as TenantConfig & { boundaries: string };
const boundaries = JSON.parse(readFileSync(path.join(TENANT_DIR, tenant.boundaries), 'utf8')) as BoundaryCollection;

async function openForm(page: Page) {
	await page.goto('/report');
	await expect(page.getByTestId('report-form')).toBeVisible();
}

/** The names the ward picker lists, in order. */
async function listedWards(page: Page): Promise<string[]> {
	const options = page.getByTestId('ward-picker').getByRole('option');
	// The list is drawn a screenful at a time, right after the page: all of it comes.
	await expect(options).toHaveCount(tenant.adminUnits.length);
	return (await options.allTextContents()).map((s) => s.trim());
}

test('a 360×740 phone shows the take-photo and gallery buttons without scrolling', async ({ page }) => {
	await openForm(page);
	for (const id of ['photo-camera', 'photo-gallery']) {
		const button = page.locator('label', { has: page.getByTestId(id) });
		const box = (await button.boundingBox())!;
		expect(box, id).not.toBeNull();
		expect(box.y + box.height, `${id} ends above the fold`).toBeLessThanOrEqual(740);
	}
	expect(await page.evaluate(() => window.scrollY)).toBe(0);
});

test('the ward list: alphabetical without a location, nearest first with one', async ({ page, context }) => {
	await openForm(page);
	await page.getByTestId('open-ward-picker').click();
	const alphabetical = orderWards(tenant.adminUnits, { locale: 'vi' }).map((u) => u.name);
	expect(alphabetical.slice(0, 3)).not.toEqual(tenant.adminUnits.slice(0, 3).map((u) => u.name)); // the data's own order differs
	expect(await listedWards(page)).toEqual(alphabetical);

	await context.grantPermissions(['geolocation']);
	await context.setGeolocation(XUAN_HUONG_POINT);
	await page.getByTestId('use-my-location').click();
	await expect(page.getByTestId('detected-ward')).toContainText('Xuân Hương');
	await page.getByTestId('open-ward-picker').click();
	const distances = wardDistances(boundaries)(XUAN_HUONG_POINT.latitude, XUAN_HUONG_POINT.longitude);
	const nearest = orderWards(tenant.adminUnits, { locale: 'vi', distances }).map((u) => u.name);
	expect(nearest[0]).toBe('Phường Xuân Hương - Đà Lạt');
	await expect.poll(() => listedWards(page)).toEqual(nearest);
	// The neighbours of Đà Lạt come next, not the coast.
	expect((await listedWards(page)).slice(1, 5).every((n) => n.includes('Đà Lạt'))).toBe(true);
});

test("a volunteer team's own communes head the ward list", async ({ page }) => {
	await page.goto('/volunteer');
	await page.getByLabel('Tên đăng nhập').fill('tcns-xuan-truong');
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByTestId('volunteer-name')).toContainText('Tổ CNS Xuân Trường');
	await page.getByTestId('assisted-form').getByTestId('open-ward-picker').click();
	const listed = await listedWards(page);
	expect(listed[0]).toBe('Phường Xuân Trường - Đà Lạt');
	expect(listed.slice(1)).toEqual(orderWards(tenant.adminUnits, { locale: 'vi' }).map((u) => u.name).filter((n) => n !== listed[0]));
});

test('on a slow link the upload shows bytes sent and time left within a second or two, long before the first photo is sent', async ({
	page,
	context
}) => {
	test.setTimeout(180_000);
	await context.grantPermissions(['geolocation']);
	await context.setGeolocation(XUAN_HUONG_POINT);
	await primeForOffline(page);
	await openForm(page);
	await page.getByRole('radio', { name: 'Môi trường', exact: true }).check();
	await page.getByTestId('photo-gallery').setInputFiles([photo('autumn.jpg'), photo('path.jpg')]);
	await expect(page.getByTestId('report-form').getByTestId('photo-thumb')).toHaveCount(2, { timeout: 30_000 });
	await page.getByLabel('Mô tả').fill(`Rác đổ bên hồ, mạng yếu ${Date.now()}`);
	await page.getByTestId('use-my-location').click();
	await expect(page.getByTestId('detected-ward')).toContainText('Xuân Hương');

	// A weak 3G uplink: 30 KB/s (240 kbit/s), 200 ms of latency.
	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 200, downloadThroughput: 100_000, uploadThroughput: 30_000 });
	await page.getByRole('button', { name: 'Gửi', exact: true }).click();
	await expect(page).toHaveURL(/\/outbox$/, { timeout: 30_000 });

	const item = page.getByTestId('outbox-item').first();
	await expect(item).toHaveAttribute('data-state', 'photos', { timeout: 60_000 });
	const photosAt = Date.now();
	const bytes = item.getByTestId('upload-bytes');
	await expect.poll(async () => Number((await bytes.getAttribute('data-sent').catch(() => null)) ?? 0), { timeout: 5_000, intervals: [100] }).toBeGreaterThan(0);
	const movedAfterMs = Date.now() - photosAt;
	const total = Number(await bytes.getAttribute('data-total'));
	const firstSent = Number(await bytes.getAttribute('data-sent'));
	// Both photos, as the phone prepared them (resized), counted as one whole: "0,05/0,4 MB".
	expect(total).toBeGreaterThan(100_000);
	expect(firstSent).toBeLessThan(total / 2);
	await expect(bytes).toHaveText(/^\d+(,\d+)?\/\d+(,\d+)? MB/);
	expect(Number(await item.locator('progress').getAttribute('value'))).toBeGreaterThan(0);
	// Time left once the rate is measured (a second or more of sending).
	await expect(bytes).toContainText(/còn ~\d+ (giây|phút)/, { timeout: 10_000 });
	const shown = await bytes.textContent();
	test.info().annotations.push({ type: 'measured', description: `bar moved ${movedAfterMs} ms after the photos started; first ${firstSent} B of ${total} B; then "${shown}"` });
	console.log(`[form-niceties] upload moved ${movedAfterMs} ms after 'photos'; total ${total} B; shown "${shown}"`);
	expect(movedAfterMs).toBeLessThan(3_000);

	await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
	await expect(item).toHaveAttribute('data-state', 'delivered', { timeout: 60_000 });
});

/** What Chrome does when the app qualifies for installing: a `beforeinstallprompt` event. */
async function offerInstall(page: Page): Promise<boolean> {
	return page.evaluate(() => {
		const offer = new Event('beforeinstallprompt', { cancelable: true }) as Event & { prompt(): Promise<void>; userChoice: Promise<{ outcome: string }> };
		offer.prompt = async () => void ((window as unknown as { prompted: number }).prompted = ((window as unknown as { prompted?: number }).prompted ?? 0) + 1);
		offer.userChoice = Promise.resolve({ outcome: 'accepted' });
		window.dispatchEvent(offer);
		return offer.defaultPrevented;
	});
}

test('"Cài ứng dụng" shows where the browser offers to install, prompts, and once dismissed stays away', async ({ page, browser, baseURL }) => {
	await page.goto('/');
	await expect(page.getByTestId('home-report')).toBeVisible();
	await expect(page.getByTestId('install-prompt')).toHaveCount(0);
	expect(await offerInstall(page)).toBe(true);
	await expect(page.getByRole('button', { name: 'Cài ứng dụng' })).toBeVisible();
	await page.getByTestId('install-dismiss').click();
	await expect(page.getByTestId('install-prompt')).toHaveCount(0);

	await page.reload();
	await expect(page.getByTestId('home-report')).toBeVisible();
	// Remembered: the browser's own offer is left alone, no button.
	expect(await offerInstall(page)).toBe(false);
	await expect(page.getByTestId('install-prompt')).toHaveCount(0);

	// Another phone: the button opens the browser's install dialog.
	const other = await browser.newContext({ baseURL, locale: 'vi-VN' });
	await prepareContext(other);
	const phone = await other.newPage();
	await phone.goto('/');
	await expect(phone.getByTestId('home-report')).toBeVisible();
	await offerInstall(phone);
	await phone.getByRole('button', { name: 'Cài ứng dụng' }).click();
	await expect.poll(() => phone.evaluate(() => (window as unknown as { prompted?: number }).prompted)).toBe(1);
	await expect(phone.getByTestId('install-prompt')).toHaveCount(0);
	await other.close();
});
