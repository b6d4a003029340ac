import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Media } from '$lib/domain/media';
import type { Report } from '$lib/domain/report';
import type { StoredDoc } from '../../sync-server/storage/storage';
import { test as base, expect, type E2EServer } from './fixtures';
import { ChaosProxy, chaosSeed } from './support/chaos-proxy';
import { prng } from '../support/prng';
import { XUAN_HUONG_POINT, fileReport, outboxItem, photo, primeForOffline } from './support/resident';

/**
 * Chaos on a weak link: between the browser and the server sits a proxy that throttles, delays,
 * stalls and cuts connections at random byte offsets — in the middle of tus uploads and report
 * pushes, and of their answers. Meanwhile a resident files reports with photos and loses the network
 * now and then. When the link turns good again, every report must be on the server exactly once,
 * every photo stored once and made from the very bytes the device sent, and the outbox must show
 * each report delivered. The faults come from a seed, printed at the start: CHAOS_SEED=<seed>
 * replays them.
 */

const REPORTS = 4;
const PHOTO_SETS = [['autumn.jpg', 'path.jpg'], ['colorful-cups.jpg'], ['path.jpg', 'colorful-cups.jpg'], ['autumn.jpg']];
/** How long the link stays bad after the first report is filed, unless everything got through sooner. */
const CHAOS_WINDOW_MS = 45_000;

const test = base.extend<{ chaos: ChaosProxy }>({
	chaos: async ({ server }, use) => {
		const target = new URL(server.url);
		const proxy = new ChaosProxy(chaosSeed(), { host: target.hostname, port: Number(target.port) });
		await proxy.start();
		try {
			await use(proxy);
		} finally {
			await proxy.close();
		}
	},
	// The page's origin is the proxy: every request of page and service worker crosses the weak link.
	baseURL: async ({ chaos }, use) => {
		await use(chaos.url);
	}
});

test.use({ permissions: ['geolocation'], geolocation: XUAN_HUONG_POINT });

