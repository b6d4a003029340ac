import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { fileReportViaApi, pullAll, pushEvent, staffLogin, type DocState } from './support/api';
import { loginHandler, newLocalContext, photo, waitForServiceWorker } from './support/resident';

/**
 * A handler in the field with no signal: opens a report (it becomes "seen"), accepts it and resolves
 * it with a result note and a photo while offline; the steps show at once as not sent; when the
 * network returns they reach the server in order, with the photo. A leader sees which units have not
 * acted and gives a directive.
 */

/** Lâm Viên ward, category "environment": routed to the ward committee and to Natural Resources and Environment. */
const WARD = 'ubnd-lam-vien';
const OTHER_UNIT = 'natural-resources-environment';

/** A resident's device files a report through the sync API (the form itself is covered by other specs). */
async function fileReport(request: APIRequestContext, description: string): Promise<DocState> {
	const stored = await fileReportViaApi(request, { description });
	expect(stored.assignedUnitIds).toEqual([OTHER_UNIT, WARD]);
	return stored;
}

async function openReport(page: Page, trackingCode: string) {
	const item = page.locator(`[data-testid=inbox-item][data-tracking-code="${trackingCode}"]`);
	await expect(item).toBeVisible({ timeout: 20_000 });
	await item.getByRole('button').click();
	await expect(page.getByTestId('report-detail')).toBeVisible();
}

const timelineEvent = (page: Page, type: string) => page.locator(`[data-testid=timeline-event][data-type=${type}]`);

test('a handler offline sees, accepts and resolves with a photo; online, the server stores the steps in order with the photo', async ({
	page,
	context,
	request
}) => {
	test.setTimeout(120_000);
	const description = `Rác đổ trộm đường Phan Đình Phùng ${Date.now()}`;
	const report = await fileReport(request, description);

	await loginHandler(page, WARD);
	// The app shell (and the photo resizer) must be cached before the network goes.
	await waitForServiceWorker(page);
	await openReport(page, String(report.trackingCode));
	const detail = page.getByTestId('report-detail');
	await expect(detail).toContainText(description);

	// Opening it records "seen" for the ward committee, once; the server stores it.
	await expect(timelineEvent(page, 'seen')).toHaveCount(1);
	await expect(timelineEvent(page, 'seen')).not.toHaveAttribute('data-pending', 'true', { timeout: 20_000 });
	await expect(detail.locator(`[data-testid=unit-status][data-unit=${WARD}]`)).toHaveAttribute('data-seen', 'true');

	await context.setOffline(true);
	await page.getByTestId('action-accept').click();
	await expect(timelineEvent(page, 'accepted')).toHaveAttribute('data-pending', 'true');
	await expect(detail.getByTestId('step-saved')).toBeVisible();
	await expect(page.getByTestId('action-accept')).toHaveCount(0);

	await page.getByTestId('action-resolve').click();
	const form = page.getByTestId('step-form');
	await expect(form).toHaveAttribute('data-action', 'resolve');
	// Sending without the result note is refused on the device.
	await form.getByTestId('step-send').click();
	await expect(form.getByTestId('step-problem')).toBeVisible();
	await form.getByTestId('step-note').fill('Đã thu gom toàn bộ rác, khu vực đã sạch');
	await form.getByTestId('step-photo-input').setInputFiles(photo('autumn.jpg'));
	await expect(form.getByTestId('step-form-photo')).toHaveCount(1, { timeout: 30_000 });
	await form.getByTestId('step-send').click();
	await expect(form).toHaveCount(0);

	const resolved = timelineEvent(page, 'resolved');
	await expect(resolved).toHaveAttribute('data-pending', 'true');
	await expect(resolved).toContainText('Đã thu gom toàn bộ rác');
	await expect(resolved.locator('[data-testid=step-photo][data-state=pending]')).toHaveCount(1);
	await expect(detail.getByTestId('detail-status')).toHaveAttribute('data-status', 'resolved');
	await expect(detail.getByTestId('no-actions')).toBeVisible();
	// Nothing left the device yet.
	const leader = (await staffLogin(request, 'lanhdao')).token;
	expect((await pullAll(request, leader, 'events')).filter((e) => e.reportId === report.id).map((e) => e.type)).not.toContain('accepted');

	await context.setOffline(false);
	await expect(resolved).not.toHaveAttribute('data-pending', 'true', { timeout: 30_000 });
	await expect(timelineEvent(page, 'accepted')).not.toHaveAttribute('data-pending', 'true');
	// The photo is now the server's copy, decoded in the page.
	const stored = resolved.locator('img[data-testid=photo-thumb]');
	await expect(stored).toBeVisible({ timeout: 30_000 });
	await expect.poll(() => stored.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);

	// On the server: the report is resolved, the steps are in the order they were made, the result carries the photo.
	await expect
		.poll(async () => (await pullAll(request, leader, 'reports')).find((r) => r.id === report.id)?.status, { timeout: 20_000 })
		.toBe('resolved');
	const events = (await pullAll(request, leader, 'events'))
		.filter((e) => e.reportId === report.id)
		.sort((a, b) => String(a.serverAt).localeCompare(String(b.serverAt)) || a.id.localeCompare(b.id));
	expect(events.filter((e) => e.actorId === `staff:${WARD}`).map((e) => e.type)).toEqual(['seen', 'accepted', 'resolved']);
	const result = events.find((e) => e.type === 'resolved')!;
	expect(result).toMatchObject({ unitId: WARD, actorRole: 'handler', note: 'Đã thu gom toàn bộ rác, khu vực đã sạch' });
	expect(result.photoIds).toHaveLength(1);
	const photoId = (result.photoIds as string[])[0];
	await expect
		.poll(async () => (await pullAll(request, leader, 'media')).find((m) => m.id === photoId), { timeout: 20_000 })
		.toMatchObject({ status: 'ready', eventId: result.id, reportId: report.id });
});

