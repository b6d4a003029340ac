import { XUAN_HUONG_POINT, fileReport, outboxItem, photo, primeForOffline } from './support/resident';
import { expect, freshTokenSecret, test } from './support/restartable-server';

/**
 * The phone has a network but the server does not answer (down, restarting), and when it is back
 * the phone's token is no longer valid (the server's secret changed). Neither loses the report: it
 * waits, retries on its own schedule, re-authenticates silently and is delivered.
 */

test.use({ permissions: ['geolocation'], geolocation: XUAN_HUONG_POINT });

test('a report sent while the server is down is kept and delivered after the server restarts with a new token secret', async ({
	page,
	context,
	ownServer
}) => {
	test.setTimeout(120_000);

	await primeForOffline(page);

	// A first report while all is well: the phone now holds a token from the server.
	const first = `Đèn đường hỏng trên đường Hồ Tùng Mậu ${Date.now()}`;
	await fileReport(page, { category: 'Hạ tầng đô thị', description: first, photos: [photo('path.jpg')] });
	await expect(outboxItem(page, first)).toHaveAttribute('data-state', 'delivered', { timeout: 30_000 });

	await ownServer.stop();

	// The phone is online, so it tries at once — and the server is not there.
	const pushFailed = context.waitForEvent('requestfailed', {
		predicate: (r) => r.url().includes('/api/sync/reports/push'),
		timeout: 30_000
	});
	const second = `Cây đổ chắn đường Trần Hưng Đạo ${Date.now()}`;
	await fileReport(page, { category: 'Môi trường', description: second, photos: [photo('autumn.jpg')] });
	await pushFailed;
	const waiting = outboxItem(page, second);
	await expect(waiting).toHaveAttribute('data-state', 'waiting');
	await expect(waiting.getByTestId('tracking-code')).toHaveCount(0);
	await expect(page.getByTestId('offline-banner')).toBeHidden();

	// Back, with a new token secret: the phone's token is refused and must be renewed silently.
	const afterRestart: string[] = [];
	context.on('response', (r) => {
		const path = new URL(r.url()).pathname;
		if (path.startsWith('/api/sync/reports/push') || path === '/api/auth/device') afterRestart.push(`${r.status()} ${path}`);
	});
	await ownServer.start({ tokenSecret: freshTokenSecret() });

	// No "online" event here (the phone never lost its network): the outbox's own retry delivers it.
	await expect(waiting).toHaveAttribute('data-state', 'delivered', { timeout: 45_000 });
	const code = (await waiting.getByTestId('tracking-code').textContent())?.trim();
	expect(code).toMatch(/^LD-\d{6}-[A-Z0-9]+$/);
	// The old token was refused, a new one fetched with the device's secret, and the push went through.
	expect(afterRestart).toEqual(
		expect.arrayContaining(['401 /api/sync/reports/push', '200 /api/auth/device', '200 /api/sync/reports/push'])
	);

	// Stored once on the server, under the code the resident sees, with its photo.
	const reportId = (await waiting.getAttribute('data-report-id'))!;
	const stored = await ownServer.handle!.storage.store('reports').get(reportId);
	expect(stored).toMatchObject({ id: reportId, trackingCode: code, description: second });
	const photoId = (stored!.photoIds as string[])[0];
	await expect
		.poll(async () => (await ownServer.handle!.storage.store('media').get(photoId))?.status)
		.toBe('ready');
	await expect(outboxItem(page, first)).toHaveAttribute('data-state', 'delivered');
});
