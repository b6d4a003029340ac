import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { pageJpeg } from './support/dossier-pages';

/**
 * Cropping a photographed page on the phone before it is sent (/dossier/file): the table around the
 * paper cut off with the keyboard alone (or a finger), the page kept under its own id, smaller, and
 * still so after a reload. Cancelling changes nothing; a PDF offers no crop.
 */

const PROCEDURE = '1.001193';

const firstDoc = (page: Page) => page.locator('[data-testid="application-document"][data-index="0"]');
const firstPage = (page: Page) => firstDoc(page).getByTestId('application-page').first();

/** What the page row says and what its thumbnail really is. */
async function shown(page: Page) {
	const li = firstPage(page);
	const img = li.locator('img');
	await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
	return {
		id: await li.getAttribute('data-file-id'),
		width: Number(await li.getAttribute('data-width')),
		height: Number(await li.getAttribute('data-height')),
		natural: await img.evaluate((el: HTMLImageElement) => [el.naturalWidth, el.naturalHeight])
	};
}

test('a page cropped with the arrow keys is kept smaller under its own id, and stays so after a reload', async ({ page }) => {
	test.setTimeout(90_000);
	await page.goto(`/procedures/view?code=${PROCEDURE}`);
	await page.getByTestId('procedure-file-online').click();
	await expect(page.getByTestId('application-form')).toBeVisible({ timeout: 20_000 });

	await firstDoc(page).getByTestId('page-file').setInputFiles([await pageJpeg(0)]);
	await expect(firstDoc(page).getByTestId('application-page')).toHaveCount(1, { timeout: 30_000 });
	const before = await shown(page);
	expect([before.width, before.height]).toEqual([900, 1200]);
	expect(before.natural).toEqual([900, 1200]);

	// Cancelled: the page is as it was.
	const open = firstDoc(page).getByRole('button', { name: 'Cắt (Trang 1)' });
	await open.click();
	const dialog = page.getByRole('dialog', { name: /^Cắt .* · Trang 1$/ });
	await expect(dialog).toBeVisible();
	await dialog.getByRole('button', { name: 'Góc dưới bên phải' }).press('Shift+ArrowUp');
	await dialog.getByRole('button', { name: 'Hủy' }).click();
	await expect(dialog).toHaveCount(0);
	await expect(open).toBeFocused();
	expect((await shown(page)).width).toBe(900);

	// Opens just inside the edges; the bottom-right corner goes up 10 % and left 20 %.
	await open.click();
	await expect(dialog.getByTestId('page-crop-size')).toHaveText('Giữ lại 94% chiều ngang, 94% chiều dọc của trang.');
	const corner = dialog.getByRole('button', { name: 'Góc dưới bên phải' });
	await corner.focus();
	for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowUp');
	await page.keyboard.press('Shift+ArrowLeft');
	await page.keyboard.press('Shift+ArrowLeft');
	await expect(dialog.getByTestId('page-crop-size')).toHaveText('Giữ lại 74% chiều ngang, 84% chiều dọc của trang.');
	await dialog.getByRole('button', { name: 'Áp dụng' }).click();
	await expect(dialog).toHaveCount(0);

	// 3 %…77 % of 900 px and 3 %…87 % of 1200 px.
	await expect(firstPage(page)).toHaveAttribute('data-width', '666');
	const after = await shown(page);
	expect(after).toEqual({ id: before.id, width: 666, height: 1008, natural: [666, 1008] });
	await expect(firstDoc(page).getByTestId('application-page')).toHaveCount(1);
	await expect(page.getByTestId('application-form')).toHaveAttribute('data-saving', 'false');

	await page.reload();
	await expect(firstDoc(page).getByTestId('application-page')).toHaveCount(1, { timeout: 20_000 });
	expect(await shown(page)).toEqual(after);
});

test('a corner dragged with a pointer moves the crop; a PDF page has no crop button', async ({ page }) => {
	await page.goto(`/procedures/view?code=${PROCEDURE}`);
	await page.getByTestId('procedure-file-online').click();
	await expect(page.getByTestId('application-form')).toBeVisible({ timeout: 20_000 });
	await firstDoc(page).getByTestId('page-file').setInputFiles([await pageJpeg(0)]);
	await expect(firstDoc(page).getByTestId('application-page')).toHaveCount(1, { timeout: 30_000 });

	await firstDoc(page).getByRole('button', { name: 'Cắt (Trang 1)' }).click();
	const dialog = page.getByTestId('page-crop');
	const handle = dialog.getByRole('button', { name: 'Góc trên bên trái' });
	const img = await dialog.locator('img').boundingBox();
	const box = (await handle.boundingBox())!;
	expect(box.width).toBeGreaterThanOrEqual(44);
	// A quarter of the shown page to the right and down.
	const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
	await page.mouse.move(x, y);
	await page.mouse.down();
	await page.mouse.move(x + img!.width / 8, y + img!.height / 8, { steps: 4 });
	await page.mouse.move(x + img!.width / 4, y + img!.height / 4, { steps: 4 });
	await page.mouse.up();
	await expect(dialog.getByTestId('page-crop-size')).toHaveText('Giữ lại 69% chiều ngang, 69% chiều dọc của trang.');
	await page.keyboard.press('Escape');
	await expect(dialog).toHaveCount(0);
	await expect(firstPage(page)).toHaveAttribute('data-width', '900');

	const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
	const second = page.locator('[data-testid="application-document"][data-index="1"]');
	await second.getByTestId('page-file').setInputFiles([{ name: 'giay.pdf', mimeType: 'application/pdf', buffer: pdf }]);
	await expect(second.getByTestId('application-page')).toHaveCount(1);
	await expect(second.getByTestId('page-crop-open')).toHaveCount(0);
	await expect(firstDoc(page).getByTestId('page-crop-open')).toHaveCount(1);
});
