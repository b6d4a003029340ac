import type { Page } from '@playwright/test';
import { uuidv7 } from '$lib/domain/uuid';
import { expect, test } from './fixtures';
import { pullAll, pushEvent, staffLogin } from './support/api';
import { XUAN_HUONG_POINT, fileReport, newLocalContext, outboxItem, photo, waitForServiceWorker } from './support/resident';

/**
 * The resident follows up on their own report at /my: the handler's steps arrive live (no reload),
 * a notice badge tells them something happened, they answer the handler's question (the text they
 * type survives a reload), and they rate the result "not satisfied", which reopens the report on
 * the server. An answer the server refuses is shown with the reason, never dropped. The handler
 * acts through the API, as their own device would.
 */

test.use({ permissions: ['geolocation'], geolocation: XUAN_HUONG_POINT });

/** "Môi trường" in Xuân Hương ward goes to the ward's People's Committee (among others). */
const HANDLER = 'ubnd-xuan-huong';

/** Files a report online, waits for its tracking code, opens /my from the home page: the report's card. */
async function fileAndOpenMy(page: Page, description: string) {
	await fileReport(page, { category: 'Môi trường', description, photos: [photo('path.jpg')] });
	await expect(outboxItem(page, description)).toHaveAttribute('data-state', 'delivered', { timeout: 45_000 });
	const trackingCode = (await outboxItem(page, description).getByTestId('tracking-code').textContent())?.trim() ?? '';
	await page.goto('/');
	await page.getByTestId('home-my').click();
	await expect(page.getByRole('heading', { level: 1, name: 'Phản ánh của tôi' })).toBeVisible();
	const card = page.getByTestId('my-report').filter({ hasText: trackingCode });
	await expect(card).toBeVisible({ timeout: 20_000 });
	const reportId = (await card.getAttribute('data-report-id'))!;
	return { card, reportId, trackingCode };
}

test('a resident sees the handling live, answers a question, and rating "not satisfied" reopens the report', async ({
	page,
	request
}) => {
	test.setTimeout(150_000);
	const description = `Cống thoát nước bị tắc ở dốc Nhà Làng ${Date.now()}`;
	const { card, reportId } = await fileAndOpenMy(page, description);
	const handler = await staffLogin(request, HANDLER);

	await card.getByRole('button', { expanded: false }).click();
	const body = card.getByTestId('my-report-body');
	await expect(body.getByTestId('unit-status').first()).toBeVisible();

	// The handler accepts and asks a question: it shows up without a reload.
	await pushEvent(request, handler, reportId, 'accepted');
	await pushEvent(request, handler, reportId, 'info_requested', { note: 'Cống tắc ở trước số nhà nào?' });
	await expect(card).toHaveAttribute('data-status', 'in_progress', { timeout: 20_000 });
	const question = body.getByTestId('my-question');
	await expect(question).toContainText('Cống tắc ở trước số nhà nào?', { timeout: 20_000 });

	// What the resident types is kept across a reload.
	await question.getByLabel('Câu trả lời của bạn').fill('Trước nhà số 12');
	await expect(question.getByText('Nội dung đang viết được giữ trong máy.')).toBeVisible();
	await page.goto(`/my?report=${reportId}`);
	const answerBox = page.getByTestId('my-question').getByLabel('Câu trả lời của bạn');
	await expect(answerBox).toHaveValue('Trước nhà số 12', { timeout: 20_000 });
	await answerBox.fill('Trước nhà số 12, đường Nhà Làng');
	await page.getByRole('button', { name: 'Gửi câu trả lời' }).click();

	// Shown at once in the timeline, then stored by the server (no longer "not sent").
	const answered = body.locator('[data-testid=timeline-event][data-type=info_provided]');
	await expect(answered).toContainText('Trước nhà số 12, đường Nhà Làng');
	await expect(answered).not.toHaveAttribute('data-pending', 'true', { timeout: 20_000 });
	await expect(body.getByTestId('answer-form')).toHaveCount(0);
	const events = await pullAll(request, handler.token, 'events');
	expect(events.find((e) => e.reportId === reportId && e.type === 'info_provided')).toMatchObject({
		note: 'Trước nhà số 12, đường Nhà Làng',
		actorRole: 'resident'
	});

	// The card is closed; the handler resolves: status and a notice badge arrive live.
	await card.getByRole('button', { expanded: true }).click();
	await pushEvent(request, handler, reportId, 'resolved', { note: 'Đã nạo vét cống, nước thoát bình thường.' });
	await expect(card.getByTestId('my-status')).toHaveText('Đã xử lý xong', { timeout: 20_000 });
	await expect(card.getByTestId('my-report-unread')).toBeVisible({ timeout: 20_000 });
	await expect(page.getByTestId('my-unread')).toBeVisible();

	// Opening the report shows the result (still no reload) and reads its notices.
	await card.getByRole('button', { expanded: false }).click();
	await expect(body.getByTestId('my-result')).toContainText('Đã nạo vét cống, nước thoát bình thường.');
	await expect(body.locator('[data-testid=timeline-event][data-type=resolved]')).toContainText('Đã nạo vét cống');
	await expect(card.getByTestId('my-report-unread')).toHaveCount(0);
	await expect(page.getByTestId('my-unread')).toHaveCount(0);

	// "Not satisfied" needs a reason.
	const rating = body.getByTestId('rating-form');
	await rating.getByRole('button', { name: /Chưa hài lòng/ }).click();
	await rating.getByRole('button', { name: 'Gửi đánh giá' }).click();
	await expect(rating.getByRole('alert')).toHaveText('Hãy ghi lý do chưa hài lòng để cơ quan biết cần làm gì thêm.');
	await rating.getByLabel('Vì sao bạn chưa hài lòng?').fill('Trời mưa nước vẫn tràn lên mặt đường.');
	await rating.getByRole('button', { name: 'Gửi đánh giá' }).click();
	const feedback = body.locator('[data-testid=timeline-event][data-type=feedback]');
	await expect(feedback).toContainText('Chưa hài lòng');
	await expect(feedback).toContainText('Trời mưa nước vẫn tràn lên mặt đường.');
	await expect(body.getByTestId('rating-form')).toHaveCount(0);

	// The server reopens the report to its units; the resident sees it live too.
	await expect
		.poll(async () => (await pullAll(request, handler.token, 'reports')).find((r) => r.id === reportId)?.status, { timeout: 20_000 })
		.toBe('reopened');
	await expect(card).toHaveAttribute('data-status', 'reopened', { timeout: 20_000 });
	await expect(card.getByTestId('my-status')).toHaveText('Mở lại');
	// The reopening is a step of its own (the server's), read while the report is open.
	await expect(body.locator('[data-testid=timeline-event][data-type=reopened]')).toBeVisible({ timeout: 20_000 });

	// The units handle it again; the home page counts the news (from the device's notices, no RxDB there).
	await card.getByRole('button', { expanded: true }).click();
	await pushEvent(request, handler, reportId, 'progress', { note: 'Đội thoát nước sẽ kiểm tra lại khi trời mưa.' });
	await expect(card.getByTestId('my-report-unread')).toBeVisible({ timeout: 20_000 });
	await page.locator('header a.brand').click();
	await expect(page.getByTestId('my-badge')).toHaveText('1');
});

