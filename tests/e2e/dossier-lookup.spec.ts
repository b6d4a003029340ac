import { writeFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type APIRequestContext, type Page } from '@playwright/test';
import { encode } from 'uqr';
import { expect, prepareContext, test } from './fixtures';
import { json, staffLogin } from './support/api';
import { waitForServiceWorker } from './support/resident';

/**
 * Following a dossier (/dossier) by the code on its receipt: typed in any case with spaces, opened
 * from a link with ?code=, or scanned from the receipt's QR code with the camera (a fake camera
 * playing a picture of the code). The applicant shows masked, never by full name; a code no dossier
 * has is said so; offline, the last result found shows, marked with its time as not updated.
 */

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const NOW = Date.now();

/** Open, waiting for a document, due in five days: on time. */
const OPEN = {
	code: '000.00.31.H38-261120-0007',
	procedureCode: '1.001193',
	applicantName: 'Nguyễn Thị Lan',
	applicantPhone: '0912345678',
	receivedAt: iso(NOW - 3 * DAY),
	dueAt: iso(NOW + 5 * DAY),
	status: 'needs_documents',
	steps: [
		{ at: iso(NOW - 3 * DAY), status: 'submitted' },
		{ at: iso(NOW - 3 * DAY + 3_600_000), status: 'accepted' },
		{ at: iso(NOW - DAY), status: 'needs_documents', noteVi: 'Cần bổ sung bản sao giấy chứng sinh', noteEn: 'A copy of the birth certificate is needed' }
	]
};
/** Returned two days after its due date: done late. */
const LATE = {
	code: '000.00.31.H38-261101-0002',
	procedureCode: '1.000894',
	applicantName: 'Trần Văn Bình',
	receivedAt: iso(NOW - 40 * DAY),
	dueAt: iso(NOW - 30 * DAY),
	status: 'returned',
	steps: [
		{ at: iso(NOW - 40 * DAY), status: 'accepted' },
		{ at: iso(NOW - 39 * DAY), status: 'processing' },
		{ at: iso(NOW - 28 * DAY), status: 'result_ready' },
		{ at: iso(NOW - 27 * DAY), status: 'returned' }
	]
};

let seeded = false;
async function seed(request: APIRequestContext) {
	if (seeded) return;
	const admin = await staffLogin(request, 'admin');
	const res = await json<{ imported: number; rejected: unknown[] }>(
		await request.post('/api/dossiers/import', { headers: { authorization: `Bearer ${admin.token}` }, data: { dossiers: [OPEN, LATE] } })
	);
	expect(res.rejected).toEqual([]);
	seeded = true;
}
test.beforeEach(async ({ request }) => seed(request));

async function lookUp(page: Page, typed: string) {
	await page.getByTestId('dossier-lookup-code').fill(typed);
	await page.getByTestId('dossier-lookup-submit').click();
}

test('a code typed in lower case with spaces shows the dossier, its applicant masked; an unknown code is said so', async ({ page }) => {
	await page.goto('/dossier');
	await lookUp(page, `  ${OPEN.code.toLowerCase().replace('-', ' - ')} `);
	const result = page.getByTestId('dossier-result');
	await expect(result).toHaveAttribute('data-code', OPEN.code, { timeout: 20_000 });
	await expect(page).toHaveURL(new RegExp(`/dossier\\?code=${OPEN.code.replace(/\./g, '\\.')}$`));
	await expect(result.getByTestId('dossier-procedure')).toHaveText('Đăng ký khai sinh');
	await expect(result.getByTestId('dossier-status')).toHaveText('Cần bổ sung giấy tờ');
	await expect(result.getByTestId('dossier-timeliness')).toHaveText('Còn trong hạn');
	await expect(result.getByTestId('dossier-applicant')).toHaveText('N***** T** L**');
	const steps = result.getByTestId('dossier-step');
	await expect(steps).toHaveCount(3);
	await expect(steps.nth(0)).toContainText('Đã nộp, chờ tiếp nhận');
	await expect(steps.nth(2)).toContainText('Cần bổ sung bản sao giấy chứng sinh');
	const text = await page.locator('body').innerText();
	expect(text).not.toContain('Nguyễn Thị Lan');
	expect(text).not.toContain('0912345678');

	const { violations } = await new AxeBuilder({ page }).analyze();
	expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

	// Only the public view is kept on the device.
	const kept = await page.evaluate(() => localStorage.getItem('cau-noi.dossier.last') ?? '');
	expect(kept).toContain(OPEN.code);
	expect(kept).not.toContain('Nguyễn');
	expect(kept).not.toContain('0912345678');

	await lookUp(page, '000.00.31.H38-200101-9999');
	await expect(page.getByTestId('dossier-error')).toHaveText(/Không tìm thấy hồ sơ có mã này/, { timeout: 20_000 });
	await expect(page.getByTestId('dossier-result')).toHaveCount(0);

	await lookUp(page, 'ab/12');
	await expect(page.getByTestId('dossier-lookup-error')).toHaveText(/Mã hồ sơ chưa đúng dạng/);

	// No camera on this browser (or not allowed): said in words, and typing still works.
	await page.getByTestId('dossier-scan').click();
	await expect(page.getByTestId('dossier-camera-error')).toBeVisible({ timeout: 20_000 });
	await lookUp(page, OPEN.code);
	await expect(page.getByTestId('dossier-result')).toHaveAttribute('data-code', OPEN.code, { timeout: 20_000 });
});

