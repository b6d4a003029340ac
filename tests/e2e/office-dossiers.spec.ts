import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { uuidv7 } from '$lib/domain/uuid';
import { expect, test } from './fixtures';
import { json, type ApiSession } from './support/api';
import { DEMO_PASSWORD, newLocalContext, photo, waitForServiceWorker } from './support/resident';

/**
 * The one-stop office's queue of applications filed online (/office-dossiers) and the resident's
 * side in /my. A resident's phone files an application through the API (its own device token, the
 * same the page uses); the office's official signs in, sees it with its pages, cannot refuse without
 * a reason, asks for a document; the resident reads the request in /my and answers with a page;
 * the official accepts: the code and due date show, large; the resident's /my shows the code, offline too.
 */

const PROCEDURE = '1.001193';
const OFFICE = 'lam-vien';
const APPLICANT = 'Hoàng Thị Mai';
const ASK_NOTE = 'Ảnh giấy chứng sinh bị mờ, xin chụp lại rõ hơn.';

/** Gives the page's phone a known identity (its Dexie `identity` row) and signs it in through the API as the app would. */
async function residentDevice(page: Page, request: APIRequestContext): Promise<ApiSession> {
	const deviceId = crypto.randomUUID();
	const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
	await page.goto('/my');
	// /my opens the device's database: wait for its tables before writing into it.
	await expect
		.poll(() =>
			page.evaluate(
				() =>
					new Promise<boolean>((resolve) => {
						const open = indexedDB.open('cau-noi-local');
						open.onsuccess = () => {
							const ok = open.result.objectStoreNames.contains('myApplications');
							open.result.close();
							resolve(ok);
						};
						open.onerror = () => resolve(false);
					})
			)
		)
		.toBe(true);
	await page.evaluate(
		(row) =>
			new Promise<void>((resolve, reject) => {
				const open = indexedDB.open('cau-noi-local');
				open.onsuccess = () => {
					const tx = open.result.transaction('identity', 'readwrite');
					tx.objectStore('identity').put(row);
					tx.oncomplete = () => (open.result.close(), resolve());
					tx.onerror = () => reject(tx.error);
				};
			}),
		{ key: 'device', deviceId, secret }
	);
	return json<ApiSession>(await request.post('/api/auth/device', { data: { deviceId, secret } }));
}

