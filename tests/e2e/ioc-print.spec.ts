import type { Page } from '@playwright/test';
import { expect, testWithMovableClock } from './fixtures';
import { deviceLogin, json, makeReport, pushDocs, pushEvent, staffLogin, type ApiSession } from './support/api';
import { DEMO_PASSWORD } from './support/resident';

/**
 * The operations centre's printed weekly report (/ioc, "In báo cáo tuần"): what a commune chairman,
 * or a unit's head, signs. With a week of realistic data (a few dozen reports over several
 * categories, communes and units, many overdue), the report of one commune, and that of one unit,
 * prints on ONE A4 page (Chromium's print to PDF) and that page carries the title naming the area,
 * the period, the figures, the first overdue reports and the two signature lines.
 *
 * The server's clock is moved 7 hours on once the first reports are in: those of the categories
 * with a 6-hour clock SLA (environment, traffic) go overdue, as in a real week.
 */

const HOUR = 3_600_000;

const { test, clock } = testWithMovableClock('ioc-print');

const LAM_VIEN = '24778';
const XUAN_HUONG = '24781';
const CAM_LY = '24787';
const LANG_BIANG = '24846';
const MUI_NE = '22918';

/** [commune, category, how many]: filed before the clock moves (the clock-SLA ones go overdue). */
const EARLY: [string, string, number][] = [
	[LAM_VIEN, 'environment', 8],
	[LAM_VIEN, 'traffic-security', 4],
	[LAM_VIEN, 'culture-tourism', 3],
	[LAM_VIEN, 'market-prices', 2],
	[LAM_VIEN, 'public-service', 2],
	[XUAN_HUONG, 'environment', 5],
	[XUAN_HUONG, 'traffic-security', 3],
	[XUAN_HUONG, 'culture-tourism', 2],
	[CAM_LY, 'environment', 4],
	[CAM_LY, 'market-prices', 2],
	[LANG_BIANG, 'environment', 2],
	[MUI_NE, 'environment', 2]
];
/** Filed after: open, not overdue. */
const LATE: [string, string, number][] = [
	[LAM_VIEN, 'environment', 2],
	[LAM_VIEN, 'public-service', 1],
	[XUAN_HUONG, 'market-prices', 2],
	[CAM_LY, 'traffic-security', 2],
	[MUI_NE, 'culture-tourism', 1]
];

const DESCRIPTIONS = ['Rác thải ùn ứ đầu hẻm', 'Xe đậu lấn chiếm lòng đường', 'Quán karaoke mở nhạc quá giờ', 'Niêm yết giá không đúng', 'Hẹn trả hồ sơ nhiều lần', 'Nước thải chảy ra suối'];

async function fileAll(request: Parameters<typeof pushDocs>[0], batches: [string, string, number][], stamp: string) {
	const filed: { id: string; wardCode: string; categoryCode: string }[] = [];
	let i = 0;
	for (const [wardCode, categoryCode, n] of batches) {
		// One resident's phone per batch: several reports sent at once, as after a day with no signal.
		const device: ApiSession = await deviceLogin(request);
		const docs = Array.from({ length: n }, () =>
			makeReport(device.user.sub, { wardCode, categoryCode, description: `${DESCRIPTIONS[i++ % DESCRIPTIONS.length]} (${stamp}-${i})` })
		);
		const answer = await pushDocs(request, device.token, 'reports', docs);
		expect(answer.rejected).toEqual([]);
		filed.push(...docs.map((d) => ({ id: d.id, wardCode, categoryCode })));
	}
	return filed;
}

/** Pages of a PDF as Chromium writes it: one `/Type /Page` object each (not the `/Pages` tree). */
const pageCount = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;

/** The overdue reports the printed page lists (PRINT_OVERDUE_ROWS in src/routes/ioc/+page.svelte). */
const PRINTED_OVERDUE = 10;