test('a leader sees the unit that has not acted and gives a directive', async ({ browser, baseURL, request }) => {
	test.setTimeout(90_000);
	const report = await fileReport(request, `Cây đổ chắn đường ${Date.now()}`);
	// The ward committee has accepted it; Natural Resources and Environment has done nothing yet.
	await pushEvent(request, await staffLogin(request, WARD), report.id, 'accepted');

	const context = await newLocalContext(browser, baseURL!);
	try {
		const page = await context.newPage();
		await loginHandler(page, 'lanhdao');
		await openReport(page, String(report.trackingCode));

		const notActed = page.getByTestId('units-not-acted');
		await expect(notActed.getByTestId('unit-not-acted')).toHaveCount(1);
		await expect(notActed.locator(`[data-unit=${OTHER_UNIT}]`)).toBeVisible();
		await expect(page.locator(`[data-testid=unit-progress][data-unit=${WARD}]`)).toHaveAttribute('data-acted', 'true');
		await page.getByTestId('action-directive').click();
		const form = page.getByTestId('step-form');
		await form.getByTestId('step-note').fill('Đề nghị Sở Nông nghiệp và Môi trường phối hợp xử lý trong ngày');
		await form.getByTestId('step-send').click();
		const directive = timelineEvent(page, 'directive');
		await expect(directive).toContainText('phối hợp xử lý trong ngày');
		await expect(directive).not.toHaveAttribute('data-pending', 'true', { timeout: 20_000 });
		// A leader looking is not a unit seeing: no "seen" was recorded for them.
		await expect(timelineEvent(page, 'seen')).toHaveCount(0);

		const leader = (await staffLogin(request, 'lanhdao')).token;
		const stored = (await pullAll(request, leader, 'events')).find((e) => e.reportId === report.id && e.type === 'directive');
		expect(stored).toMatchObject({ actorRole: 'leader', note: 'Đề nghị Sở Nông nghiệp và Môi trường phối hợp xử lý trong ngày' });
		expect(stored?.serverAt).toBeTruthy();
	} finally {
		await context.close();
	}
});