test('a link with ?code= is looked up at once', async ({ page, request }) => {
	// The frame is in the page's HTML: it paints before the app runs.
	const html = await (await request.get('/dossier')).text();
	expect(html).toContain('Tra cứu hồ sơ thủ tục');
	expect(html).toContain('Quét mã QR');
	expect(html).toContain('id="dossier-code"');

	await page.goto(`/dossier?code=${encodeURIComponent(LATE.code.toLowerCase())}`);
	const result = page.getByTestId('dossier-result');
	await expect(result).toHaveAttribute('data-code', LATE.code, { timeout: 20_000 });
	await expect(result.getByTestId('dossier-status')).toHaveText('Đã trả kết quả');
	await expect(result.getByTestId('dossier-timeliness')).toHaveText('Xong trễ hạn');
	await expect(result.getByTestId('dossier-step')).toHaveCount(4);
	await expect(page.locator('body')).not.toContainText('Trần Văn Bình');
});

test('offline, the last result shows marked with its time as not updated', async ({ page, context }) => {
	await page.goto(`/dossier?code=${OPEN.code}`);
	await expect(page.getByTestId('dossier-result')).toHaveAttribute('data-code', OPEN.code, { timeout: 20_000 });
	await expect(page.getByTestId('dossier-stale')).toHaveCount(0);
	await waitForServiceWorker(page);

	await context.setOffline(true);
	try {
		await page.goto('/dossier');
		const result = page.getByTestId('dossier-result');
		await expect(result).toHaveAttribute('data-code', OPEN.code, { timeout: 20_000 });
		await expect(result.getByTestId('dossier-stale')).toHaveText(/ngoại tuyến.*Kết quả tra cứu lúc \d{2}:\d{2}.*chưa cập nhật/);
		await expect(result.getByTestId('dossier-status')).toHaveText('Cần bổ sung giấy tờ');

		// Another code cannot be looked up offline: said so, the last result stays, still marked.
		await lookUp(page, LATE.code);
		await expect(page.getByTestId('dossier-missed')).toContainText(LATE.code);
		await expect(result).toHaveAttribute('data-code', OPEN.code);
		await expect(result.getByTestId('dossier-stale')).toBeVisible();
	} finally {
		await context.setOffline(false);
	}
});

/** A Y4M video (4:2:0) of `text` as a QR code, black on white with a quiet zone: what the fake camera plays. */
function qrVideo(file: string, text: string): string {
	const W = 640;
	const H = 480;
	const { data, size } = encode(text, { border: 0 });
	const quiet = 4;
	const scale = Math.floor((H * 0.8) / (size + 2 * quiet));
	const left = Math.floor((W - size * scale) / 2);
	const top = Math.floor((H - size * scale) / 2);
	const y = Buffer.alloc(W * H, 235);
	for (let r = 0; r < size; r++)
		for (let c = 0; c < size; c++)
			if (data[r][c])
				for (let dy = 0; dy < scale; dy++) y.fill(16, (top + r * scale + dy) * W + left + c * scale, (top + r * scale + dy) * W + left + (c + 1) * scale);
	const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
	const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
	writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), ...Array(5).fill(frame)]));
	return file;
}

