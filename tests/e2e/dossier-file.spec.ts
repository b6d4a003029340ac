import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { json, staffLogin } from './support/api';
import { documentOf, field, pageJpeg } from './support/dossier-pages';
import { primeForOffline } from './support/resident';
import { serviceWorkerControl } from './support/service-worker';

/**
 * Filing a procedure online from the phone (/dossier/file): prepared with no network — the form and
 * two photographed pages of each required document — kept through a reload, sent when the link
 * returns with its progress shown, then accepted by the ward's one-stop office, whose dossier code
 * the resident's page then shows. A file that only calls itself a PDF is refused on the phone, and
 * nothing else of the form is lost.
 */

const PROCEDURE = '1.001193';
/** Đăng ký khai sinh: the form, the birth certificate, the applicant's identity card. */
const REQUIRED = [0, 1, 5];


async function openForm(page: Page) {
	await page.goto(`/procedures/view?code=${PROCEDURE}`);
	await page.getByTestId('procedure-file-online').click();
	await expect(page.getByTestId('application-form')).toBeVisible({ timeout: 20_000 });
	await expect(page.getByTestId('application-procedure')).toHaveText('Đăng ký khai sinh');
}

/** The birth registration's form as a mother fills it. */
async function fillForm(page: Page) {
	await page.getByLabel('Họ và tên', { exact: true }).fill('Nguyễn Thị Hoa');
	await page.getByLabel(/Số điện thoại/).fill('0912 345 678');
	await field(page, 'childName').fill('Trần Minh An');
	await field(page, 'birthDate').fill('2026-11-28');
	await field(page, 'sex').selectOption('nam');
	await field(page, 'birthPlace').fill('Bệnh viện Đa khoa tỉnh Lâm Đồng');
	await field(page, 'motherName').fill('Nguyễn Thị Hoa');
	await field(page, 'relation').selectOption('me');
	await field(page, 'applicantIdNumber').fill('079123456789');
}

/** Every keystroke is saved on the phone: wait for the last one before a reload. */
async function saved(page: Page) {
	await expect(page.getByTestId('application-form')).toHaveAttribute('data-saving', 'false');
}