test('a draft survives a reload; logout warns about unsent steps; a step the server refuses is shown with why until dismissed', async ({
	page,
	context,
	request
}) => {
	test.setTimeout(120_000);
	const report = await fileReport(request, `Đèn đường hỏng ${Date.now()}`);
	await loginHandler(page, WARD);
	await waitForServiceWorker(page);
	await openReport(page, String(report.trackingCode));
	const detail = page.getByTestId('report-detail');

	// What is typed in a step form is kept through a reload.
	await page.getByTestId('action-progress').click();
	await page.getByTestId('step-note').fill('Đã liên hệ điện lực, chờ thay bóng');
	// A person types for seconds; the test types at once: it reloads once the draft is on the device,
	// as a person's reload would find it (not while its write may still be under way).
	await expect
		.poll(() =>
			page.evaluate(
				() =>
					new Promise<string[]>((ok) => {
						const open = indexedDB.open('cau-noi-local');
						open.onsuccess = () => {
							const all = open.result.transaction('settings').objectStore('settings').getAll();
							all.onsuccess = () => (open.result.close(), ok(all.result.map((r: { value?: { note?: string } }) => r.value?.note ?? '')));
						};
						open.onerror = () => ok([]);
					})
			)
		)
		.toContain('Đã liên hệ điện lực, chờ thay bóng');
	await page.reload();
	await expect(page.getByTestId('step-form')).toHaveAttribute('data-action', 'progress', { timeout: 20_000 });
	await expect(page.getByTestId('step-note')).toHaveValue('Đã liên hệ điện lực, chờ thay bóng');
	await page.getByRole('button', { name: 'Hủy' }).click();
	await expect(page.getByTestId('step-form')).toHaveCount(0);

	// Offline, the ward committee resolves it; meanwhile the provincial leader finds the report untrue
	// (a leader's decision closes the report; a coordinating unit's would only report its part).
	await context.setOffline(true);
	await page.getByTestId('action-resolve').click();
	await page.getByTestId('step-note').fill('Đã thay bóng đèn');
	await page.getByTestId('step-send').click();
	await expect(timelineEvent(page, 'resolved')).toHaveAttribute('data-pending', 'true');
	await pushEvent(request, await staffLogin(request, 'lanhdao'), report.id, 'rejected_invalid', {
		note: 'Đèn vẫn sáng bình thường khi kiểm tra'
	});

	// Logging out now would lose the step: the app says so and asks.
	await page.getByRole('button', { name: /Quay lại/ }).click();
	await page.getByTestId('logout').click();
	const confirm = page.getByTestId('logout-confirm');
	await expect(confirm).toContainText('1 thao tác');
	await confirm.getByRole('button', { name: 'Ở lại chờ gửi' }).click();
	await expect(confirm).toHaveCount(0);
	await expect(page.getByTestId('unsent-count')).toBeVisible();

	await context.setOffline(false);
	// The report is closed now (the leader found it invalid): the status filter shows closed ones.
	await page.getByLabel('Trạng thái').selectOption('all');
	await openReport(page, String(report.trackingCode));
	const refused = detail.getByTestId('refused-step');
	await expect(refused).toHaveAttribute('data-code', 'report_closed', { timeout: 30_000 });
	await expect(refused).toContainText('Báo cáo kết quả');
	// The refused step is not shown as waiting any more; the report is what the server says.
	await expect(timelineEvent(page, 'resolved')).toHaveCount(0);
	await expect(timelineEvent(page, 'rejected_invalid')).toBeVisible();
	await expect(detail.getByTestId('detail-status')).toHaveAttribute('data-status', 'invalid');

	// Still there after a reload, until the handler has read it.
	await page.reload();
	await expect(detail.getByTestId('refused-step')).toHaveCount(1, { timeout: 20_000 });
	await detail.getByRole('button', { name: 'Đã hiểu' }).click();
	await expect(detail.getByTestId('refused-step')).toHaveCount(0);
	await page.getByRole('button', { name: /Quay lại/ }).click();
	await expect(page.getByTestId('unsent-count')).toHaveCount(0);

	// A half-written step with a photo, then logout: nothing of the handling stays on the device.
	const second = await fileReport(request, `Ổ gà trên đường ${Date.now()}`);
	await openReport(page, String(second.trackingCode));
	await page.getByTestId('action-progress').click();
	await page.getByTestId('step-note').fill('Đang kiểm tra');
	await page.getByTestId('step-photo-input').setInputFiles(photo('path.jpg'));
	await expect(page.getByTestId('step-form-photo')).toHaveCount(1, { timeout: 30_000 });
	expect(await deviceLeftovers(page)).toMatchObject({ photos: 1, drafts: 1 });
	await page.getByRole('button', { name: /Quay lại/ }).click();
	await page.getByTestId('logout').click();
	await expect(page.getByLabel('Tên đăng nhập')).toBeVisible();
	await expect.poll(() => deviceLeftovers(page)).toEqual({ photos: 0, drafts: 0, refusals: 0, inboxDbs: 0 });
});

