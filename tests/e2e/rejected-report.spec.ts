import type { TenantConfig } from '$lib/domain/tenant';
import { translate } from '$lib/i18n/messages';
import { XUAN_HUONG_POINT, fileReport, outboxItem, photo, primeForOffline } from './support/resident';
import { expect, test } from './support/restartable-server';

/**
 * A report the server refuses shows why, in words the resident understands, and does not hold back
 * the next one. The realistic cause: the phone cached the province's category list, then the
 * province stopped using a category while the phone was offline.
 */

test.use({ permissions: ['geolocation'], geolocation: XUAN_HUONG_POINT });

const REMOVED = { code: 'market-prices', name: 'Giá cả thị trường' };

/** The demo tenant without one category (and without the routing rules that named it). */
function withoutCategory(code: string) {
	return (demo: TenantConfig): TenantConfig => ({
		...demo,
		categories: demo.categories.filter((c) => c.code !== code),
		routingRules: demo.routingRules
			.map((r) => (Array.isArray(r.categories) ? { ...r, categories: r.categories.filter((c) => c !== code) } : r))
			.filter((r) => !Array.isArray(r.categories) || r.categories.length > 0)
	});
}

test('a report in a category the province removed needs attention with the reason; the next one is delivered; fixed, it is delivered', async ({
	page,
	context,
	ownServer
}) => {
	test.setTimeout(120_000);

	await primeForOffline(page);
	await context.setOffline(true);

	const stale = `Giá rau tăng gấp đôi ở chợ Đà Lạt ${Date.now()}`;
	const valid = `Đống rác trên đường Trần Phú ${Date.now()}`;
	await fileReport(page, { category: REMOVED.name, description: stale, photos: [photo('colorful-cups.jpg')] });
	await fileReport(page, { category: 'Môi trường', description: valid, photos: [photo('path.jpg')] });
	await expect(outboxItem(page, stale)).toHaveAttribute('data-state', 'waiting');
	await expect(outboxItem(page, valid)).toHaveAttribute('data-state', 'waiting');

	// Meanwhile the province drops the category.
	await ownServer.stop();
	await ownServer.start({ tenant: withoutCategory(REMOVED.code) });
	expect(ownServer.handle!.tenant.categories.map((c) => c.code)).not.toContain(REMOVED.code);

	await context.setOffline(false);

	// Refused, with the reason in Vietnamese and a way out…
	const refused = outboxItem(page, stale);
	await expect(refused).toHaveAttribute('data-state', 'needs_attention', { timeout: 30_000 });
	const reason = refused.getByTestId('attention-reason');
	await expect(reason).toHaveAttribute('data-code', 'unknown_category');
	await expect(reason).toHaveText(translate('vi', 'errors.unknown_category'));
	await expect(refused.getByTestId('tracking-code')).toHaveCount(0);

	// …and the report filed after it is not held back.
	const delivered = outboxItem(page, valid);
	await expect(delivered).toHaveAttribute('data-state', 'delivered', { timeout: 30_000 });
	await expect(delivered.getByTestId('tracking-code')).toHaveText(/^LD-\d{6}-[A-Z0-9]+$/);
	// Still refused: it is not retried in a loop.
	await expect(refused).toHaveAttribute('data-state', 'needs_attention');

	// "Sửa": back in the form, nothing lost; the removed category is no longer offered.
	await refused.getByRole('button', { name: 'Sửa', exact: true }).click();
	await expect(page).toHaveURL(/\/report$/);
	const form = page.getByTestId('report-form');
	await expect(page.getByLabel('Mô tả')).toHaveValue(stale);
	await expect(form.getByTestId('photo-thumb')).toHaveCount(1);
	await expect(form.locator('[data-testid=photo-thumb] img')).toHaveJSProperty('complete', true);
	expect(await form.locator('[data-testid=photo-thumb] img').evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0);
	await expect(page.getByTestId('detected-ward')).toContainText('Xuân Hương');
	await expect(page.getByRole('radio', { name: REMOVED.name })).toHaveCount(0);

	await page.getByRole('radio', { name: 'Trật tự đô thị', exact: true }).check();
	await page.getByRole('button', { name: 'Gửi', exact: true }).click();
	await expect(page).toHaveURL(/\/outbox$/);

	const resent = outboxItem(page, stale);
	await expect(resent).toHaveCount(1);
	await expect(resent).toHaveAttribute('data-state', 'delivered', { timeout: 30_000 });
	await expect(resent.getByTestId('tracking-code')).toHaveText(/^LD-\d{6}-[A-Z0-9]+$/);
	await expect(resent).toContainText('Trật tự đô thị');
	await expect(outboxItem(page, valid)).toHaveAttribute('data-state', 'delivered');
	await expect(page.locator('[data-testid=outbox-item][data-state=needs_attention]')).toHaveCount(0);
});