test('prepared offline, kept through a reload, sent when the link returns, then accepted with a dossier code', async ({ page, context, request }) => {
	test.setTimeout(150_000);
	await primeForOffline(page);
	await openForm(page);
	await context.setOffline(true);

	await fillForm(page);
	// A wrong ID number is said at once, by its field; corrected, the message goes.
	await field(page, 'applicantIdNumber').fill('07912');
	await field(page, 'applicantIdNumber').blur();
	const idField = page.locator('[data-testid="application-field"][data-key="applicantIdNumber"]');
	await expect(idField.getByTestId('field-error')).toContainText('12 chữ số');
	await field(page, 'applicantIdNumber').fill('079123456789');
	await expect(idField.getByTestId('field-error')).toHaveCount(0);

	// Required documents are marked; a conditional one says when it is needed.
	await expect(documentOf(page, 0).getByTestId('document-required')).toBeVisible();
	await expect(documentOf(page, 2).getByTestId('document-required')).toHaveCount(0);
	await expect(documentOf(page, 2)).toContainText('Chỉ khi: nếu không có giấy chứng sinh');

	let n = 0;
	for (const index of REQUIRED) {
		await documentOf(page, index).getByTestId('page-file').setInputFiles([await pageJpeg(++n), await pageJpeg(++n)]);
		await expect(documentOf(page, index).getByTestId('application-page')).toHaveCount(2, { timeout: 30_000 });
	}
	// The second page of the first document goes first.
	const firstDoc = documentOf(page, 0);
	const pageIds = () => firstDoc.getByTestId('application-page').evaluateAll((els) => els.map((e) => e.getAttribute('data-file-id')));
	const [one, two] = await pageIds();
	await firstDoc.getByRole('button', { name: 'Lên (Trang 2)' }).click();
	await expect.poll(pageIds).toEqual([two, one]);
	await saved(page);

	await page.reload();
	await expect(page.getByTestId('application-form')).toBeVisible({ timeout: 20_000 });
	await expect(page.getByLabel('Họ và tên', { exact: true })).toHaveValue('Nguyễn Thị Hoa');
	await expect(field(page, 'childName')).toHaveValue('Trần Minh An');
	await expect(field(page, 'birthDate')).toHaveValue('2026-11-28');
	await expect(field(page, 'sex')).toHaveValue('nam');
	await expect(field(page, 'applicantIdNumber')).toHaveValue('079123456789');
	for (const index of REQUIRED) await expect(documentOf(page, index).getByTestId('application-page')).toHaveCount(2);
	expect(await pageIds()).toEqual([two, one]);
	const pageTypes = await documentOf(page, 0).getByTestId('application-page').evaluateAll((els) => els.map((e) => e.getAttribute('data-mime')));
	expect(pageTypes.every((m) => m === 'image/webp' || m === 'image/jpeg'), `prepared on the phone: ${pageTypes}`).toBe(true);

	await page.getByTestId('application-send').click();
	const progress = page.getByTestId('application-progress');
	await expect(progress).toHaveAttribute('data-state', 'waiting');
	await expect(page.getByTestId('application-waiting')).toContainText('sẽ tự gửi khi có mạng');
	await expect(page).toHaveURL(/[?&]id=[0-9a-f-]{36}/);
	const id = new URL(page.url()).searchParams.get('id')!;

	await context.setOffline(false);
	await expect(progress).toHaveAttribute('data-state', 'delivered', { timeout: 60_000 });
	await expect(page.getByTestId('application-delivered')).toContainText('Đã gửi, chờ bộ phận một cửa kiểm tra');
	for (const index of REQUIRED) {
		const doc = page.locator(`[data-testid="application-doc-progress"][data-index="${index}"]`);
		await expect(doc).toHaveAttribute('data-sent', '2');
		await expect(doc).toContainText('2/2 trang');
	}
	await expect(page.getByTestId('application-open-my')).toHaveAttribute('href', /\/my$/);

	// The ward's one-stop office sees it with every page, and accepts it.
	const staff = await staffLogin(request, 'ubnd-lam-vien');
	const auth = { authorization: `Bearer ${staff.token}` };
	const listed = await json<{ applications: { id: string; applicantName: string; applicantPhone?: string; documents: { index: number; fileIds: string[] }[]; files: Record<string, { status: string }> }[] }>(
		await request.get('/api/offices/lam-vien/dossier-applications', { headers: auth })
	);
	const app = listed.applications.find((a) => a.id === id);
	expect(app, 'the office lists the application').toBeTruthy();
	expect(app!.applicantName).toBe('Nguyễn Thị Hoa');
	expect(app!.applicantPhone).toBe('0912345678');
	expect(app!.documents.map((d) => [d.index, d.fileIds.length])).toEqual(REQUIRED.map((i) => [i, 2]));
	await expect
		.poll(async () => Object.values((await json<{ files: Record<string, { status: string }> }>(await request.get(`/api/dossier-applications/${id}`, { headers: auth }))).files).map((f) => f.status), {
			timeout: 30_000,
			message: 'every page checked by the server'
		})
		.toEqual(Array(6).fill('ready'));
	const accepted = await json<{ status: string; dossierCode: string }>(
		await request.post(`/api/dossier-applications/${id}/actions`, { headers: auth, data: { action: 'accept', note: 'Hồ sơ đầy đủ' } })
	);
	expect(accepted.status).toBe('accepted');
	expect(accepted.dossierCode).toMatch(/^LAM-VIEN-\d{6}-\d{4}$/);

	await page.getByTestId('application-refresh').click();
	await expect(page.getByTestId('application-dossier-code')).toHaveAttribute('data-code', accepted.dossierCode, { timeout: 20_000 });
	await expect(page.getByTestId('application-status')).toContainText('Đã tiếp nhận');
});