/** What handling left in this browser's IndexedDB: step photos, drafts, refusals, the RxDB inbox. */
async function deviceLeftovers(page: Page) {
	return page.evaluate(async () => {
		const open = await new Promise<IDBDatabase>((resolve, reject) => {
			const req = indexedDB.open('cau-noi-local');
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		});
		const all = <T>(store: string) =>
			new Promise<T[]>((resolve) => {
				const req = open.transaction(store).objectStore(store).getAll();
				req.onsuccess = () => resolve(req.result as T[]);
				req.onerror = () => resolve([]);
			});
		const photos = (await all<{ eventId?: string }>('photos')).filter((p) => p.eventId).length;
		const keys = (await all<{ key: string }>('settings')).map((r) => r.key);
		open.close();
		const dbs = (await indexedDB.databases()).filter((d) => d.name?.startsWith('rxdb-dexie-cau-noi-inbox')).length;
		return {
			photos,
			drafts: keys.filter((k) => k.startsWith('handling-draft:')).length,
			refusals: keys.filter((k) => k.startsWith('handling-refused:')).length,
			inboxDbs: dbs
		};
	});
}

test('a handler adds a unit from the tenant’s list, then hands their own part over', async ({ page, request }) => {
	test.setTimeout(90_000);
	const report = await fileReport(request, `Lấn chiếm vỉa hè ${Date.now()}`);
	await loginHandler(page, WARD);
	await openReport(page, String(report.trackingCode));
	const leader = (await staffLogin(request, 'lanhdao')).token;
	const units = async () => (await pullAll(request, leader, 'reports')).find((r) => r.id === report.id)?.assignedUnitIds;

	await page.getByTestId('action-addUnit').click();
	const picker = page.getByTestId('unit-picker');
	// Units already on the report are not offered.
	await expect(picker.locator(`input[data-unit=${WARD}]`)).toHaveCount(0);
	await picker.getByRole('searchbox').fill('cong an');
	await picker.locator('input[data-unit=police]').check();
	await page.getByTestId('step-note').fill('Đề nghị công an phường phối hợp');
	await page.getByTestId('step-send').click();
	await expect(timelineEvent(page, 'transferred')).not.toHaveAttribute('data-pending', 'true', { timeout: 20_000 });
	await expect.poll(units, { timeout: 20_000 }).toEqual([OTHER_UNIT, 'police', WARD]);
	await expect(page.locator(`[data-testid=unit-status][data-unit=${WARD}]`)).toHaveAttribute('data-seen', 'true');

	// Sending without a unit is refused on the device; with one, the ward committee's part goes.
	await page.getByTestId('action-transfer').click();
	await page.getByTestId('step-send').click();
	await expect(page.getByTestId('step-problem')).toBeVisible();
	await page.getByTestId('unit-picker').locator('input[type=checkbox]').first().check();
	const target = await page.getByTestId('unit-picker').locator('input[type=checkbox]').first().getAttribute('data-unit');
	await page.getByTestId('step-send').click();
	await expect.poll(units, { timeout: 20_000 }).toEqual([OTHER_UNIT, 'police', target!].sort());
	// No longer the ward committee's report: the server tells this device to drop it (and the
	// reporter's contact), so it leaves the inbox.
	await expect(page.getByTestId('report-detail')).toHaveCount(0, { timeout: 20_000 });
	await expect(page.locator(`[data-testid=inbox-item][data-tracking-code="${report.trackingCode}"]`)).toHaveCount(0);
	await expect(page.getByTestId('inbox-list')).toBeVisible();
});
