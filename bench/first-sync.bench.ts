/**
 * A handler's FIRST sync of their unit's scope, and their incremental pulls afterwards, against the
 * real server (`sync-server/main.ts` in its own process) on a LevelDB DATA_DIR holding a year of a
 * province's field reports: N reports (default 100,000; ~680 bytes each as JSON, UUIDv7 ids), each
 * with 3 events and a contact, written straight into the stores (bench/support/field-reports.ts).
 * 10,000 of them are in Lâm Viên ward, so the ward committee's handler (`ubnd-lam-vien`) owns 10 %.
 *
 *  1. The scope index is built over the existing database, timed: what indexing an existing
 *     deployment costs once (sync-server/access/scope-index.ts, the same code the server runs).
 *  2. The server starts on that DATA_DIR (its public ward index is awaited: it would share the cores).
 *  3. First sync through the index: the four collections one after another, pages of 500
 *     (PULL_LIMIT_MAX; the app asks for 200), until a short page (RxDB's rule). Time as the client
 *     sees it (the server compresses its answers: the time includes it), bytes of the JSON bodies and
 *     as sent to a browser (brotli quality 4, per page, as the server does). Best of 2 rounds: the
 *     cores are shared.
 *  4. Baseline, same run, same server: the same first sync through the old path, the changes feed
 *     scanned from the start and filtered by scope (a pull from `{seq: 0}`), until an empty page
 *     (its pages come back short whenever MAX_SCAN rows held too few of the caller's documents).
 *     Reports best of 2; contacts and events once (they take half a minute).
 *  5. Incremental pulls: 200 rounds of "a resident files 2 reports (one in the ward), the handler
 *     pulls reports, then events, from their checkpoints"; p50/p99 of each pull.
 *  6. A second point (default 300,000 reports, the same 10,000 in scope) to check the model used to
 *     project to 1M: the index path costs per document in scope (flat), the scan per document stored
 *     (linear). Only the reports baseline is measured there (the rest would take minutes).
 *
 * BENCH_FIRST_SYNC_N, BENCH_FIRST_SYNC_SCOPE, BENCH_FIRST_SYNC_CONFIRM_N (0 skips the second point),
 * BENCH_FIRST_SYNC_ROUNDS; BENCH_VERBOSE=1 prints each step.
 */
import { tenantDbPrefix } from '../sync-server/tenant/tenant-names';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { PULL_LIMIT_MAX, SYNC_COLLECTIONS, type Checkpoint, type SyncCollection } from '$lib/domain/sync-protocol';
import type { TenantConfig } from '$lib/domain/tenant';
import { buildDemoTenant, DEMO_PASSWORD } from '../sync-server/seed/demo-tenant';
import { openPouchStorage } from '../sync-server/storage/pouch-storage';
import { createScopeIndex } from '../sync-server/access/scope-index';
import { makeReport } from '../tests/support/documents';
import { fmt, ratio, tempDir, type Row } from './lib';
import { generateFieldReports, HANDLER_USERNAME, HANDLER_WARD, type Generated } from './support/field-reports';
import { startServerProcess } from './support/server-process';

const N = Number(process.env.BENCH_FIRST_SYNC_N ?? 100_000);
const IN_SCOPE = Number(process.env.BENCH_FIRST_SYNC_SCOPE ?? 10_000);
const CONFIRM_N = Number(process.env.BENCH_FIRST_SYNC_CONFIRM_N ?? 300_000);
const ROUNDS = Number(process.env.BENCH_FIRST_SYNC_ROUNDS ?? 200);
const PROJECT_TO = 1_000_000;
const LIMIT = PULL_LIMIT_MAX;
const verbose = process.env.BENCH_VERBOSE === '1';
const say = (msg: string) => verbose && console.error(`  [first-sync] ${msg}`);
const MB = 1024 * 1024;

interface SyncResult {
	seconds: number;
	docs: number;
	requests: number;
	bytes: number;
	wireBytes: number;
}

interface Point {
	n: number;
	gen: Generated;
	index: { seconds: number; changes: number; indexMb: number; dataMb: number };
	viaIndex: Record<SyncCollection, SyncResult>;
	scan: Partial<Record<SyncCollection, SyncResult>>;
	incremental?: { reports: number[]; events: number[] };
	peakRssMb: number | null;
}

function dirMb(dir: string): number {
	let bytes = 0;
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		bytes += e.isDirectory() ? dirMb(p) * MB : statSync(p).size;
	}
	return bytes / MB;
}