test('a text file named x.pdf is refused on the phone with its reason; nothing else of the form is lost', async ({ page }) => {
	await openForm(page);
	await page.getByLabel('Họ và tên', { exact: true }).fill('Lê Văn Tám');
	await field(page, 'childName').fill('Lê Thị Mai');
	await documentOf(page, 0).getByTestId('page-file').setInputFiles([await pageJpeg(1)]);
	await expect(documentOf(page, 0).getByTestId('application-page')).toHaveCount(1, { timeout: 30_000 });
	// A page photographed sideways is turned a quarter: portrait becomes landscape.
	const thumb = documentOf(page, 0).getByTestId('application-page').locator('img');
	const shape = () => thumb.evaluate((img: HTMLImageElement) => (img.complete && img.naturalWidth ? (img.naturalWidth > img.naturalHeight ? 'landscape' : 'portrait') : 'loading'));
	await expect.poll(shape).toBe('portrait');
	await documentOf(page, 0).getByRole('button', { name: 'Xoay 90°' }).click();
	await expect.poll(shape).toBe('landscape');

	const second = documentOf(page, 1);
	await second.getByTestId('page-file').setInputFiles([{ name: 'x.pdf', mimeType: 'application/pdf', buffer: Buffer.from('Đây không phải PDF, chỉ là chữ.\n') }]);
	await expect(second.getByTestId('document-error')).toHaveText('Tệp này không phải ảnh hay PDF, hoặc bị hỏng. Hãy chụp lại hoặc chọn tệp khác.');
	await expect(second.getByTestId('application-page')).toHaveCount(0);

	await expect(page.getByLabel('Họ và tên', { exact: true })).toHaveValue('Lê Văn Tám');
	await expect(field(page, 'childName')).toHaveValue('Lê Thị Mai');
	await expect(documentOf(page, 0).getByTestId('application-page')).toHaveCount(1);

	// A real PDF, by its bytes, is taken and listed by its name.
	const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
	await second.getByTestId('page-file').setInputFiles([{ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: pdf }]);
	await expect(second.getByTestId('application-page')).toHaveCount(1);
	await expect(second.getByTestId('application-page')).toContainText('giay-chung-sinh.pdf');
	await expect(second.getByTestId('document-error')).toHaveCount(0);
});

test('queued offline and the app closed: the service worker sends it when Background Sync fires', async ({ page, context, server, request }) => {
	test.setTimeout(120_000);
	await primeForOffline(page);
	await openForm(page);
	await context.setOffline(true);
	await fillForm(page);
	for (const index of REQUIRED) {
		await documentOf(page, index).getByTestId('page-camera').setInputFiles([await pageJpeg(index)]);
		await expect(documentOf(page, index).getByTestId('application-page')).toHaveCount(1, { timeout: 30_000 });
	}
	await page.getByTestId('application-send').click();
	await expect(page.getByTestId('application-progress')).toHaveAttribute('data-state', 'waiting');
	const id = new URL(page.url()).searchParams.get('id')!;

	const control = await serviceWorkerControl(context, server.url);
	await page.close();
	await context.setOffline(false);
	await control.stopWorkers();

	const staff = await staffLogin(request, 'ubnd-lam-vien');
	const fetchView = async () => {
		const res = await request.get(`/api/dossier-applications/${id}`, { headers: { authorization: `Bearer ${staff.token}` } });
		return res.ok() ? ((await res.json()) as { files: Record<string, { status: string }> }) : null;
	};
	await new Promise((r) => setTimeout(r, 1_500));
	expect(await fetchView(), 'not sent before the sync event').toBeNull();

	await control.dispatchSync('outbox');
	await expect
		.poll(async () => Object.values((await fetchView())?.files ?? {}).map((f) => f.status), { timeout: 30_000, message: 'sent by the service worker' })
		.toEqual(['ready', 'ready', 'ready']);
});
