import { rmSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { alwaysOpenTenantDir } from '../support/office-tenant';
import { expect, test } from './fixtures';
import { deviceLogin, json } from './support/api';
import { DEMO_PASSWORD } from './support/resident';

/**
 * The counter and the office TV together: a resident takes a number while the official's counter
 * page is open — it appears in the queue with no reload; the official calls it; the board shows the
 * number at counter 1 within a second, and says it aloud. Nothing of the app is stubbed: an init
 * script only records what the page asked the browser to speak or play. Headless Chromium has no
 * Vietnamese voice, so the board plays the bundled clips: chime, "Mời số" 1 0 0 1, "đến quầy số" 1.
 */

const OFFICE = 'lam-vien';
const STAFF = 'ubnd-lam-vien';

// The clock is real here: the office opens at every hour of every day (a copy of the demo province).
const TENANT_DIR = alwaysOpenTenantDir(OFFICE, 'caunoi-e2e-counter-board-tenant');
test.use({ tenantDir: TENANT_DIR });
test.afterAll(() => rmSync(TENANT_DIR, { recursive: true, force: true }));

declare global {
	interface Window {
		__spoken: string[];
		__played: string[];
	}
}

/** Records every utterance and every media play the page starts, then lets them through. */
function recordSound() {
	window.__spoken = [];
	window.__played = [];
	if ('speechSynthesis' in window) {
		const speak = speechSynthesis.speak.bind(speechSynthesis);
		speechSynthesis.speak = (u: SpeechSynthesisUtterance) => {
			window.__spoken.push(u.text);
			speak(u);
		};
	}
	const play = HTMLMediaElement.prototype.play;
	HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
		window.__played.push(new URL(this.src).pathname);
		return play.call(this);
	};
}

async function signInAtCounter(page: Page) {
	await page.goto('/counter');
	await page.getByLabel('Tên đăng nhập').fill(STAFF);
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await page.getByRole('radio', { name: /Quầy 1/ }).check();
	await page.getByRole('button', { name: 'Nhận quầy' }).click();
	await expect(page.getByRole('heading', { name: 'Bạn đang ở Quầy 1' })).toBeVisible({ timeout: 20_000 });
}

test('a number taken shows at the counter live; called, the board shows it within a second and says it', async ({ page, context, request }) => {
	test.setTimeout(90_000);
	await context.addInitScript(recordSound);

	// The office TV, sound turned on with the one tap browsers ask for.
	const board = await context.newPage();
	await board.goto(`/board?office=${OFFICE}`);
	await expect(board.getByRole('heading', { name: /Bộ phận Một cửa phường Lâm Viên/ })).toBeVisible();
	await expect(board.getByTestId('board-counter')).toHaveCount(4);
	await board.getByTestId('sound-on').click();
	await expect(board.getByTestId('sound-on')).toBeHidden();

	// The official takes counter 1: nobody waits yet.
	await signInAtCounter(page);
	await expect(page.getByTestId('waiting-empty')).toBeVisible();

	// A resident takes a birth-registration number (counter 1's) on their phone.
	const resident = await deviceLogin(request);
	const taken = await json<{ ticket: { number: string } }>(
		await request.post('/api/office/tickets', {
			headers: { authorization: `Bearer ${resident.token}` },
			data: { ticketId: crypto.randomUUID(), officeId: OFFICE, serviceId: 'dang-ky-khai-sinh' }
		})
	);
	expect(taken.ticket.number).toBe('1001');

	// It appears at the counter with no reload (the board stream tells the page to read its queue).
	const waiting = page.locator('[data-testid=waiting-ticket][data-number="1001"]');
	await expect(waiting).toBeVisible({ timeout: 5_000 });
	await expect(board.getByTestId('board-waiting')).toContainText('1 người');

	// Called with the keyboard, as at a real desk: focus, Enter.
	const called = page.waitForResponse((r) => r.url().endsWith('/counters/quay-1/call-next') && r.ok());
	await page.getByRole('button', { name: 'Gọi số tiếp theo' }).focus();
	await page.keyboard.press('Enter');
	await called;
	await expect(board.locator('[data-counter="1"] [data-testid=board-serving]')).toHaveText('1001', { timeout: 1_000 });
	await expect(page.getByTestId('serving-number')).toHaveText('1001');
	await expect(page.getByTestId('waiting-empty')).toBeVisible();

	// The board announced it: by speech if a Vietnamese voice is really there, else the clips.
	await expect
		.poll(
			async () => {
				const { spoken, played } = await board.evaluate(() => ({ spoken: window.__spoken, played: window.__played }));
				if (spoken.includes('Mời số 1 0 0 1 đến quầy số 1')) return 'spoken';
				const clips = played.map((src) => src.replace(/^.*\/audio\/vi\//, '').replace(/\.wav$/, ''));
				return clips.slice(-7).join(' ');
			},
			{ timeout: 20_000 }
		)
		.toMatch(/^(spoken|moi-so 1 0 0 1 den-quay-so 1)$/);

	// Done: the figures count it.
	await page.getByRole('button', { name: 'Xong', exact: true }).click();
	await expect(page.getByTestId('fig-served')).toHaveText('1');
	await expect(board.locator('[data-counter="1"]')).not.toContainText('1001');
});

test('the board keeps its last board through a blip and a power cut, and says it is reconnecting', async ({ context }) => {
	const board = await context.newPage();
	await board.goto(`/board?office=${OFFICE}`);
	await expect(board.getByTestId('board-calls')).toContainText('1001'); // the call of the test before
	await expect(board.getByTestId('board-offline')).toBeHidden();
	// The link drops, and the stream cannot be opened again for now: the banner shows, the board stays.
	await context.route('**/board/stream', (route) => route.abort('connectionrefused'));
	await context.setOffline(true);
	await expect(board.getByTestId('board-offline')).toContainText('Mất kết nối, đang nối lại…', { timeout: 15_000 });
	await expect(board.getByTestId('board-calls')).toContainText('1001');
	await context.setOffline(false);
	// A power cut: the page loads again with no stream; the saved board shows until the stream answers.
	await board.reload();
	await expect(board.getByTestId('board-calls')).toContainText('1001');
	await expect(board.getByTestId('board-offline')).toBeVisible();
	await context.unroute('**/board/stream');
	await expect(board.getByTestId('board-offline')).toBeHidden({ timeout: 15_000 });
});
