import AxeBuilder from '@axe-core/playwright';
import type { Browser, Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { DEMO_PASSWORD, XUAN_HUONG_POINT, fileReport, newLocalContext, outboxItem, photo } from './support/resident';

/**
 * Every page, as residents, handlers and volunteers see it with a report in it, in both languages,
 * checked by axe-core: no `serious` or `critical` violation. All pages are checked before failing,
 * so one run prints the whole list (page, language, rule, the elements it names).
 */

test.use({ permissions: ['geolocation'], geolocation: XUAN_HUONG_POINT });

/** "Môi trường" in Xuân Hương ward goes to the ward's People's Committee. */
const HANDLER = 'ubnd-xuan-huong';
const VOLUNTEER = 'tcns-lang-biang';
type Lang = 'vi' | 'en';
/** Counted whatever axe's impact: a page without a main heading leaves screen reader users without a start. */
const ALWAYS = ['page-has-heading-one'];

interface Found {
	page: string;
	lang: Lang;
	rule: string;
	impact: string;
	help: string;
	targets: string[];
}

/** Switches the language the way a user does: the header's language button (the choice is kept). */
async function useLanguage(page: Page, lang: Lang) {
	await expect(page.getByTestId('language-switch')).toBeVisible();
	if ((await page.evaluate(() => document.documentElement.lang)) !== lang) await page.getByTestId('language-switch').click();
	await expect(page.locator('html')).toHaveAttribute('lang', lang);
}

/** `lang` null: a page without the app bar (the office TV's board), checked as it shows. */
async function check(page: Page, name: string, lang: Lang | null, ready: Locator, found: Found[]) {
	await expect(ready.first()).toBeVisible({ timeout: 20_000 });
	if (lang) await useLanguage(page, lang);
	const analyze = () =>
		new AxeBuilder({ page })
			// Experimental in axe, off by default: a control's spoken name must contain its visible text
			// (voice control users say what they see).
			.options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
			.analyze();
	const counts = (v: { impact?: string | null; id: string }) => v.impact === 'serious' || v.impact === 'critical' || ALWAYS.includes(v.id);
	let result = await analyze();
	// A page a live update re-renders while axe reads it can give a passing state a false reading (seen:
	// colour contrast on :root): what counts is what is still there a moment later.
	if (result.violations.some(counts)) {
		await page.waitForTimeout(1_000);
		const first = new Set(result.violations.map((v) => v.id));
		const again = await analyze();
		result = { ...again, violations: again.violations.filter((v) => first.has(v.id)) };
	}
	for (const v of result.violations) {
		if (!counts(v)) continue;
		found.push({ page: name, lang: lang ?? 'vi', rule: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) });
	}
}

/** A tracking code is read out and copied whole: on one line, never broken at its dashes. */
async function expectOneLine(code: Locator) {
	await expect(code).toBeVisible();
	expect(await code.evaluate((el) => getComputedStyle(el).whiteSpace), 'tracking code on one line').toBe('nowrap');
}

async function staffPage(browser: Browser, baseURL: string, path: string, username: string): Promise<Page> {
	const context = await newLocalContext(browser, baseURL, { viewport: { width: 1366, height: 900 } });
	const page = await context.newPage();
	await page.goto(path);
	await page.getByLabel('Tên đăng nhập').fill(username);
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	return page;
}

test('every page in Vietnamese and English has no serious or critical accessibility violation', async ({ page, browser, baseURL }) => {
	test.setTimeout(240_000);
	const description = `Rác thải ven hồ Xuân Hương ${Date.now()}`;
	await fileReport(page, { category: 'Môi trường', description, photos: [photo('path.jpg')] });
	const row = outboxItem(page, description);
	await expect(row).toHaveAttribute('data-state', 'delivered', { timeout: 45_000 });
	const code = (await row.getByTestId('tracking-code').textContent())?.trim() ?? '';
	expect(code).not.toBe('');

	const handler = await staffPage(browser, baseURL!, '/handler', HANDLER);
	const volunteer = await staffPage(browser, baseURL!, '/volunteer', VOLUNTEER);

	const found: Found[] = [];
	for (const lang of ['vi', 'en'] as const) {
		await page.goto('/');
		await check(page, '/', lang, page.getByTestId('home-report'), found);
		await page.goto('/report');
		await check(page, '/report', lang, page.getByTestId('report-form'), found);
		await page.goto('/outbox');
		await check(page, '/outbox', lang, page.getByTestId('outbox-item'), found);
		await expectOneLine(page.getByTestId('tracking-code').first());
		await page.goto('/my');
		await check(page, '/my', lang, page.getByTestId('my-reports').locator('li'), found);
		await expectOneLine(page.getByTestId('my-tracking-code').first());
		await page.goto('/account');
		await check(page, '/account', lang, page.getByTestId('phone-verify'), found);
		await page.goto('/public');
		await expect(page.getByTestId('public-change-ward')).toBeVisible({ timeout: 20_000 });
		// The first visit asks for a ward; later ones open the last one (its picker one click away).
		if (!(await page.getByTestId('ward-picker').isVisible())) await page.getByTestId('public-change-ward').click();
		await check(page, '/public (choosing a ward)', lang, page.getByTestId('ward-picker'), found);
		await page.getByTestId('ward-search').fill('xuan huong');
		await page.getByRole('option', { name: /Xu[âa]n H[ưu][ơo]ng/i }).first().click();
		await check(page, '/public', lang, page.getByTestId('public-item'), found);
		await page.goto(`/public/report?code=${code}`);
		await check(page, '/public/report', lang, page.getByTestId('public-detail'), found);
		await expectOneLine(page.getByTestId('public-tracking-code'));

		await handler.goto('/handler');
		const item = handler.locator(`[data-testid=inbox-item][data-tracking-code="${code}"]`);
		await check(handler, '/handler', lang, item, found);
		await item.getByRole('button').click();
		await check(handler, '/handler?report=', lang, handler.getByTestId('report-detail'), found);
		await expectOneLine(handler.getByTestId('detail-tracking-code'));

		await volunteer.goto('/volunteer');
		await check(volunteer, '/volunteer', lang, volunteer.getByTestId('volunteer-name'), found);

		await page.goto('/ticket');
		await check(page, '/ticket', lang, page.getByTestId('ticket-form'), found);

		await page.goto('/offices');
		await check(page, '/offices', lang, page.getByTestId('office-card'), found);

		await page.goto('/procedures');
		await check(page, '/procedures', lang, page.getByTestId('procedure-results').locator('details'), found);
		await page.getByTestId('procedure-query').fill('khai sinh');
		await check(page, '/procedures (search)', lang, page.getByTestId('procedure-item'), found);
		await page.getByTestId('procedure-item').first().click();
		await check(page, '/procedures/view', lang, page.getByTestId('procedure-detail'), found);
	}
	// The office TV: full screen, no app bar; its "turn the sound on" layer first, then the board under it.
	await page.goto('/board?office=lam-vien');
	await check(page, '/board (sound off)', null, page.getByTestId('sound-on'), found);
	await page.getByTestId('sound-on').click();
	await check(page, '/board', null, page.getByTestId('board-counter'), found);
	const list = found.map((f) => `${f.page} [${f.lang}] ${f.impact} ${f.rule}: ${f.help}\n    ${f.targets.join('\n    ')}`).join('\n');
	expect(found.map((f) => `${f.page} [${f.lang}] ${f.rule}`), `Accessibility violations:\n${list}`).toEqual([]);
});
