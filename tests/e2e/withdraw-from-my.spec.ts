import { expect, test } from './fixtures';
import { LAM_VIEN_POINT } from '../support/documents';
import { fileReportViaApi, makeContact, pullAll, pushDocs, staffLogin } from './support/api';

/**
 * A verified resident withdraws a report from /my on a phone that did not file it: a volunteer filed
 * it for them with their phone, they verified that phone here. The outbox of this phone never had
 * it, yet /my offers "Rút phản ánh" with the same confirmation words; offline the withdrawal is kept
 * on the phone and sent when the network is back; the units then have it withdrawn, with the reason.
 */

// This file's server answers the codes it "sends" (GET /api/test/otp).
process.env.OTP_TEST_ENDPOINT = '1';

const PHONE = '0987123456';
const REASON = 'Tổ dân phố đã tự dọn, không cần xử lý nữa';

test('a verified resident withdraws their report from /my on another phone, offline first', async ({ page, request, server }) => {
	test.setTimeout(120_000);
	const volunteer = await staffLogin(request, 'tcns-lang-biang');
	const report = await fileReportViaApi(
		request,
		{ description: 'Rác đổ trộm đầu hẻm', location: { source: 'gps', ...LAM_VIEN_POINT }, assistedBy: volunteer.user.sub },
		volunteer
	);
	expect((await pushDocs(request, volunteer.token, 'contacts', [makeContact(report, { phone: PHONE, name: 'Bà Năm', consent: true })])).rejected).toEqual([]);

	// This phone verifies the number: the report becomes theirs here.
	await page.goto('/account');
	await page.getByTestId('phone-input').fill(PHONE);
	await page.getByTestId('send-code').click();
	await expect(page.getByTestId('code-sent')).toContainText(PHONE);
	const { code } = (await (await fetch(`${server.url}/api/test/otp?phone=${PHONE}`)).json()) as { code: string };
	await page.getByTestId('code-input').fill(code);
	await page.getByTestId('verify-code').click();
	await expect(page.getByTestId('linked-reports')).toContainText('Đã gắn 1 phản ánh');

	await page.goto('/my');
	const card = page.locator(`[data-testid=my-report][data-report-id="${report.id}"]`);
	await expect(card).toBeVisible({ timeout: 30_000 });
	await card.getByRole('button', { expanded: false }).click();
	await card.getByTestId('my-withdraw-button').click();
	const dialog = card.getByTestId('withdraw-dialog');
	await expect(dialog).toContainText('Các đơn vị sẽ thấy bạn đã rút phản ánh');
	await dialog.getByLabel(/Lý do/).fill(REASON);
	// No network: kept on the phone, shown as waiting, not offered again.
	await page.context().setOffline(true);
	await dialog.getByRole('button', { name: 'Rút phản ánh' }).click();
	await expect(card.getByTestId('my-withdrawal-state')).toHaveAttribute('data-state', 'pending');
	await expect(card.getByTestId('my-withdrawal-state')).toContainText('đang chờ gửi');
	await expect(card.getByTestId('my-withdraw-button')).toHaveCount(0);
	// Kept on the phone, not in the page: leaving and coming back online sends it.
	await page.reload().catch(() => undefined);
	await page.context().setOffline(false);
	await page.goto('/my');
	await expect(card).toHaveAttribute('data-status', 'withdrawn', { timeout: 30_000 });
	await card.getByRole('button', { expanded: false }).click();
	await expect(card.getByTestId('my-withdrawal-state')).toHaveText('Bạn đã rút phản ánh này. Các đơn vị đã được báo.');

	// The units have it withdrawn, with the reason.
	const ward = await staffLogin(request, 'ubnd-lam-vien');
	expect((await pullAll(request, ward.token, 'reports')).find((r) => r.id === report.id)?.status).toBe('withdrawn');
	const withdrawn = (await pullAll(request, ward.token, 'events')).find((e) => e.reportId === report.id && e.type === 'withdrawn');
	expect(withdrawn?.note).toBe(REASON);
	expect(withdrawn?.actorRole).toBe('resident');
});
