/**
 * Steps of the resident's and the handler's journeys shared by the end-to-end specs: priming the
 * PWA for offline use, filling the report form, logging a handler in. Selectors are the ones a
 * user sees (Vietnamese labels and button texts) or the app's data-testids.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import { wardLocator, type BoundaryCollection } from '$lib/domain/geo';
import { prepareContext, expect } from '../fixtures';

export const PHOTOS_DIR = path.resolve('tests/fixtures/photos');
export const photo = (name: string) => path.join(PHOTOS_DIR, name);
export const DEMO_PASSWORD = 'demo1234';

/** By Hồ Xuân Hương, central Đà Lạt (the demo tenant's map centre). */
export const XUAN_HUONG_POINT = { latitude: 11.9404, longitude: 108.4583 };
export const XUAN_HUONG_CODE = '24781';

/**
 * The ward the geolocation point lies in, checked against the tenant's boundaries with the app's own
 * locator, so a change in the data fails here with a clear message instead of deep in a test.
 */
export function wardAt(point: { latitude: number; longitude: number }, tenantDir = 'data/tenants/lam-dong') {
	const boundaries = JSON.parse(readFileSync(path.resolve(tenantDir, 'boundaries.geojson'), 'utf8')) as BoundaryCollection;
	return wardLocator(boundaries)(point.latitude, point.longitude);
}

/** A second browser (another phone, an official's PC) that cannot reach the internet either. */
export async function newLocalContext(
	browser: Browser,
	baseURL: string,
	extra: Parameters<Browser['newContext']>[0] = {}
): Promise<BrowserContext> {
	const context = await browser.newContext({ baseURL, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...extra });
	await prepareContext(context);
	return context;
}

/** Waits until the service worker is activated and controls the page (clients.claim on install). */
export async function waitForServiceWorker(page: Page): Promise<void> {
	const state = await page.evaluate(async () => {
		const reg = await navigator.serviceWorker.ready;
		if (!navigator.serviceWorker.controller) {
			await new Promise((resolve) =>
				navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
			);
		}
		// The controller is set while the worker is still activating (clients.claim runs inside
		// `activate`): wait for the end of activation too.
		const active = reg.active!;
		if (active.state !== 'activated') {
			await new Promise<void>((resolve) =>
				active.addEventListener('statechange', () => active.state === 'activated' && resolve())
			);
		}
		return active.state;
	});
	expect(state).toBe('activated');
}

/** Keys present in the app's Dexie `tenant` table (config, wardBoundaries), without creating the database. */
export async function cachedTenantKeys(page: Page): Promise<string[]> {
	return page.evaluate(async () => {
		const dbs = await indexedDB.databases();
		if (!dbs.some((d) => d.name === 'cau-noi-local')) return [];
		return new Promise<string[]>((resolve) => {
			const open = indexedDB.open('cau-noi-local');
			open.onerror = () => resolve([]);
			open.onsuccess = () => {
				const db = open.result;
				if (!db.objectStoreNames.contains('tenant')) return db.close(), resolve([]);
				const keys = db.transaction('tenant').objectStore('tenant').getAllKeys();
				keys.onsuccess = () => (db.close(), resolve(keys.result.map(String)));
				keys.onerror = () => (db.close(), resolve([]));
			};
		});
	});
}

/**
 * The first visit online: the service worker controls the page (the app is precached) and the
 * tenant's categories and ward boundaries are on the device. After this the form works offline.
 */
export async function primeForOffline(page: Page): Promise<void> {
	await page.goto('/');
	await expect(page.getByTestId('home-report')).toBeVisible();
	await waitForServiceWorker(page);
	await expect
		.poll(() => cachedTenantKeys(page), { timeout: 20_000, message: 'tenant config and boundaries cached' })
		.toEqual(expect.arrayContaining(['config', 'wardBoundaries']));
}

export interface ReportFields {
	/** Category name as shown on its tile, e.g. "Môi trường". */
	category: string;
	description: string;
	photos: string[];
	name?: string;
	phone?: string;
	/** The ward the form should detect from the device's location (part of its name); Xuân Hương when unset. */
	ward?: string;
	/** The app's path on its host (a province under a path: '/dak-lak'); '' when unset. */
	base?: string;
}

/** Opens the form, fills it like a resident (gallery photos, GPS), presses "Gửi", lands on the outbox. */
export async function fileReport(page: Page, fields: ReportFields): Promise<void> {
	await page.goto(`${fields.base ?? ''}/report`);
	const form = page.getByTestId('report-form');
	await expect(form).toBeVisible();

	await page.getByRole('radio', { name: fields.category, exact: true }).check();
	await page.getByTestId('photo-gallery').setInputFiles(fields.photos);
	await expect(form.getByTestId('photo-thumb')).toHaveCount(fields.photos.length, { timeout: 30_000 });
	await page.getByLabel('Mô tả').fill(fields.description);

	await page.getByRole('button', { name: 'Dùng vị trí của tôi' }).click();
	await expect(page.getByTestId('detected-ward')).toContainText(fields.ward ?? 'Xuân Hương');

	if (fields.name) await page.getByLabel('Họ và tên').fill(fields.name);
	if (fields.phone) await page.getByLabel('Số điện thoại').fill(fields.phone);

	const send = page.getByRole('button', { name: 'Gửi', exact: true });
	await expect(send).toBeEnabled();
	await send.click();
	await expect(page).toHaveURL(/\/outbox$/, { timeout: 15_000 });
}

/** The outbox row of the report whose description is `description`. */
export function outboxItem(page: Page, description: string): Locator {
	return page.getByTestId('outbox-item').filter({ hasText: description });
}

/** Logs a demo handler in on /handler (under `base`, for a province under a path) and waits for their (live) inbox. */
export async function loginHandler(page: Page, username: string, base = ''): Promise<void> {
	await page.goto(`${base}/handler`);
	await page.getByLabel('Tên đăng nhập').fill(username);
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByTestId('logout')).toBeVisible({ timeout: 20_000 });
}
