import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { fileReportViaApi, pullAll, staffLogin } from './support/api';
import { loginHandler, newLocalContext } from './support/resident';

/**
 * Lead and coordinating units (chủ trì / phối hợp): a report routed to two units. The coordinating
 * unit reports its part — its button says so — and the report stays open; the lead unit resolves it
 * and it closes. Both steps show on the timeline, each marked with its unit's role.
 */

/** Lâm Viên ward, category "environment": the ward committee leads, Natural Resources and Environment coordinates. */
const LEAD = 'ubnd-lam-vien';
const COORDINATING = 'natural-resources-environment';

const timelineEvent = (page: Page, type: string) => page.locator(`[data-testid=timeline-event][data-type=${type}]`);

async function openReport(page: Page, trackingCode: string) {
	const item = page.locator(`[data-testid=inbox-item][data-tracking-code="${trackingCode}"]`);
	await expect(item).toBeVisible({ timeout: 20_000 });
	await item.getByRole('button').click();
	await expect(page.getByTestId('report-detail')).toBeVisible();
	return item;
}

async function sendResult(page: Page, note: string) {
	await page.getByTestId('action-resolve').click();
	const form = page.getByTestId('step-form');
	await form.getByTestId('step-note').fill(note);
	await form.getByTestId('step-send').click();
	await expect(form).toHaveCount(0);
}

test('the coordinating unit reports its part and the report stays open; the lead resolves it and it closes', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	test.setTimeout(120_000);
	const report = await fileReportViaApi(request, { description: `Rác thải đổ bên suối Cam Ly ${Date.now()}` });
	expect(report).toMatchObject({ assignedUnitIds: [COORDINATING, LEAD], leadUnitId: LEAD });
	const code = String(report.trackingCode);

	// The coordinating unit: the inbox and the detail say so, and its result button says what it does.
	await loginHandler(page, COORDINATING);
	await expect(page.locator(`[data-testid=inbox-item][data-tracking-code="${code}"] [data-testid=inbox-role]`)).toHaveText('Phối hợp', {
		timeout: 20_000
	});
	await openReport(page, code);
	const detail = page.getByTestId('report-detail');
	await expect(detail.getByTestId('my-unit-role')).toHaveAttribute('data-role', 'coordinating');
	await expect(page.getByTestId('action-resolve')).toHaveText('Báo cáo phần việc: đã xong');
	await expect(detail.locator(`[data-testid=unit-status][data-unit=${LEAD}] [data-testid=unit-role]`)).toHaveText('Chủ trì');
	await sendResult(page, 'Sở đã lấy mẫu nước, không phát hiện ô nhiễm');

	const part = timelineEvent(page, 'resolved');
	await expect(part).not.toHaveAttribute('data-pending', 'true', { timeout: 20_000 });
	await expect(part).toHaveAttribute('data-role', 'coordinating');
	await expect(part).toContainText('(phối hợp) báo cáo phần việc đã xong');
	// Still open: the lead has not even seen it.
	await expect(detail.getByTestId('detail-status')).toHaveAttribute('data-status', 'in_progress');
	const leader = (await staffLogin(request, 'lanhdao')).token;
	await expect
		.poll(async () => (await pullAll(request, leader, 'reports')).find((r) => r.id === report.id)?.status, { timeout: 20_000 })
		.toBe('in_progress');

	// The lead unit, on another computer: its own result closes the report.
	const context = await newLocalContext(browser, baseURL!);
	try {
		const lead = await context.newPage();
		await loginHandler(lead, LEAD);
		await expect(lead.locator(`[data-testid=inbox-item][data-tracking-code="${code}"] [data-testid=inbox-role]`)).toHaveText('Chủ trì', {
			timeout: 20_000
		});
		await openReport(lead, code);
		const leadDetail = lead.getByTestId('report-detail');
		await expect(leadDetail.getByTestId('my-unit-role')).toHaveAttribute('data-role', 'lead');
		await expect(timelineEvent(lead, 'resolved')).toHaveAttribute('data-role', 'coordinating');
		await expect(lead.getByTestId('action-resolve')).toHaveText('Báo cáo kết quả');
		await sendResult(lead, 'Phường đã tổ chức dọn sạch, xử phạt người đổ rác');

		await expect(leadDetail.getByTestId('detail-status')).toHaveAttribute('data-status', 'resolved');
		// The timeline shows both: the coordinating unit's part and the lead's result.
		const results = timelineEvent(lead, 'resolved');
		await expect(results).toHaveCount(2);
		await expect(results.nth(0)).toHaveAttribute('data-role', 'coordinating');
		await expect(results.nth(1)).toHaveAttribute('data-role', 'lead');
		await expect(results.nth(1)).toContainText('(chủ trì)');
		await expect(results.nth(1)).not.toHaveAttribute('data-pending', 'true', { timeout: 20_000 });
	} finally {
		await context.close();
	}
	await expect
		.poll(async () => (await pullAll(request, leader, 'reports')).find((r) => r.id === report.id)?.status, { timeout: 20_000 })
		.toBe('resolved');
	// The coordinating unit's screen follows: closed.
	await expect(page.getByTestId('report-detail').getByTestId('detail-status')).toHaveAttribute('data-status', 'resolved', { timeout: 20_000 });
});
