import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { pullAll, staffLogin } from './support/api';
import { DEMO_PASSWORD, XUAN_HUONG_POINT, photo, primeForOffline } from './support/resident';

/**
 * Assisted filing (Tổ công nghệ số cộng đồng): a volunteer signs in, goes offline, files three reports
 * for two villagers one after another (name, phone, consent), comes back online and sees them
 * delivered with tracking codes; signing out is refused-by-default while reports wait, and once done
 * the device's IndexedDB and Cache Storage hold nothing of the villagers or their reports.
 */

test.use({ permissions: ['geolocation'], geolocation: XUAN_HUONG_POINT });

interface Filing {
	name: string;
	phone: string;
	category: string;
	description: string;
	photos: string[];
}

async function fileForVillager(page: Page, f: Filing): Promise<void> {
	const form = page.getByTestId('assisted-form');
	await expect(form).toBeVisible();
	await page.getByLabel('Họ và tên người dân').fill(f.name);
	await page.getByLabel('Số điện thoại người dân').fill(f.phone);
	await page.getByLabel('Người dân đồng ý cho tôi gửi phản ánh và số điện thoại thay họ').check();
	await page.getByRole('radio', { name: f.category, exact: true }).check();
	if (f.photos.length) {
		await page.getByTestId('photo-gallery').setInputFiles(f.photos);
		await expect(form.getByTestId('photo-thumb')).toHaveCount(f.photos.length, { timeout: 30_000 });
	}
	await page.getByLabel('Mô tả').fill(f.description);
	await page.getByRole('button', { name: 'Dùng vị trí của tôi' }).click();
	await expect(page.getByTestId('detected-ward')).toContainText('Xuân Hương');
	await page.getByRole('button', { name: 'Lưu và gửi' }).click();
	// Saved to the outbox and the form is empty at once, ready for the next villager.
	await expect(page.getByTestId('assisted-saved')).toContainText(f.name);
	await expect(page.getByLabel('Họ và tên người dân')).toHaveValue('');
	await expect(page.getByLabel('Số điện thoại người dân')).toHaveValue('');
	await expect(page.getByLabel('Người dân đồng ý cho tôi gửi phản ánh và số điện thoại thay họ')).not.toBeChecked();
	await expect(form.getByTestId('photo-thumb')).toHaveCount(0);
}

/** Every record of every object store of every IndexedDB database of the origin, as text. */
async function dumpIndexedDb(page: Page): Promise<{ databases: string[]; text: string }> {
	return page.evaluate(async () => {
		const replacer = (_k: string, v: unknown) =>
			v instanceof Blob ? `[blob ${v.size}]` : v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? '[bytes]' : v;
		const req = <T>(r: IDBRequest<T>) =>
			new Promise<T>((resolve, reject) => {
				r.onsuccess = () => resolve(r.result);
				r.onerror = () => reject(r.error);
			});
		const infos = await indexedDB.databases();
		const parts: string[] = [];
		for (const info of infos) {
			if (!info.name) continue;
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const open = indexedDB.open(info.name!);
				open.onsuccess = () => resolve(open.result);
				open.onerror = () => reject(open.error);
			});
			for (const store of [...db.objectStoreNames]) {
				const tx = db.transaction(store, 'readonly');
				const [keys, values] = await Promise.all([req(tx.objectStore(store).getAllKeys()), req(tx.objectStore(store).getAll())]);
				parts.push(JSON.stringify({ db: info.name, store, keys, values }, replacer));
			}
			db.close();
		}
		return { databases: infos.map((d) => d.name ?? ''), text: parts.join('\n') };
	});
}

/** Every cached request URL and every textual response body in Cache Storage. */
async function dumpCaches(page: Page): Promise<string> {
	return page.evaluate(async () => {
		const parts: string[] = [];
		for (const name of await caches.keys()) {
			const cache = await caches.open(name);
			for (const request of await cache.keys()) {
				parts.push(request.url);
				const res = await cache.match(request);
				const type = res?.headers.get('content-type') ?? '';
				if (res && /json|text|javascript/.test(type)) parts.push(await res.text());
			}
		}
		return parts.join('\n');
	});
}