/** A browser whose camera plays `video`; streams the page opens are kept to check they end. */
async function withCamera(video: string, baseURL: string, run: (page: Page) => Promise<void>) {
	const base = test.info().project.use.launchOptions ?? {};
	const browser = await chromium.launch({
		...base,
		args: [...(base.args ?? []), '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]
	});
	try {
		const context = await browser.newContext({ baseURL, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', permissions: ['camera'] });
		await prepareContext(context);
		await context.addInitScript(() => {
			const w = window as unknown as { openedStreams: MediaStream[] };
			w.openedStreams = [];
			const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
			navigator.mediaDevices.getUserMedia = async (c) => {
				const s = await open(c);
				w.openedStreams.push(s);
				return s;
			};
		});
		await run(await context.newPage());
	} finally {
		await browser.close();
	}
}

/** Which decoder the scanner picks on this browser: its own QR detector when it has one, else jsQR. */
const decoderPath = (page: Page) =>
	page.evaluate(async () => {
		const Native = (window as unknown as { BarcodeDetector?: { getSupportedFormats(): Promise<string[]> } }).BarcodeDetector;
		return Native && (await Native.getSupportedFormats()).includes('qr_code') ? 'native' : 'jsqr';
	});

const tracks = (page: Page) =>
	page.evaluate(() => (window as unknown as { openedStreams: MediaStream[] }).openedStreams.flatMap((s) => s.getTracks()).map((t) => t.readyState));

test('scanning the receipt\'s QR code finds the dossier and turns the camera off', async ({ baseURL }, testInfo) => {
	test.setTimeout(90_000);
	// The receipt's QR code carries the look-up page's address.
	const video = qrVideo(testInfo.outputPath('dossier-qr.y4m'), `https://motcua.example.gov.vn/tra-cuu?code=${LATE.code}`);
	await withCamera(video, baseURL!, async (page) => {
		await page.goto('/dossier');
		await page.getByTestId('dossier-scan').click();
		testInfo.annotations.push({ type: 'qr-decoder', description: await decoderPath(page) });
		const result = page.getByTestId('dossier-result');
		await expect(result).toHaveAttribute('data-code', LATE.code, { timeout: 30_000 });
		await expect(page.getByTestId('dossier-scanner')).toHaveCount(0);
		await expect(page.getByTestId('dossier-lookup-code')).toHaveValue(LATE.code);
		const states = await tracks(page);
		expect(states.length).toBeGreaterThan(0);
		expect(states.every((s) => s === 'ended')).toBe(true);
	});
});

test('a QR code that is not a dossier code is said so and the camera keeps looking until closed', async ({ baseURL }, testInfo) => {
	test.setTimeout(90_000);
	const video = qrVideo(testInfo.outputPath('not-ours.y4m'), 'https://example.com/not-ours');
	await withCamera(video, baseURL!, async (page) => {
		await page.goto('/dossier');
		await page.getByTestId('dossier-scan').click();
		await expect(page.getByTestId('dossier-not-ours')).toHaveText(/không phải mã hồ sơ/, { timeout: 30_000 });
		await expect(page.getByTestId('dossier-scanner')).toHaveAttribute('data-state', 'scanning');
		const decoder = await page.getByTestId('dossier-camera').getAttribute('data-decoder');
		expect(decoder).toBe(await decoderPath(page));
		testInfo.annotations.push({ type: 'qr-decoder', description: decoder ?? '' });
		expect((await tracks(page)).every((s) => s === 'live')).toBe(true);
		await page.getByTestId('dossier-scan-close').click();
		await expect(page.getByTestId('dossier-scanner')).toHaveCount(0);
		await expect.poll(() => tracks(page)).toEqual(['ended']);
		await expect(page.getByTestId('dossier-result')).toHaveCount(0);

		// Leaving the page with the camera open turns it off too.
		await page.getByTestId('dossier-scan').click();
		await expect(page.getByTestId('dossier-scanner')).toHaveAttribute('data-state', 'scanning', { timeout: 20_000 });
		await expect.poll(() => tracks(page)).toEqual(['ended', 'live']);
		await page.getByRole('banner').getByRole('link', { name: 'Trang chủ' }).click();
		await expect(page).not.toHaveURL(/\/dossier/);
		await expect.poll(() => tracks(page)).toEqual(['ended', 'ended']);
	});
});