async function allDocs<T extends StoredDoc>(server: E2EServer, name: 'reports' | 'media' | 'contacts'): Promise<T[]> {
	const page = await server.handle.storage.store<T>(name).changes({ since: null, limit: 10_000, includeDocs: true });
	return page.results.filter((c) => !c.deleted && c.doc).map((c) => c.doc!);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

test('through a link that throttles, stalls and cuts, every report arrives exactly once with the photo bytes the device sent', async ({
	page,
	context,
	chaos,
	server
}) => {
	test.setTimeout(240_000);
	const started = Date.now();
	const seed = chaos.seed;
	console.log(`[chaos] seed ${seed} — replay with CHAOS_SEED=${seed}`);
	test.info().annotations.push({ type: 'chaos seed', description: `CHAOS_SEED=${seed}` });
	const rnd = prng(seed ^ 0x5eed);
	const marker = `hỗn loạn ${seed}`;

	// First visit on a good link: the app and the tenant's data are on the phone.
	await primeForOffline(page);
	chaos.setMode('chaos');

	const filed: { description: string; photos: number; named: boolean }[] = [];
	for (let i = 0; i < REPORTS; i++) {
		const description = `Rác ùn ứ ven suối (${marker} #${i})`;
		const offlineFiling = rnd() < 0.4;
		if (offlineFiling) await context.setOffline(true);
		const named = i === 1;
		await fileReport(page, {
			category: 'Môi trường',
			description,
			photos: PHOTO_SETS[i].map(photo),
			...(named ? { name: 'Trần Văn Bình', phone: '0987654321' } : {})
		});
		filed.push({ description, photos: PHOTO_SETS[i].length, named });
		// The resident walks on: the signal comes and goes while the outbox sends.
		await sleep(500 + rnd() * 3_000);
		if (offlineFiling || rnd() < 0.5) {
			await context.setOffline(true);
			await sleep(500 + rnd() * 2_500);
			await context.setOffline(false);
		}
	}

	const rows = filed.map((f) => outboxItem(page, f.description));
	const deliveredCount = async () => {
		let n = 0;
		for (const row of rows) if ((await row.getAttribute('data-state').catch(() => null)) === 'delivered') n++;
		return n;
	};
	const chaosEnds = Date.now() + CHAOS_WINDOW_MS;
	while (Date.now() < chaosEnds && (await deliveredCount()) < REPORTS) await sleep(1_000);
	const deliveredUnderChaos = await deliveredCount();

	// The link turns good; the phone notices the network (as it does when the signal is back).
	chaos.setMode('calm');
	await context.setOffline(true);
	await sleep(300);
	await context.setOffline(false);

	// No report stuck: each row ends delivered, and one that is not says why on the page.
	for (const [i, row] of rows.entries()) {
		await expect(row, `report #${i} in the outbox`).toHaveCount(1);
		await expect
			.poll(async () => `${await row.getAttribute('data-state')}: ${await row.getByTestId('state-text').textContent()}`, {
				timeout: 60_000,
				message: `report #${i} delivered (seed ${seed})`
			})
			.toMatch(/^delivered: /);
		await expect(row.getByTestId('tracking-code')).toHaveText(/^LD-\d{6}-[A-Z0-9]+$/);
	}
	const outbox = await Promise.all(
		rows.map(async (row) => ({
			id: (await row.getAttribute('data-report-id'))!,
			trackingCode: (await row.getByTestId('tracking-code').textContent())!.trim()
		}))
	);

	// On the server: each report exactly once — by id, by tracking code, by content — and nothing more.
	const reports = (await allDocs<Report & StoredDoc>(server, 'reports')).filter((r) => r.description?.includes(marker));
	expect(reports.map((r) => r.description).sort(), `each filed report stored once (seed ${seed})`).toEqual(
		filed.map((f) => f.description).sort()
	);
	expect(new Set(reports.map((r) => r.id)).size).toBe(REPORTS);
	const allCodes = (await allDocs<Report & StoredDoc>(server, 'reports')).map((r) => r.trackingCode);
	expect(new Set(allCodes).size, 'no tracking code given twice').toBe(allCodes.length);
	expect(
		reports.map((r) => ({ id: r.id, trackingCode: r.trackingCode })).sort((a, b) => a.id.localeCompare(b.id)),
		'the outbox shows the code the server gave'
	).toEqual([...outbox].sort((a, b) => a.id.localeCompare(b.id)));
	const contacts = await allDocs<StoredDoc & { reportId: string }>(server, 'contacts');
	const namedReport = reports.find((r) => r.description === filed.find((f) => f.named)!.description)!;
	expect(contacts.filter((c) => c.reportId === namedReport.id), 'the contact stored once').toHaveLength(1);

	// Every photo stored once, made from the bytes the device sent (as seen on the wire, by offset).
	const media = await allDocs<Media & StoredDoc>(server, 'media');
	const evidence = chaos.uploadEvidence();
	const stored = await readdir(path.join(server.dataDir, 'tenants', 'lam-dong', 'media'));
	for (const report of reports) {
		const f = filed.find((x) => x.description === report.description)!;
		expect(report.photoIds, `photos of "${f.description}"`).toHaveLength(f.photos);
		for (const id of report.photoIds) {
			const docs = media.filter((m) => m.id === id);
			expect(docs, `photo ${id} stored once`).toHaveLength(1);
			const doc = docs[0];
			expect(doc).toMatchObject({ reportId: report.id, status: 'ready' });
			const sent = evidence.get(id);
			expect(sent, `the proxy saw photo ${id} go up`).toBeDefined();
			expect(sent!.mismatches, `the device sent the same bytes on every try of ${id}`).toBe(0);
			expect(sent!.covered, `every byte of ${id} crossed the proxy`).toBe(sent!.length);
			expect(doc.sha256, `photo ${id} made from the bytes the device sent (seed ${seed})`).toBe(sent!.sha256);
			expect(stored.filter((name) => name.startsWith(id)).sort()).toEqual([`${id}.thumb.webp`, `${id}.webp`]);
		}
	}
	const photoIds = new Set(reports.flatMap((r) => r.photoIds));
	expect(media.filter((m) => !photoIds.has(m.id)), 'no stray photo').toEqual([]);
	expect([...evidence.keys()].filter((id) => !photoIds.has(id)), 'no upload under another id').toEqual([]);

	// The run had the faults it is about, whatever the seed.
	for (const [route, where] of Object.entries(chaos.settings.mustCut)) {
		expect(chaos.stats.cuts[`${route}: ${where}`] ?? 0, `a ${route} cut in its ${where}`).toBeGreaterThan(0);
	}

	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	const summary = `seed ${seed}: ${deliveredUnderChaos}/${REPORTS} delivered under chaos; ${seconds} s; ${JSON.stringify(chaos.stats)}`;
	console.log(`[chaos] ${summary}`);
	test.info().annotations.push({ type: 'chaos figures', description: summary });
});