async function api<T>(url: string, init: { token?: string; body?: unknown } = {}): Promise<{ text: string; body: T }> {
	const res = await fetch(url, {
		method: init.body === undefined ? 'GET' : 'POST',
		headers: {
			// As a browser asks: the server answers brotli, and the time includes compressing it.
			'accept-encoding': 'br, gzip',
			...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
			...(init.token ? { authorization: `Bearer ${init.token}` } : {})
		},
		body: init.body === undefined ? undefined : JSON.stringify(init.body)
	});
	const text = await res.text();
	if (res.status !== 200) throw new Error(`${url}: ${res.status} ${text.slice(0, 300)}`);
	return { text, body: JSON.parse(text) as T };
}

const pullUrl = (base: string, c: SyncCollection, checkpoint: Checkpoint | null) =>
	`${base}/api/sync/${c}/pull?${checkpoint ? `checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}&` : ''}limit=${LIMIT}`;

/** Pulls one collection page by page; `untilEmpty` for the scan (its short pages are not the end). */
async function syncCollection(base: string, token: string, c: SyncCollection, start: Checkpoint | null, untilEmpty: boolean) {
	const pages: string[] = [];
	let checkpoint = start;
	let docs = 0;
	const t0 = performance.now();
	for (;;) {
		const { text, body } = await api<{ documents: unknown[]; checkpoint: Checkpoint | null }>(pullUrl(base, c, checkpoint), { token });
		pages.push(text);
		docs += body.documents.length;
		checkpoint = body.checkpoint;
		if (untilEmpty ? !body.documents.length : body.documents.length < LIMIT) break;
	}
	const seconds = (performance.now() - t0) / 1000;
	const bytes = pages.reduce((s, p) => s + Buffer.byteLength(p), 0);
	// What the server sends a browser (it asks for br): the same brotli quality the server uses.
	const wireBytes = pages.reduce((s, p) => s + brotliCompressSync(p, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } }).length, 0);
	return { result: { seconds, docs, requests: pages.length, bytes, wireBytes }, checkpoint };
}

