import { expect, test } from './fixtures';
import { primeForOffline, XUAN_HUONG_POINT } from './support/resident';

/**
 * The province's ward boundaries cost a first visit only their compact form, fetched by the ward
 * worker after the page is up (map/ward-detect.ts): the page itself never downloads the GeoJSON,
 * and the report form finds the ward from the GPS offline afterwards.
 */
test('the first visit stores the compact boundaries through the worker; the form finds the ward offline', async ({ page, context }) => {
	const fetched: string[] = [];
	context.on('request', (r) => {
		const p = new URL(r.url()).pathname;
		if (p.startsWith('/api/tenant/boundaries')) fetched.push(p);
	});
	await primeForOffline(page);
	expect(page.workers().some((w) => /ward\.worker/.test(w.url()))).toBe(true);
	expect(fetched).toEqual(['/api/tenant/boundaries.compact']);

	await context.setOffline(true);
	await context.grantPermissions(['geolocation']);
	await context.setGeolocation(XUAN_HUONG_POINT);
	await page.goto('/report');
	await page.getByTestId('use-my-location').click();
	await expect(page.getByTestId('detected-ward')).toContainText('Xuân Hương');
	expect(fetched).toEqual(['/api/tenant/boundaries.compact']);
});