/** One page sent the way the app sends it (tus: create, then one PATCH). */
async function uploadPage(request: APIRequestContext, s: ApiSession, applicationId: string, fileId: string) {
	const bytes = readFileSync(photo('path.jpg'));
	const b64 = (v: string) => Buffer.from(v).toString('base64');
	const meta = Object.entries({ fileId, applicationId, filetype: 'image/jpeg' }).map(([k, v]) => `${k} ${b64(v)}`).join(',');
	const headers = { 'Tus-Resumable': '1.0.0', authorization: `Bearer ${s.token}` };
	const created = await request.post('/api/dossier-files/uploads', { headers: { ...headers, 'Upload-Length': String(bytes.length), 'Upload-Metadata': meta } });
	expect(created.status(), await created.text()).toBe(201);
	const sent = await request.patch(created.headers()['location'], {
		headers: { ...headers, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
		data: bytes
	});
	expect(sent.status()).toBe(204);
}

async function applicationOf(request: APIRequestContext, s: ApiSession, id: string) {
	return json<{ status: string; documents: { index: number; fileIds: string[] }[]; dossierCode?: string }>(
		await request.get(`/api/dossier-applications/${id}`, { headers: { authorization: `Bearer ${s.token}` } })
	);
}

test('staff ask for a document, the resident answers from /my, staff accept: the code shows on both sides, offline too', async ({ page, browser, baseURL, request }) => {
	test.setTimeout(180_000);
	const resident = await residentDevice(page, request);
	const id = uuidv7();
	const pages = [uuidv7(), uuidv7(), uuidv7()];
	await json(
		await request.post('/api/dossier-applications', {
			headers: { authorization: `Bearer ${resident.token}` },
			data: {
				id,
				procedureCode: PROCEDURE,
				officeId: OFFICE,
				applicantName: APPLICANT,
				applicantPhone: '0912000111',
				form: { childName: 'Hoàng Minh An', birthDate: '2026-11-20', sex: 'nam', birthPlace: 'Bệnh viện Đa khoa Lâm Đồng', motherName: APPLICANT, applicantIdNumber: '068190001234', relation: 'me' },
				documents: [
					{ index: 0, fileIds: [pages[0]] },
					{ index: 1, fileIds: [pages[1]] },
					{ index: 5, fileIds: [pages[2]] }
				],
				createdAt: new Date().toISOString()
			}
		})
	);
	await uploadPage(request, resident, id, pages[0]);

	// The official signs in on the queue page and opens the application.
	const office = await newLocalContext(browser, baseURL!);
	const staff = await office.newPage();
	await staff.goto('/office-dossiers');
	await staff.getByLabel('Tên đăng nhập').fill('ubnd-lam-vien');
	await staff.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await staff.getByRole('button', { name: 'Đăng nhập' }).click();
	const item = staff.getByTestId('queue-item').filter({ hasText: APPLICANT });
	await expect(item).toContainText('Đăng ký khai sinh', { timeout: 20_000 });
	await expect(item).toContainText('1/3 trang đã đến');
	await item.click();
	const detail = staff.getByTestId('application-detail');
	await expect(detail.getByTestId('application-phone')).toHaveText('0912000111');
	// The form's values under the procedure's labels, a select by its words.
	await expect(detail.getByTestId('application-form')).toContainText('Họ, chữ đệm và tên của trẻ');
	await expect(detail.getByTestId('application-form')).toContainText('Hoàng Minh An');
	await expect(detail.getByTestId('application-form')).toContainText('20/11/2026');
	await expect(detail.getByTestId('application-form')).toContainText('Mẹ');
	await expect(detail.getByTestId('application-document')).toHaveCount(3);
	await expect(detail.getByTestId('application-document').first()).toContainText('Tờ khai đăng ký khai sinh');
	await expect(detail.getByTestId('dossier-thumb')).toHaveCount(1, { timeout: 20_000 });
	await expect.poll(() => detail.getByTestId('dossier-thumb').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
	await expect(detail.locator('[data-testid="dossier-page"][data-state="waiting"]')).toHaveCount(2);
	// A page is read full size: larger than its thumbnail.
	await detail.getByRole('button', { name: 'Xem trang 1 cỡ lớn' }).click();
	const big = staff.getByTestId('dossier-page-big').locator('img');
	await expect.poll(() => big.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 20_000 }).toBeGreaterThan(1000);
	await staff.getByRole('button', { name: 'Đóng' }).click();
	await expect(big).toHaveCount(0);

	// No refusal without a reason: said, and nothing sent.
	await detail.getByTestId('action-refuse').click();
	await detail.getByTestId('action-confirm').click();
	await expect(detail.getByTestId('action-error')).toHaveText('Hãy ghi nội dung trước khi gửi.');
	expect((await applicationOf(request, resident, id)).status).toBe('submitted');

	await detail.getByTestId('action-ask').click();
	await detail.getByTestId('action-note').fill(ASK_NOTE);
	await detail.getByTestId('action-confirm').click();
	await expect(detail.getByTestId('action-done')).toHaveText('Đã gửi yêu cầu bổ sung cho người dân.');
	await expect(detail).toHaveAttribute('data-status', 'needs_documents');

	// The resident reads the request in /my, marked new, and answers with a page.
	await page.reload();
	const mine = page.getByTestId('my-application').filter({ hasText: 'Đăng ký khai sinh' });
	await expect(mine.getByTestId('my-application-status')).toHaveText('Cần bổ sung giấy tờ', { timeout: 20_000 });
	await expect(mine.getByTestId('my-application-note')).toContainText(ASK_NOTE);
	await expect(mine.getByTestId('my-application-new')).toBeVisible();
	await mine.getByTestId('add-documents-open').click();
	await mine.getByTestId('add-documents-doc').selectOption({ label: 'Giấy chứng sinh do cơ sở y tế cấp' });
	await mine.getByTestId('add-documents-file').setInputFiles(photo('autumn.jpg'));
	await expect(mine.getByTestId('add-documents-count')).toHaveText('1 trang đã chọn', { timeout: 30_000 });
	await mine.getByTestId('add-documents-note').fill('Đã chụp lại giấy chứng sinh.');
	await mine.getByTestId('add-documents-send').click();
	await expect(mine.getByTestId('add-documents-done')).toHaveText('Đã gửi bổ sung. Cơ quan sẽ kiểm tra lại hồ sơ.', { timeout: 30_000 });
	await expect(mine.getByTestId('my-application-status')).toHaveText('Đã nộp, chờ tiếp nhận');
	const answered = await applicationOf(request, resident, id);
	expect(answered.status).toBe('submitted');
	expect(answered.documents.find((d) => d.index === 1)?.fileIds).toHaveLength(2);

	// Back in the queue: the answer is there to check; the official accepts it.
	await detail.getByTestId('application-close').click();
	await staff.getByTestId('tab-submitted').click();
	await staff.getByTestId('queue-item').filter({ hasText: APPLICANT }).click();
	await expect(detail.getByTestId('application-step').last()).toContainText('Đã chụp lại giấy chứng sinh.');
	await detail.getByTestId('action-accept').click();
	await detail.getByTestId('action-confirm').click();
	const code = detail.getByTestId('accepted-code');
	await expect(code).toHaveText(/^LAM-VIEN-\d{6}-\d{4}$/, { timeout: 20_000 });
	await expect(detail.getByTestId('accepted-due')).toHaveText(/^\d{2}\/\d{2}\/\d{4}$/);
	const dossierCode = (await code.textContent())!;
	expect((await applicationOf(request, resident, id)).dossierCode).toBe(dossierCode);

	// Later steps come one after another; each is what anyone holding the code then reads.
	await detail.getByTestId('step-processing').click();
	await expect(detail.getByTestId('dossier-now')).toHaveText('Đang giải quyết');
	await expect(detail.getByTestId('step-processing')).toHaveCount(0);
	await expect(detail.getByTestId('step-result_ready')).toBeVisible();
	expect((await json<{ status: string }>(await request.get(`/api/public/dossiers/${dossierCode}`))).status).toBe('processing');
	const { violations } = await new AxeBuilder({ page: staff }).analyze();
	expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

	// The resident's /my shows the code, and still does offline.
	await waitForServiceWorker(page);
	await page.reload();
	await expect(mine.getByTestId('my-application-code')).toHaveText(`Mã hồ sơ: ${dossierCode}`, { timeout: 20_000 });
	await expect(mine.getByRole('link', { name: 'Tra cứu hồ sơ này' })).toHaveAttribute('href', new RegExp(`/dossier\\?code=${dossierCode}$`));
	await page.context().setOffline(true);
	await page.reload();
	await expect(mine.getByTestId('my-application-code')).toHaveText(`Mã hồ sơ: ${dossierCode}`, { timeout: 20_000 });
	await expect(mine.getByTestId('my-application-status')).toHaveText('Đã tiếp nhận');
	await page.context().setOffline(false);
	await office.close();
});
