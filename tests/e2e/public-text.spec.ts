import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { fileReportViaApi, pullAll, staffLogin } from './support/api';
import { loginHandler } from './support/resident';

/**
 * What a handler writes goes public only when they mean it to. The step form keeps the private note
 * (for the units and the reporter) apart from the public text, and shows, before sending, the step
 * exactly as the public page will show it: the standard phrase at first, never the private note
 * unless the handler copies it, a phone number typed into it already masked. The public page then
 * shows that text and not the private note; the text being written survives a reload.
 */

const WARD = 'ubnd-lam-vien';
const PRIVATE = 'Đã gặp bà Đặng Thị Hồng Nhung, SĐT 0934 567 812, hẹn dọn sáng mai';
const PUBLIC = 'Đã dọn sạch bãi rác. Cần hỗ trợ gọi (0934) 567 812';
const PUBLIC_MASKED = 'Đã dọn sạch bãi rác. Cần hỗ trợ gọi [số điện thoại đã ẩn]';

async function openReport(page: Page, trackingCode: string) {
	const item = page.locator(`[data-testid=inbox-item][data-tracking-code="${trackingCode}"]`);
	await expect(item).toBeVisible({ timeout: 20_000 });
	await item.getByRole('button').click();
	await expect(page.getByTestId('report-detail')).toBeVisible();
}

test('the handler sees what will be public before sending; the public page shows that text, not the private note', async ({ page, request }) => {
	test.setTimeout(90_000);
	const report = await fileReportViaApi(request, { description: `Rác ùn ứ cuối hẻm ${Date.now()}` });
	await loginHandler(page, WARD);
	await openReport(page, String(report.trackingCode));

	await page.getByTestId('action-resolve').click();
	const form = page.getByTestId('step-form');
	const publicText = form.getByTestId('step-public-note');
	const preview = form.getByTestId('step-public-preview');
	// A new form publishes the step's standard phrase, shown as the public will read it.
	await expect(publicText).toHaveValue('Đã xử lý xong nội dung phản ánh.');
	await expect(preview.getByTestId('preview-event')).toHaveAttribute('data-type', 'resolved');
	await expect(preview).toContainText('Đã xử lý xong nội dung phản ánh.');

	// The private note does not reach the preview…
	await form.getByTestId('step-note').fill(PRIVATE);
	await expect(preview).not.toContainText('Nhung');
	// …and clearing the public text says plainly that no words will be public.
	await form.getByTestId('public-clear').click();
	await expect(publicText).toHaveValue('');
	await expect(preview.getByTestId('public-nothing')).toBeVisible();
	await expect(preview).not.toContainText('Nhung');

	// A phone number typed into the public text shows masked in the preview, before anything is sent.
	await publicText.fill(PUBLIC);
	await expect(preview).toContainText(PUBLIC_MASKED);
	await expect(preview).not.toContainText('567');
	await expect(preview.getByTestId('public-masked')).toBeVisible();

	// Nothing typed is lost: both texts come back after a reload.
	await page.reload();
	await expect(page.getByTestId('step-form')).toHaveAttribute('data-action', 'resolve', { timeout: 20_000 });
	await expect(page.getByTestId('step-note')).toHaveValue(PRIVATE);
	await expect(page.getByTestId('step-public-note')).toHaveValue(PUBLIC);

	await page.getByTestId('step-send').click();
	await expect(page.getByTestId('step-form')).toHaveCount(0);
	const resolved = page.locator('[data-testid=timeline-event][data-type=resolved]');
	await expect(resolved).not.toHaveAttribute('data-pending', 'true', { timeout: 20_000 });
	// The handler's own timeline holds both: the private note, and the public text as published.
	await expect(resolved.getByTestId('event-note')).toHaveText(PRIVATE);
	await expect(resolved.getByTestId('event-public-note')).toContainText(PUBLIC_MASKED);

	// Stored as written (the masking is applied to what is published, not to the record).
	const leader = (await staffLogin(request, 'lanhdao')).token;
	const stored = (await pullAll(request, leader, 'events')).find((e) => e.reportId === report.id && e.type === 'resolved');
	expect(stored).toMatchObject({ note: PRIVATE, publicNote: PUBLIC });

	// The public page: the public text, masked; not the private note.
	await page.goto(`/public/report?id=${report.id}`);
	const detail = page.getByTestId('public-detail');
	await expect(detail).toBeVisible({ timeout: 20_000 });
	const publicStep = detail.locator('[data-testid=timeline-event][data-type=resolved]');
	await expect(publicStep).toContainText(PUBLIC_MASKED);
	await expect(publicStep.getByTestId('event-note')).toHaveCount(0);
	const body = (await page.locator('body').textContent()) ?? '';
	for (const secret of ['Nhung', '567', 'hẹn dọn sáng mai']) expect(body, secret).not.toContain(secret);
});
