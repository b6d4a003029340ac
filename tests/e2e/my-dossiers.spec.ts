import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { json, staffLogin, type ApiSession } from './support/api';
import { documentOf, field, pageJpeg } from './support/dossier-pages';
import { loginHandler, photo, primeForOffline } from './support/resident';
import { serviceWorkerControl } from './support/service-worker';

/**
 * The resident's online dossiers in /my, from the phone to the result: an application prepared with
 * no network is in /my at once, waiting to be sent, with a way back to it; once delivered it is the
 * server's row, shown once; accepted, its dossier's later steps (processing, result ready) show there
 * with whether it is on time, each marked new until looked at — offline too.
 */

const PROCEDURE = '1.001193';
const REQUIRED = [0, 1, 5];


async function prepareOffline(page: Page) {
	await page.goto(`/procedures/view?code=${PROCEDURE}`);
	await page.getByTestId('procedure-file-online').click();
	await expect(page.getByTestId('application-form')).toBeVisible({ timeout: 20_000 });
	await page.context().setOffline(true);
	await page.getByLabel('Họ và tên', { exact: true }).fill('Phạm Thị Lan');
	await field(page, 'childName').fill('Phạm Gia Bảo');
	await field(page, 'birthDate').fill('2026-11-25');
	await field(page, 'sex').selectOption('nam');
	await field(page, 'birthPlace').fill('Bệnh viện Đa khoa tỉnh Lâm Đồng');
	await field(page, 'motherName').fill('Phạm Thị Lan');
	await field(page, 'relation').selectOption('me');
	await field(page, 'applicantIdNumber').fill('079123400001');
	for (const index of REQUIRED) {
		await documentOf(page, index).getByTestId('page-file').setInputFiles([await pageJpeg(index, 600, 800)]);
		await expect(documentOf(page, index).getByTestId('application-page')).toHaveCount(1, { timeout: 30_000 });
	}
	await page.getByTestId('application-send').click();
	await expect(page.getByTestId('application-progress')).toHaveAttribute('data-state', 'waiting');
	return new URL(page.url()).searchParams.get('id')!;
}

async function step(request: APIRequestContext, staff: ApiSession, code: string, status: 'processing' | 'result_ready', note?: string) {
	await json(await request.post(`/api/dossiers/${code}/steps`, { headers: { authorization: `Bearer ${staff.token}` }, data: { status, ...(note ? { note } : {}) } }));
}

test('filed offline it waits in /my; delivered it is the server\'s row; accepted, the dossier\'s steps show there, marked new', async ({ page, request }) => {
	test.setTimeout(180_000);
	await primeForOffline(page);
	const id = await prepareOffline(page);

	// Still offline: /my shows it at once, waiting, with the way back to the form.
	await page.goto('/my');
	const onPhone = page.locator(`[data-testid="my-phone-application"][data-id="${id}"]`);
	await expect(onPhone.getByTestId('my-phone-application-state')).toHaveText('Chờ gửi', { timeout: 20_000 });
	await expect(onPhone).toContainText('Đăng ký khai sinh');
	await expect(onPhone.getByTestId('my-phone-application-open')).toHaveAttribute('href', new RegExp(`/dossier/file\\?procedure=${PROCEDURE}&id=${id}$`));

	// The link returns: the outbox sends it, and the phone's row gives way to the server's.
	await page.context().setOffline(false);
	const mine = page.locator(`[data-testid="my-application"][data-id="${id}"]`);
	await expect(mine.getByTestId('my-application-status')).toHaveText('Đã nộp, chờ tiếp nhận', { timeout: 60_000 });
	await expect(onPhone).toHaveCount(0);
	await page.reload();
	await expect(mine).toHaveCount(1, { timeout: 20_000 });
	await expect(page.getByTestId('my-phone-application')).toHaveCount(0);

	// The office accepts it when every page has arrived.
	const staff = await staffLogin(request, 'ubnd-lam-vien');
	const auth = { authorization: `Bearer ${staff.token}` };
	await expect
		.poll(async () => Object.values((await json<{ files: Record<string, { status: string }> }>(await request.get(`/api/dossier-applications/${id}`, { headers: auth }))).files).map((f) => f.status), { timeout: 30_000 })
		.toEqual(Array(REQUIRED.length).fill('ready'));
	const { dossierCode } = await json<{ dossierCode: string }>(await request.post(`/api/dossier-applications/${id}/actions`, { headers: auth, data: { action: 'accept' } }));

	await page.reload();
	await expect(mine.getByTestId('my-application-code')).toHaveText(`Mã hồ sơ: ${dossierCode}`, { timeout: 20_000 });
	await expect(mine.getByTestId('my-application-new')).toBeVisible();
	await mine.getByRole('button', { name: /Đăng ký khai sinh/ }).click();
	await expect(mine.getByTestId('my-application-new')).toHaveCount(0);

	// Each later step of the dossier is news in /my, with whether the dossier is on time.
	await step(request, staff, dossierCode, 'processing', 'Đang thẩm định hồ sơ');
	await page.reload();
	const dossier = mine.getByTestId('my-application-dossier');
	await expect(dossier.getByTestId('dossier-status')).toHaveText('Đang giải quyết', { timeout: 20_000 });
	await expect(dossier.getByTestId('dossier-timeliness')).toHaveText('Còn trong hạn');
	await expect(mine.getByTestId('my-application-new')).toBeVisible();
	await expect(page.getByTestId('my-applications-unseen')).toHaveText('1 hồ sơ có cập nhật mới');
	await mine.getByRole('button', { name: /Đăng ký khai sinh/ }).click();
	await expect(mine.getByTestId('my-application-new')).toHaveCount(0);
	await expect(mine.locator('[data-testid="my-application-step"][data-status="processing"]')).toContainText('Đang thẩm định hồ sơ');

	await step(request, staff, dossierCode, 'result_ready');
	await page.reload();
	await expect(dossier.getByTestId('dossier-status')).toHaveText('Đã có kết quả, mời đến nhận', { timeout: 20_000 });
	await expect(dossier.getByTestId('dossier-timeliness')).toHaveText('Xong đúng hạn');
	await expect(mine.getByTestId('my-application-new')).toBeVisible();

	// Offline, the device's copy says the same.
	await page.context().setOffline(true);
	await page.reload();
	await expect(dossier.getByTestId('dossier-status')).toHaveText('Đã có kết quả, mời đến nhận', { timeout: 20_000 });
	await page.context().setOffline(false);
});