const quantile = (xs: number[], q: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

/** A new report as a resident's device pushes it, in `wardCode`. */
const fileable = (authorId: string, wardCode: string) =>
	makeReport(authorId, { wardCode, description: 'Rác thải đổ trộm bên lề đường, Yersin số 12.' });

async function measurePoint(config: TenantConfig, n: number, opts: { baseline: SyncCollection[]; incremental: boolean }): Promise<Point> {
	const tmp = await tempDir('first-sync');
	try {
		const storage = await openPouchStorage({ dataDir: tmp.dir, dbPrefix: tenantDbPrefix('caunoi-', config.id) });
		say(`${fmt(n)} reports: generating...`);
		const gen = await generateFieldReports(storage, config, n, IN_SCOPE);
		say(`generated ${fmt(gen.reports + gen.events + gen.contacts)} docs in ${fmt(gen.seconds, 1)} s; indexing...`);
		const index = createScopeIndex({
			index: storage.store('scope-index'),
			stores: { reports: storage.store('reports'), contacts: storage.store('contacts'), events: storage.store('events'), media: storage.store('media') }
		});
		const t0 = performance.now();
		await index.catchUp();
		const indexSeconds = (performance.now() - t0) / 1000;
		const changes = Object.values(index.applied()).reduce((a, b) => a + b, 0);
		await index.stop();
		await storage.close();
		const db = path.join(tmp.dir, 'db');
		const indexMb = dirMb(path.join(db, `${tenantDbPrefix('caunoi-', config.id)}scope-index`));
		const dataMb = ['reports', 'events', 'contacts', 'media'].reduce((s, c) => s + dirMb(path.join(db, `${tenantDbPrefix('caunoi-', config.id)}${c}`)), 0);
		say(`indexed ${fmt(changes)} changes in ${fmt(indexSeconds, 1)} s (index ${fmt(indexMb)} MB, data ${fmt(dataMb)} MB); starting the server...`);

		// OVERDUE_CHECK_MS=0: the overdue job would start marking a year of reports overdue.
		const server = await startServerProcess(tmp.dir, { OVERDUE_CHECK_MS: '0' });
		try {
			const base = server.url;
			await api(`${base}/api/public/reports?ward=${HANDLER_WARD}&limit=1`);
			const { body: session } = await api<{ token: string }>(`${base}/api/auth/login`, { body: { username: HANDLER_USERNAME, password: DEMO_PASSWORD } });
			const token = session.token;
			// Warm-up: one page each way (JIT, LevelDB caches).
			await api(pullUrl(base, 'reports', null), { token });
			await api(pullUrl(base, 'reports', { seq: 0 }), { token });

			// Best of 2 where it is cheap (the cores are shared with other jobs): the whole first sync
			// through the index, and the reports by scan; contacts and events by scan run once.
			const viaIndex = {} as Record<SyncCollection, SyncResult>;
			const checkpoints = {} as Record<SyncCollection, Checkpoint | null>;
			for (let round = 0; round < 2; round++) {
				for (const c of SYNC_COLLECTIONS) {
					const { result, checkpoint } = await syncCollection(base, token, c, null, false);
					if (!viaIndex[c] || result.seconds < viaIndex[c].seconds) viaIndex[c] = result;
					checkpoints[c] = checkpoint;
					say(`index ${c}: ${fmt(result.docs)} docs, ${result.requests} requests, ${fmt(result.seconds, 2)} s, ${fmt(result.bytes / MB, 1)} MB`);
				}
			}
			const rssAfterIndexSync = server.peakRssMb();
			const scan: Partial<Record<SyncCollection, SyncResult>> = {};
			for (const c of opts.baseline) {
				for (let round = 0; round < (c === 'reports' ? 2 : 1); round++) {
					const { result } = await syncCollection(base, token, c, { seq: 0 }, true);
					if (!scan[c] || result.seconds < scan[c].seconds) scan[c] = result;
				}
				const result = scan[c]!;
				say(`scan ${c}: ${fmt(result.docs)} docs, ${result.requests} requests, ${fmt(result.seconds, 2)} s`);
				if (result.docs !== viaIndex[c].docs) throw new Error(`${c}: the index sent ${viaIndex[c].docs} documents, the scan ${result.docs}`);
			}

			let incremental: Point['incremental'];
			if (opts.incremental) {
				const device = { deviceId: crypto.randomUUID(), secret: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url') };
				const { body: resident } = await api<{ token: string }>(`${base}/api/auth/device`, { body: device });
				const authorId = `device:${device.deviceId}`;
				incremental = { reports: [], events: [] };
				for (let round = -5; round < ROUNDS; round++) {
					const rows = [fileable(authorId, HANDLER_WARD), fileable(authorId, '22918')].map((d) => ({ newDocumentState: d, assumedMasterState: null }));
					await api(`${base}/api/sync/reports/push`, { token: resident.token, body: rows });
					for (const c of ['reports', 'events'] as const) {
						const t = performance.now();
						const { body } = await api<{ documents: unknown[]; checkpoint: Checkpoint }>(pullUrl(base, c, checkpoints[c]), { token });
						const ms = performance.now() - t;
						checkpoints[c] = body.checkpoint;
						if (round >= 0) incremental[c].push(ms);
						if (!body.documents.length) throw new Error(`incremental ${c}: nothing new`);
					}
				}
				say(`incremental: reports p50 ${fmt(quantile(incremental.reports, 0.5), 1)} ms, p99 ${fmt(quantile(incremental.reports, 0.99), 1)} ms`);
			}
			return { n, gen, index: { seconds: indexSeconds, changes, indexMb, dataMb }, viaIndex, scan, incremental, peakRssMb: rssAfterIndexSync };
		} finally {
			await server.stop();
		}
	} finally {
		await tmp.remove();
	}
}

function total(r: Partial<Record<SyncCollection, SyncResult>>, key: keyof SyncResult): number {
	let sum = 0;
	for (const c of SYNC_COLLECTIONS) sum += r[c]?.[key] ?? 0;
	return sum;
}

export async function run(): Promise<Row[]> {
	const config = await buildDemoTenant();
	const main = await measurePoint(config, N, { baseline: [...SYNC_COLLECTIONS], incremental: true });
	const confirm = CONFIRM_N ? await measurePoint(config, CONFIRM_N, { baseline: ['reports'], incremental: false }) : null;

	const b = 'first-sync';
	const k = (x: number) => `${fmt(x / 1000)}k`;
	const scopeLabel = `${k(IN_SCOPE)} of ${k(N)}`;
	const idx = total(main.viaIndex, 'seconds');
	const scan = total(main.scan, 'seconds');
	const docs = total(main.viaIndex, 'docs');
	const rows: Row[] = [
		{
			bench: b,
			measure: `handler's first sync, ${scopeLabel} reports in scope (+ contacts, events), s`,
			value: fmt(idx, 1),
			baseline: `${fmt(scan, 1)} (feed scan)`,
			ratio: ratio(idx, scan, 3)
		}
	];
	for (const c of SYNC_COLLECTIONS) {
		const r = main.viaIndex[c];
		const s = main.scan[c];
		rows.push({
			bench: b,
			measure: `  ${c}: ${fmt(r.docs)} docs in ${r.requests} pulls of ≤ ${LIMIT}, s`,
			value: fmt(r.seconds, 2),
			baseline: s ? `${fmt(s.seconds, 2)} (${s.requests} pulls)` : '',
			ratio: s ? ratio(r.seconds, s.seconds, 3) : ''
		});
	}
	rows.push(
		{
			bench: b,
			measure: `  JSON bytes (${fmt(docs)} docs), MB`,
			value: fmt(total(main.viaIndex, 'bytes') / MB, 1),
			baseline: `${fmt(total(main.scan, 'bytes') / MB, 1)} (feed scan)`
		},
		{ bench: b, measure: `  as sent to a browser (brotli q4, per page), MB`, value: fmt(total(main.viaIndex, 'wireBytes') / MB, 1) },
		{
			bench: b,
			measure: `  documents per second through the index (mean report ${fmt(main.gen.meanReportBytes)} B)`,
			value: fmt(docs / idx),
			baseline: `${fmt(docs / scan)} (feed scan)`
		}
	);
	if (main.incremental) {
		for (const c of ['reports', 'events'] as const) {
			const xs = main.incremental[c];
			rows.push({
				bench: b,
				measure: `incremental pull of ${c} after 2 new reports, ms p50 / p99 (${xs.length} pulls)`,
				value: `${fmt(quantile(xs, 0.5), 1)} / ${fmt(quantile(xs, 0.99), 1)}`
			});
		}
	}
	rows.push(
		{
			bench: b,
			measure: `indexing the existing database (${fmt(main.index.changes)} changes), s`,
			value: fmt(main.index.seconds, 1),
			baseline: `${fmt(main.gen.seconds, 1)} (writing it)`,
			ratio: ratio(main.index.seconds, main.gen.seconds)
		},
		{
			bench: b,
			measure: `  index on disk, MB`,
			value: fmt(main.index.indexMb),
			baseline: `${fmt(main.index.dataMb)} (the 4 collections)`,
			ratio: ratio(main.index.indexMb, main.index.dataMb)
		},
		{ bench: b, measure: `  server peak RSS, start + first sync via index, MB`, value: main.peakRssMb === null ? 'n/a' : fmt(main.peakRssMb) }
	);
	if (confirm) {
		const cIdx = total(confirm.viaIndex, 'seconds');
		rows.push(
			{
				bench: b,
				measure: `check at ${k(confirm.n)} stored, same ${k(IN_SCOPE)} in scope: first sync via index, s`,
				value: fmt(cIdx, 1),
				baseline: `${fmt(idx, 1)} (at ${k(N)})`,
				ratio: ratio(cIdx, idx)
			},
			{
				bench: b,
				measure: `  reports by feed scan, s (stored ×${fmt(confirm.n / N, 1)})`,
				value: fmt(confirm.scan.reports!.seconds, 1),
				baseline: `${fmt(main.scan.reports!.seconds, 1)} (at ${k(N)})`,
				ratio: ratio(confirm.scan.reports!.seconds, main.scan.reports!.seconds)
			},
			{
				bench: b,
				measure: `  indexing the existing database, s`,
				value: fmt(confirm.index.seconds, 1),
				baseline: `${fmt(main.index.seconds, 1)} (at ${k(N)})`,
				ratio: ratio(confirm.index.seconds, main.index.seconds)
			}
		);
	}
	// The model: through the index a first sync reads per document in scope, so it stays flat as
	// the store grows (the key ranges get a LevelDB level or so deeper): the slower of the measured
	// points is projected. The scan reads every stored change: linear. Indexing reads every change once.
	const largest = confirm ?? main;
	const flat = Math.max(idx, confirm ? total(confirm.viaIndex, 'seconds') : 0);
	rows.push(
		{
			bench: b,
			measure: `projected to ${k(PROJECT_TO)} stored, ${k(IN_SCOPE)} in scope: first sync via index, s`,
			value: `≈ ${fmt(flat, 1)}`,
			baseline: `≈ ${fmt((scan * PROJECT_TO) / N, 0)} (feed scan, linear)`,
			ratio: ratio(flat, (scan * PROJECT_TO) / N, 3)
		},
		{
			bench: b,
			measure: `  indexing an existing ${k(PROJECT_TO)} database once, s (linear from ${k(largest.n)})`,
			value: `≈ ${fmt((largest.index.seconds * PROJECT_TO) / largest.n, 0)}`
		}
	);
	return rows;
}