test('a volunteer files three reports offline for two villagers, they are delivered, and signing out leaves none of them', async ({
	page,
	context,
	request
}) => {
	test.setTimeout(180_000);
	const run = Date.now().toString(36);
	const villagers = [
		{ name: `Bà K’Nhi ${run}`, phone: '0988111222' },
		{ name: `Ông Ha Sơn ${run}`, phone: '0977333444' }
	];
	const filings: Filing[] = [
		{ ...villagers[0], category: 'Môi trường', description: `Rác đổ trộm bên suối thôn Đạ Nghịt ${run}`, photos: [photo('autumn.jpg')] },
		// Without a photo: a category that does not ask for one (photosRequired 0 in tenant.json).
		{ ...villagers[0], category: 'An toàn giao thông, an ninh trật tự', description: `Đèn đường hỏng đầu thôn, xe va nhau ${run}`, photos: [] },
		{ ...villagers[1], category: 'Môi trường', description: `Nước thải chảy ra đường ${run}`, photos: [photo('path.jpg')] }
	];

	await primeForOffline(page);
	await page.getByTestId('home-volunteer').click();
	await expect(page).toHaveURL(/\/volunteer$/);
	await page.getByLabel('Tên đăng nhập').fill('tcns-lang-biang');
	await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByTestId('volunteer-name')).toContainText('Tổ CNS Lạc Dương');

	// In the village: no network. Three reports, two villagers, one after another.
	await context.setOffline(true);
	await expect(page.getByTestId('offline-banner')).toBeVisible();
	for (const f of filings) await fileForVillager(page, f);

	const items = page.getByTestId('assisted-item');
	await expect(items).toHaveCount(3);
	for (const item of await items.all()) await expect(item).toHaveAttribute('data-state', 'waiting');
	const reportIds = await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-report-id') ?? ''));
	expect(reportIds.every((id) => id.length > 10)).toBe(true);

	// Signing out now would lose them: warned, and by default the volunteer stays signed in.
	await page.getByTestId('volunteer-logout').click();
	await expect(page.getByTestId('logout-warning')).toContainText('3 phản ánh chưa gửi — nếu đăng xuất sẽ mất');
	await page.getByTestId('logout-cancel').click();
	await expect(page.getByTestId('logout-warning')).toHaveCount(0);
	await expect(items).toHaveCount(3);

	// What a sign-out must remove is on the device right now (so the check below can fail).
	const before = await dumpIndexedDb(page);
	for (const secret of [villagers[0].phone, villagers[1].name, reportIds[0], filings[2].description]) expect(before.text).toContain(secret);

	// Back in signal: delivered by themselves, each with its tracking code.
	await context.setOffline(false);
	for (const item of await items.all()) {
		await expect(item).toHaveAttribute('data-state', 'delivered', { timeout: 60_000 });
		await expect(item.getByTestId('tracking-code')).toHaveText(/^LD-\d{6}-[A-Z0-9]+$/);
	}
	await expect(page.getByTestId('assisted-unsent')).toHaveText('Đã gửi hết');

	// On the server: filed by the volunteer, assisted, each villager's contact with consent (as the routed handler reads them).
	const handler = await staffLogin(request, 'ubnd-xuan-huong');
	const pulled = (collection: string) => pullAll(request, handler.token, collection);
	const reports = (await pulled('reports')).filter((r) => reportIds.includes(String(r.id)));
	expect(reports).toHaveLength(3);
	for (const r of reports) expect(r).toMatchObject({ authorId: 'staff:tcns-lang-biang', assistedBy: 'staff:tcns-lang-biang' });
	const contacts = (await pulled('contacts')).filter((c) => reportIds.includes(String(c.reportId)));
	expect(contacts.map((c) => [c.phone, c.consent]).sort()).toEqual([
		['0977333444', true],
		['0988111222', true],
		['0988111222', true]
	]);

	// Everything is sent: signing out asks nothing more.
	await page.getByTestId('volunteer-logout').click();
	await expect(page.getByTestId('signed-out')).toBeVisible({ timeout: 20_000 });
	await expect(page.getByTestId('volunteer-login')).toBeVisible();

	const after = await dumpIndexedDb(page);
	expect(after.databases).toContain('cau-noi-local');
	const cached = await dumpCaches(page);
	const secrets = [
		...villagers.flatMap((v) => [v.name, v.phone, v.name.split(' ').slice(0, -1).join(' ')]),
		...reportIds,
		...filings.map((f) => f.description),
		'tcns-lang-biang'
	];
	for (const secret of secrets) {
		expect(after.text, `IndexedDB still holds "${secret}"`).not.toContain(secret);
		expect(cached, `Cache Storage still holds "${secret}"`).not.toContain(secret);
	}

	// Still nothing after a reload (no copy kept in memory and written back).
	await page.reload();
	await expect(page.getByTestId('volunteer-login')).toBeVisible();
	const reloaded = await dumpIndexedDb(page);
	for (const secret of secrets) expect(reloaded.text, `after reload: "${secret}"`).not.toContain(secret);
});