test('pages answering a request for documents, kept offline, are sent by Background Sync with the app closed', async ({ page, context, server, request }) => {
	test.setTimeout(180_000);
	await primeForOffline(page);
	const id = await prepareOffline(page);
	await context.setOffline(false);
	await expect(page.getByTestId('application-progress')).toHaveAttribute('data-state', 'delivered', { timeout: 60_000 });
	const staff = await staffLogin(request, 'ubnd-lam-vien');
	const auth = { authorization: `Bearer ${staff.token}` };
	await json(await request.post(`/api/dossier-applications/${id}/actions`, { headers: auth, data: { action: 'ask', note: 'Xin chụp lại giấy chứng sinh.' } }));

	await page.goto('/my');
	const mine = page.locator(`[data-testid="my-application"][data-id="${id}"]`);
	await expect(mine.getByTestId('my-application-status')).toHaveText('Cần bổ sung giấy tờ', { timeout: 20_000 });
	await mine.getByTestId('add-documents-open').click();
	await mine.getByTestId('add-documents-doc').selectOption({ label: 'Giấy chứng sinh do cơ sở y tế cấp' });
	await mine.getByTestId('add-documents-file').setInputFiles(photo('autumn.jpg'));
	await expect(mine.getByTestId('add-documents-count')).toHaveText('1 trang đã chọn', { timeout: 30_000 });
	await context.setOffline(true);
	await mine.getByTestId('add-documents-send').click();
	await expect(mine.getByTestId('add-documents-error')).toBeVisible();

	const control = await serviceWorkerControl(context, server.url);
	await page.close();
	await context.setOffline(false);
	await control.stopWorkers();
	await new Promise((r) => setTimeout(r, 1_000));
	const viewOf = async () => json<{ status: string; documents: { index: number; fileIds: string[] }[]; files: Record<string, { status: string }> }>(await request.get(`/api/dossier-applications/${id}`, { headers: auth }));
	expect((await viewOf()).status, 'nothing sent before the sync event').toBe('needs_documents');

	await control.dispatchSync('outbox');
	await expect.poll(async () => (await viewOf()).status, { timeout: 30_000, message: 'the answer sent by the service worker' }).toBe('submitted');
	const answered = await viewOf();
	const added = answered.documents.find((d) => d.index === 1)!.fileIds;
	expect(added).toHaveLength(2);
	await expect.poll(async () => (await viewOf()).files[added[1]]?.status, { timeout: 30_000, message: 'its page uploaded by the service worker' }).toBe('ready');
});

test('an admin finds the online dossiers among the places of the desk', async ({ page }) => {
	await loginHandler(page, 'admin');
	const places = page.getByTestId('staff-places');
	await places.getByText('Việc khác của bạn').click();
	await expect(places.getByRole('link', { name: 'Hồ sơ nộp trực tuyến' })).toHaveAttribute('href', '/office-dossiers', { timeout: 20_000 });
	// Counters and kiosks stay with the staff of the offices' units.
	await expect(places.getByTestId('staff-places-counter')).toHaveCount(0);
});
