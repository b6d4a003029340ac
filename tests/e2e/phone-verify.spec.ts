import { expect, test } from './fixtures';
import { LAM_VIEN_POINT } from '../support/documents';
import { fileReportViaApi, makeContact, pushDocs, staffLogin } from './support/api';

/**
 * A resident verifies their phone from the home page: a wrong code is refused with the reason and
 * the tries left, the right one verifies, a report a volunteer filed for them earlier with that
 * phone (and their consent) is linked, and the verified phone is still shown after a reload.
 */

// This file's server answers the codes it "sends" (GET /api/test/otp): the fixture reads the
// environment when it starts the file's server, after this line has run.
process.env.OTP_TEST_ENDPOINT = '1';

const PHONE = '0987654321';

test('a resident verifies their phone with a code and gets the report filed for them earlier', async ({ page, request, server }) => {
	// A volunteer filed a report for this resident, with their consent and phone, before they verified it.
	// (A phone typed into a stranger's contact links nothing: tests/integration/authz-handling.test.ts.)
	const volunteer = await staffLogin(request, 'tcns-lang-biang');
	const report = await fileReportViaApi(
		request,
		{
			description: 'Rác đổ trộm bên đường',
			location: { source: 'gps', ...LAM_VIEN_POINT },
			assistedBy: volunteer.user.sub
		},
		volunteer
	);
	const reportId = report.id;
	const contact = await pushDocs(request, volunteer.token, 'contacts', [makeContact(report, { phone: PHONE, name: 'Bà Năm', consent: true })]);
	expect(contact.rejected).toEqual([]);

	await page.goto('/');
	await page.getByTestId('home-account').click();
	await expect(page).toHaveURL(/\/account$/);

	await page.getByTestId('phone-input').fill('12345');
	await page.getByTestId('send-code').click();
	await expect(page.getByTestId('verify-error')).toContainText('Số điện thoại chưa đúng');

	await page.getByTestId('phone-input').fill('0987 654 321');
	await page.getByTestId('send-code').click();
	await expect(page.getByTestId('code-sent')).toContainText(PHONE);
	// "Send a new code" waits with a countdown.
	await expect(page.getByTestId('resend-code')).toBeDisabled();
	await expect(page.getByTestId('resend-code')).toContainText(/Gửi lại mã sau \d+ giây/);

	const res = await fetch(`${server.url}/api/test/otp?phone=${PHONE}`);
	const { code } = (await res.json()) as { code: string };
	const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');

	await page.getByTestId('code-input').fill(wrongCode);
	await page.getByTestId('verify-code').click();
	const error = page.getByTestId('verify-error');
	await expect(error).toHaveAttribute('data-code', 'otp_invalid');
	await expect(error).toContainText('Mã xác minh không đúng');
	await expect(error).toContainText('Còn 4 lần nhập');

	await page.getByTestId('code-input').fill(code);
	await page.getByTestId('verify-code').click();
	await expect(page.getByTestId('phone-verified')).toBeVisible();
	await expect(page.getByTestId('verified-phone')).toContainText(PHONE);
	await expect(page.getByTestId('linked-reports')).toContainText('Đã gắn 1 phản ánh');

	// The device keeps the token naming the person: with it, the pull returns the report filed elsewhere.
	const pulledIds = await page.evaluate(async () => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const req = indexedDB.open('cau-noi-local');
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		});
		const identity = await new Promise<{ token: string; user: { personId?: string } }>((resolve, reject) => {
			const req = db.transaction('identity').objectStore('identity').get('device');
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		});
		db.close();
		const res = await fetch('/api/sync/reports/pull?limit=100', { headers: { authorization: `Bearer ${identity.token}` } });
		const body = (await res.json()) as { documents: { id: string; personId?: string }[] };
		return { personId: identity.user.personId, ids: body.documents.map((d) => d.id) };
	});
	expect(pulledIds.personId).toMatch(/^person:/);
	expect(pulledIds.ids).toContain(reportId);

	await page.reload();
	await expect(page.getByTestId('verified-phone')).toContainText(PHONE);
});