test('an answer the server refuses is shown with the reason, not dropped', async ({ page, context, request }) => {
	test.setTimeout(120_000);
	const { card, reportId } = await fileAndOpenMy(page, `Đèn đường hỏng trên đường Trần Phú ${Date.now()}`);
	const handler = await staffLogin(request, HANDLER);
	await card.getByRole('button', { expanded: false }).click();
	const body = card.getByTestId('my-report-body');

	await pushEvent(request, handler, reportId, 'info_requested', { note: 'Cột đèn số mấy?' });
	await expect(body.getByTestId('my-question')).toContainText('Cột đèn số mấy?', { timeout: 20_000 });

	// Offline, the answer waits on the phone, marked as not sent.
	await context.setOffline(true);
	await body.getByLabel('Câu trả lời của bạn').fill('Cột số 7');
	await page.getByRole('button', { name: 'Gửi câu trả lời' }).click();
	const answered = body.locator('[data-testid=timeline-event][data-type=info_provided]');
	await expect(answered).toHaveAttribute('data-pending', 'true');
	await expect(body.getByTestId('answer-pending')).toBeVisible();

	// Meanwhile the handler closes the report: the answer can no longer be taken.
	await pushEvent(request, handler, reportId, 'rejected_invalid', { note: 'Đèn đã được thay từ tuần trước.' });
	await context.setOffline(false);

	const refused = body.getByTestId('my-rejected');
	await expect(refused).toBeVisible({ timeout: 30_000 });
	await expect(refused).toContainText('Máy chủ không nhận câu trả lời của bạn');
	await expect(refused).toContainText('đã được xử lý xong hoặc đã bị từ chối');
	await expect(refused).toContainText('Cột số 7');
	await expect(card).toHaveAttribute('data-status', 'invalid', { timeout: 20_000 });

	// Still there after a reload, until the resident says they have seen it.
	await page.goto(`/my?report=${reportId}`);
	await expect(page.getByTestId('my-rejected')).toBeVisible({ timeout: 20_000 });
	await page.getByTestId('my-rejected').getByRole('button', { name: 'Đã hiểu' }).click();
	await expect(page.getByTestId('my-rejected')).toHaveCount(0);
});