/** What the page prints, checked with print styles on, then printed as A4: returns the page count. */
async function printed(page: Page, area: RegExp): Promise<number> {
	const overdue = Number(await page.getByTestId('ioc-overdue').textContent());
	expect(overdue, 'more overdue reports than the printed page lists').toBeGreaterThan(PRINTED_OVERDUE);
	await page.emulateMedia({ media: 'print' });
	try {
		// What the chairman signs: the title naming the area and the period, the figures, the first overdue reports, the signatures.
		await expect(page.locator('.print-title')).toBeVisible();
		await expect(page.locator('.print-title')).toHaveText(area);
		await expect(page.locator('.print-head')).toContainText(/Từ ngày \d{2}\/\d{2}\/\d{4} đến ngày \d{2}\/\d{2}\/\d{4}/);
		await expect(page.getByTestId('ioc-received')).toBeVisible();
		await expect(page.getByTestId('ioc-overdue')).toBeVisible();
		// The most overdue first, as many as the sheet holds, and a line saying how many of how many.
		const rows = page.getByTestId('ioc-table-overdue').locator('tbody tr');
		await expect(rows.first()).toBeVisible();
		await expect(rows.nth(PRINTED_OVERDUE - 1)).toBeVisible();
		await expect(rows.nth(PRINTED_OVERDUE)).toBeHidden();
		await expect(page.getByTestId('ioc-print-overdue-count')).toHaveText(`${PRINTED_OVERDUE} / ${overdue} phản ánh quá hạn, quá hạn lâu nhất trước`);
		const signatures = page.locator('.signatures');
		await expect(signatures).toBeVisible();
		await expect(signatures).toContainText('Người lập');
		await expect(signatures).toContainText('Lãnh đạo ký');
		// Nothing of the screen's controls on paper.
		await expect(page.getByTestId('ioc-ward')).toBeHidden();
		await expect(page.getByTestId('ioc-print')).toBeHidden();
		const pdf = await page.pdf({ format: 'A4' });
		return pageCount(pdf);
	} finally {
		await page.emulateMedia({ media: 'screen' });
	}
}

test('the weekly report of a commune, and of a unit, prints on one A4 page with what the chairman signs', async ({ page, request }) => {
	test.setTimeout(180_000);
	const stamp = String(Date.now());
	const early = await fileAll(request, EARLY, stamp);

	// A few handled: the ward committee resolves two of Lâm Viên's, accepts a third.
	const ward = await staffLogin(request, 'ubnd-lam-vien');
	const lamVien = early.filter((r) => r.wardCode === LAM_VIEN);
	await pushEvent(request, ward, lamVien[0].id, 'resolved', { note: 'Đã thu gom' });
	await pushEvent(request, ward, lamVien[8].id, 'resolved', { note: 'Đã xử lý' });
	await pushEvent(request, ward, lamVien[12].id, 'accepted');

	clock.offset = 7 * HOUR;
	const leader = await staffLogin(request, 'lanhdao');
	// The SLA job has flagged the overdue ones before the page opens.
	await expect
		.poll(
			async () => (await json<{ overdueTotal: number }>(await request.get('/api/ioc/figures?period=week', { headers: { authorization: `Bearer ${leader.token}` } }))).overdueTotal,
			{ timeout: 30_000 }
		)
		.toBeGreaterThanOrEqual(25);
	const late = await fileAll(request, LATE, stamp);
	const inLamVien = [...early, ...late].filter((r) => r.wardCode === LAM_VIEN).length;

	await page.goto('/ioc');
	await page.getByLabel('Tên đăng nhập').fill('lanhdao');
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByTestId('ioc-received')).toHaveText(String(early.length + late.length), { timeout: 20_000 });

	// One commune, the last 7 days.
	await page.getByTestId('ioc-period-week').check();
	await page.getByTestId('ioc-ward').selectOption(LAM_VIEN);
	await expect(page.getByTestId('ioc-received')).toHaveText(String(inLamVien), { timeout: 20_000 });
	await expect(page.getByTestId('ioc-table-overdue').locator('tbody tr')).not.toHaveCount(0);
	expect.soft(await printed(page, /^Báo cáo phản ánh hiện trường — Phường Lâm Viên/), 'pages printed for the commune').toBe(1);

	// One unit (the environment department: every commune's environment reports, most of them overdue).
	await page.getByTestId('ioc-ward').selectOption('');
	await page.getByTestId('ioc-unit').selectOption('natural-resources-environment');
	const environment = [...early, ...late].filter((r) => r.categoryCode === 'environment').length;
	await expect(page.getByTestId('ioc-received')).toHaveText(String(environment), { timeout: 20_000 });
	await expect.poll(() => page.getByTestId('ioc-table-overdue').locator('tbody tr').count()).toBeGreaterThanOrEqual(15);
	expect.soft(await printed(page, /^Báo cáo phản ánh hiện trường — Tài nguyên và Môi trường/), 'pages printed for the unit').toBe(1);
});
