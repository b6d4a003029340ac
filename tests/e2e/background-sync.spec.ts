import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { pullAll, staffLogin } from './support/api';
import { serviceWorkerControl } from './support/service-worker';
import { XUAN_HUONG_POINT, fileReport, outboxItem, photo, primeForOffline } from './support/resident';

/**
 * A resident files a report with no network and closes the app. Later the phone is online again,
 * but no page of the app is open: the service worker alone, woken by Background Sync (tag
 * `outbox`), sends the report and its photo. The test plays the browser's part: it fires the
 * `sync` event into the worker through the DevTools protocol, as Chromium does when the network
 * returns. Everything is checked on the server before any app page opens again — a page would
 * flush the outbox itself — and only then does the outbox show the delivery the worker recorded.
 */

test.use({ permissions: ['geolocation'], geolocation: XUAN_HUONG_POINT });

/** The routed handler's view of the server, through its API (not a browser page). */
async function handlerApi(request: APIRequestContext, username: string) {
	const { token } = await staffLogin(request, username);
	return {
		report: async (id: string) => (await pullAll(request, token, 'reports')).find((r) => r.id === id),
		media: async (reportId: string) => (await pullAll(request, token, 'media')).filter((m) => m.reportId === reportId)
	};
}

test('with no page of the app open, the service worker delivers the outbox when Background Sync fires', async ({
	page,
	context,
	server,
	request
}) => {
	test.setTimeout(120_000);

	await primeForOffline(page);
	await context.setOffline(true);

	const description = `Ổ gà lớn trên đường Bùi Thị Xuân ${test.info().repeatEachIndex}-${Date.now()}`;
	await fileReport(page, { category: 'Môi trường', description, photos: [photo('autumn.jpg')] });
	const item = outboxItem(page, description);
	await expect(item).toHaveAttribute('data-state', 'waiting');
	const reportId = (await item.getAttribute('data-report-id'))!;
	expect(reportId).toBeTruthy();

	// The resident closes the app. The browser (context) stays: the worker and IndexedDB remain.
	const control = await serviceWorkerControl(context, server.url);
	await page.close();
	await context.setOffline(false);
	await control.stopWorkers();
	expect(context.pages().map((p) => p.url()), 'no page of the app is open').toEqual(['about:blank']);

	// Online, yet nothing sends it: the page that would is closed.
	const handler = await handlerApi(request, 'ubnd-xuan-huong');
	await new Promise((r) => setTimeout(r, 2_000));
	expect(await handler.report(reportId), 'not sent before the sync event').toBeUndefined();

	await control.dispatchSync('outbox');

	// The server has it, routed to the ward's committee, with its photo processed.
	await expect
		.poll(async () => (await handler.report(reportId))?.trackingCode, { timeout: 30_000, message: 'report stored on the server' })
		.toMatch(/^LD-\d{6}-[A-Z0-9]+$/);
	const stored = (await handler.report(reportId))!;
	expect(stored).toMatchObject({ description, categoryCode: 'environment', wardCode: '24781' });
	expect((stored.photoIds as string[]).length).toBe(1);
	await expect
		.poll(async () => (await handler.media(reportId)).map((m) => [m.id, m.status]), {
			timeout: 30_000,
			message: 'photo uploaded and processed'
		})
		.toEqual([[(stored.photoIds as string[])[0], 'ready']]);
	expect(context.pages().map((p) => p.url()), 'still no page of the app').toEqual(['about:blank']);

	// The resident opens the app again: the outbox shows what the worker recorded.
	const reopened = await context.newPage();
	await reopened.goto('/outbox');
	const delivered = outboxItem(reopened, description);
	await expect(delivered).toHaveAttribute('data-state', 'delivered');
	await expect(delivered.getByTestId('tracking-code')).toHaveText(stored.trackingCode as string);
	await control.blank.close();
});