/** Adds a row to the app's Dexie `follows` table, as the duplicate check does when the resident follows. */
async function followOnDevice(page: Page, reportId: string) {
	// The app creates its database (with the `follows` table) on its first open: wait for it.
	await expect
		.poll(() => page.evaluate(async () => (await indexedDB.databases()).find((d) => d.name === 'cau-noi-local')?.version ?? 0))
		.toBeGreaterThanOrEqual(20);
	await page.evaluate(
		(id) =>
			new Promise<void>((resolve, reject) => {
				const open = indexedDB.open('cau-noi-local');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					try {
						const tx = open.result.transaction('follows', 'readwrite');
						tx.objectStore('follows').put({ reportId: id, followedAt: Date.now() });
						tx.oncomplete = () => (open.result.close(), resolve());
						tx.onerror = () => reject(tx.error);
					} catch (e) {
						open.result.close();
						reject(e);
					}
				};
			}),
		reportId
	);
}

test('a followed report shows its public timeline, and its news becomes a notice', async ({ page, browser, baseURL, request }) => {
	test.setTimeout(120_000);
	// Someone else's report, filed from another phone.
	const other = await newLocalContext(browser, baseURL!, { permissions: ['geolocation'], geolocation: XUAN_HUONG_POINT });
	let reportId: string;
	try {
		const otherPage = await other.newPage();
		({ reportId } = await fileAndOpenMy(otherPage, `Cây đổ chắn đường Yersin ${Date.now()}`));
	} finally {
		await other.close();
	}
	const handler = await staffLogin(request, HANDLER);
	await pushEvent(request, handler, reportId, 'accepted');

	// This resident follows it instead of filing the same thing.
	await page.goto('/');
	await followOnDevice(page, reportId);
	await page.getByTestId('home-my').click();
	const followed = page.locator(`[data-testid=followed-report][data-report-id="${reportId}"]`);
	await expect(followed).toHaveAttribute('data-status', 'in_progress', { timeout: 20_000 });
	// What happened before following is not news.
	await expect(page.getByTestId('my-unread')).toHaveCount(0);

	// A follower reads the public timeline: the public text, not the private note.
	await pushEvent(request, handler, reportId, 'resolved', { note: 'Chủ nhà số 5 đã đồng ý', publicNote: 'Đã cắt và dọn cây đổ.' });
	// The page polls followed reports when opened (and every minute while open).
	await page.reload();
	await expect(followed).toHaveAttribute('data-status', 'resolved', { timeout: 20_000 });
	await expect(page.getByTestId('my-unread')).toBeVisible();
	await followed.getByRole('button', { expanded: false }).click();
	await expect(followed.locator('[data-testid=timeline-event][data-type=resolved]')).toContainText('Đã cắt và dọn cây đổ.');
	await expect(followed).not.toContainText('Chủ nhà số 5');
	await expect(page.getByTestId('my-unread')).toHaveCount(0);

	// The last copy stays readable offline (the service worker answers the page).
	await waitForServiceWorker(page);
	await page.context().setOffline(true);
	await page.reload();
	await expect(followed).toHaveAttribute('data-status', 'resolved', { timeout: 20_000 });
	await page.context().setOffline(false);
});

test('a push message shows a notification and counts as a notice on the home page', async ({ page, context }) => {
	await context.grantPermissions(['notifications']);
	await page.goto('/');
	await waitForServiceWorker(page);
	await expect(page.getByTestId('my-badge')).toHaveCount(0);

	// Deliver a push as the browser's push service would (Chromium DevTools protocol).
	const cdp = await context.newCDPSession(page);
	const registration = new Promise<string>((resolve) =>
		cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
			const live = registrations.find((r) => !r.isDeleted && r.scopeURL.startsWith(new URL(page.url()).origin));
			if (live) resolve(live.registrationId);
		})
	);
	await cdp.send('ServiceWorker.enable');
	const payload = { reportId: uuidv7(), eventId: uuidv7(), trackingCode: 'LD-250701-ABCDE', type: 'resolved', at: new Date().toISOString() };
	await cdp.send('ServiceWorker.deliverPushMessage', {
		origin: new URL(page.url()).origin,
		registrationId: await registration,
		data: JSON.stringify(payload)
	});

	await expect(page.getByTestId('my-badge')).toHaveText('1', { timeout: 10_000 });
	const shown = () =>
		page.evaluate(async () => {
			const reg = await navigator.serviceWorker.ready;
			return (await reg.getNotifications()).map((n) => ({ title: n.title, body: n.body, url: (n.data as { url: string }).url }));
		});
	await expect
		.poll(shown)
		.toEqual([
			{
				title: 'Phản ánh LD-250701-ABCDE',
				body: 'Đã xử lý xong. Bấm để xem kết quả và đánh giá.',
				url: `/my?report=${payload.reportId}`
			}
		]);
});
