import type { Page } from '@playwright/test';
import sharp from 'sharp';

/** A page as a phone camera gives it: a JPEG of `width`×`height`, each `n` a different shade. */
export async function pageJpeg(n: number, width = 900, height = 1200): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
	const buffer = await sharp({ create: { width, height, channels: 3, background: { r: Math.max(0, 240 - n * 10), g: 235, b: Math.min(255, 200 + n * 5) } } })
		.jpeg({ quality: 85 })
		.toBuffer();
	return { name: `trang-${n}.jpg`, mimeType: 'image/jpeg', buffer };
}

/** One of the procedure's documents on the filing page (its index in the procedure). */
export const documentOf = (page: Page, index: number) => page.locator(`[data-testid="application-document"][data-index="${index}"]`);
/** A field of the procedure's form, by its key. */
export const field = (page: Page, key: string) => page.locator(`#field-${key}`);
