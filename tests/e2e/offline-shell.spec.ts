import { Script } from 'node:vm';
import { expect, test } from './fixtures';
import { waitForServiceWorker } from './support/resident';

/**
 * The PWA shell: after one visit online, the app opens without a network (service worker +
 * precache + SPA fallback), and it is installable (manifest with proper icons).
 */

test('after the first visit, home, report form and outbox open offline', async ({ page, context }) => {
	await page.goto('/');
	await expect(page.getByRole('link', { name: 'Cầu Nối', exact: true })).toBeVisible();
	await waitForServiceWorker(page);

	// Open the form once online, so the tenant's categories and wards are on the device.
	await page.getByTestId('home-report').click();
	await expect(page.getByRole('heading', { level: 1, name: 'Gửi phản ánh' })).toBeVisible();
	await expect(page.getByTestId('report-form')).toBeVisible();
	await expect(page.getByTestId('offline-banner')).toBeHidden();

	await context.setOffline(true);

	// A reload of a deep link: nothing but the service worker can answer it now.
	const reloaded = await page.reload();
	expect(reloaded?.fromServiceWorker()).toBe(true);
	// The form's own prerendered page, not the empty shell: it paints before the app starts.
	expect(await reloaded!.text()).toContain('Gửi phản ánh</h1>');
	await expect(page.getByRole('heading', { level: 1, name: 'Gửi phản ánh' })).toBeVisible();
	await expect(page.getByTestId('report-form')).toBeVisible();
	await expect(page.getByTestId('offline-banner')).toBeVisible();
	await expect(page.getByTestId('offline-banner')).toContainText('ngoại tuyến');

	const home = await page.goto('/');
	expect(home?.fromServiceWorker()).toBe(true);
	await expect(page.getByRole('link', { name: 'Cầu Nối', exact: true })).toBeVisible();
	await expect(page.getByTestId('home-report')).toContainText('Gửi phản ánh');
	await expect(page.getByTestId('offline-banner')).toBeVisible();

	// Never opened before, still there: the whole app was precached, not just what was visited.
	const outbox = await page.goto('/outbox');
	expect(outbox?.fromServiceWorker()).toBe(true);
	await expect(page.getByRole('heading', { level: 1, name: 'Hộp thư đi' })).toBeVisible();
	await expect(page.getByTestId('offline-banner')).toBeVisible();

	// Back online: the banner goes away without a reload.
	await context.setOffline(false);
	await expect(page.getByTestId('offline-banner')).toBeHidden();
});

/** Width and height from a PNG's IHDR chunk. */
test('the service worker is a classic script: no import.meta, no import() (a worker cannot load code later)', async ({ request }) => {
	const code = await (await request.get('/service-worker.js')).text();
	// A module-only construct in it (what a lazy import() in code the worker shares makes) and the
	// browser refuses to install it: no offline app, no Background Sync.
	expect(() => new Script(code, { filename: 'service-worker.js' })).not.toThrow();
	expect(code).not.toMatch(/\bimport\s*\(/);
});

function pngSize(bytes: Buffer): { width: number; height: number } {
	expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('the app is installable: manifest linked, parsable, with 192, 512 and maskable PNG icons', async ({
	page,
	request
}) => {
	await page.goto('/');
	const href = await page.locator('link[rel="manifest"]').getAttribute('href');
	// A prerendered page names it relative to itself (`./manifest.webmanifest`), the shell absolutely.
	expect(new URL(href!, page.url()).pathname).toBe('/manifest.webmanifest');

	// The manifest's URLs are relative to it, so that a build under a path (BASE_PATH) installs there.
	const manifestUrl = new URL(href!, page.url());
	const res = await request.get(manifestUrl.href);
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toMatch(/json/);
	const manifest = JSON.parse(await res.text()) as {
		name: string;
		short_name: string;
		lang: string;
		start_url: string;
		scope: string;
		display: string;
		icons: { src: string; sizes: string; type: string; purpose?: string }[];
	};
	expect(manifest).toMatchObject({
		name: 'Cầu Nối — Phản ánh hiện trường',
		short_name: 'Cầu Nối',
		lang: 'vi',
		display: 'standalone'
	});
	const root = new URL('/', page.url()).href;
	expect(new URL(manifest.start_url, manifestUrl).href).toBe(root);
	expect(new URL(manifest.scope, manifestUrl).href).toBe(root);

	const png = manifest.icons.filter((i) => i.type === 'image/png');
	const purposes = (i: { purpose?: string }) => (i.purpose ?? 'any').split(/\s+/);
	expect(png.some((i) => i.sizes === '192x192' && purposes(i).includes('any'))).toBe(true);
	expect(png.some((i) => i.sizes === '512x512' && purposes(i).includes('any'))).toBe(true);
	expect(png.some((i) => i.sizes === '512x512' && purposes(i).includes('maskable'))).toBe(true);

	for (const icon of manifest.icons) {
		const got = await request.get(new URL(icon.src, manifestUrl).href);
		expect(got.status(), icon.src).toBe(200);
		expect(got.headers()['content-type'], icon.src).toContain(icon.type);
		if (icon.type === 'image/png') {
			const [w, h] = icon.sizes.split('x').map(Number);
			expect(pngSize(await got.body()), icon.src).toEqual({ width: w, height: h });
		}
	}
});
