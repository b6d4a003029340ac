/**
 * The report form as the photo benchmark drives it: fill it, pick photos and time their preparation,
 * and read the app's Dexie tables (photos, outbox) straight from IndexedDB in the page.
 */
import type { Page } from '@playwright/test';

export interface StoredPhoto {
	id: string;
	bytes: number;
	width: number;
	height: number;
	mime: string;
	status: string;
	createdAt: number;
}
export interface StoredRow {
	reportId: string;
	state: { kind: string };
	updatedAt: number;
	photoIds: string[];
}

/** Reads a Dexie table of the app's database straight from IndexedDB, in the page. */
export function readTable<T>(page: Page, table: 'photos' | 'outbox' | 'applications' | 'applicationFiles'): Promise<T[]> {
	return page.evaluate(
		(name) =>
			new Promise<T[]>((resolve, reject) => {
				const open = indexedDB.open('cau-noi-local');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const req = db.transaction(name, 'readonly').objectStore(name).getAll();
					req.onsuccess = () => {
						db.close();
						// Blobs do not cross page.evaluate: keep the fields.
						resolve((req.result as Record<string, unknown>[]).map(({ blob: _b, ...rest }) => rest as T));
					};
					req.onerror = () => reject(req.error);
				};
			}),
		table
	);
}

/** Opens the form and fills everything but the photos (category, description, ward). */
export async function openFilledForm(page: Page, url: string): Promise<void> {
	await page.goto(`${url}/report`);
	await page.getByTestId('report-form').waitFor();
	await page.locator('[data-testid=category-grid] input[type=radio]').first().check({ force: true });
	await page.locator('#description').fill('Đường bị sạt lở sau mưa lớn, xe máy đi lại rất nguy hiểm');
	await page.getByTestId('open-ward-picker').click();
	await page.getByTestId('ward-search').fill('Lâm Viên');
	await page.getByRole('option').first().click();
	await page.getByTestId('detected-ward').waitFor();
	// Marks, in the page's clock, when a file is picked and when its thumbnail appears (the prepared
	// photo is in Dexie then).
	await page.evaluate(() => {
		const w = window as unknown as { __pickedAt: number[]; __readyAt: number[] };
		w.__pickedAt = [];
		w.__readyAt = [];
		document.addEventListener('change', (e) => {
			if ((e.target as HTMLElement).dataset?.testid === 'photo-gallery') w.__pickedAt.push(Date.now());
		}, true);
		let shown = 0;
		new MutationObserver(() => {
			const n = document.querySelectorAll('[data-testid=photo-thumb]').length;
			if (n > shown) w.__readyAt.push(Date.now());
			shown = n;
		}).observe(document.body, { childList: true, subtree: true });
	});
}

export interface PrepTimes {
	/** The very first photo: also loads the resize worker and its library. */
	firstMs: number;
	/** Every later pick (ROUNDS × 3 − 1 of them). */
	laterMs: number[];
}

/** Preparation is short and the 2 cores may be shared: the photos are picked this many times. */
export const PREP_ROUNDS = 3;

/**
 * Picks the photos one by one, PREP_ROUNDS times (removing them between rounds; the last round's
 * stay in the form): each one's preparation time, from the change event to its thumbnail, in ms.
 */
export async function pickPhotos(page: Page, files: string[]): Promise<PrepTimes> {
	for (let round = 0; round < PREP_ROUNDS; round++) {
		for (let i = 0; i < files.length; i++) {
			await page.getByTestId('photo-gallery').setInputFiles(files[i]);
			await page.getByTestId('photo-thumb').nth(i).waitFor({ timeout: 120_000 });
		}
		if (round < PREP_ROUNDS - 1) {
			for (let i = files.length; i > 0; i--) await page.locator('[data-testid=photo-thumb] button.remove').first().click();
			await page.getByTestId('photo-thumb').first().waitFor({ state: 'detached' });
		}
	}
	const { picked, ready } = await page.evaluate(() => {
		const w = window as unknown as { __pickedAt: number[]; __readyAt: number[] };
		return { picked: w.__pickedAt, ready: w.__readyAt };
	});
	const photos = await readTable<StoredPhoto>(page, 'photos');
	const n = files.length * PREP_ROUNDS;
	if (photos.length !== files.length || picked.length !== n || ready.length !== n)
		throw new Error(`expected ${files.length} prepared photos (${n} picks), found ${photos.length} (${picked.length}/${ready.length})`);
	const ms = picked.map((t, i) => ready[i] - t);
	return { firstMs: ms[0], laterMs: ms.slice(1) };
}
