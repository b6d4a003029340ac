/**
 * Sync push throughput WITH auth and validation: residents' devices push new reports to
 * POST /api/sync/reports/push in batches of 100 (4 devices, one connection each, concurrently),
 * against the real server (`sync-server/main.ts` in its own process, LevelDB in a fresh DATA_DIR).
 * Divided by the storage engine's own speed, measured in the same run: raw PouchDB `bulkDocs` of
 * the same report documents, batches of 100, sequentially, pouchdb-node on LevelDB in a fresh
 * directory, in this process (the best a server built on it could do, with no HTTP, no checks).
 *
 * Each pushed report makes the server write 4 documents: the report (enriched: tracking code,
 * routing, due time), a tracking-code claim and 2 events (received, assigned). Docs written are
 * counted from the databases after the run.
 *
 * The bench process only sends pre-serialised bodies, so the server's process has a core to itself
 * (2 cores here). After a warm-up, the server gets 2 rounds of N new reports and the raw engine 5 runs;
 * the best of each is compared (the cores may be shared with other jobs: the best is the least
 * disturbed). BENCH_PUSH_N sets N (default 20,000); BENCH_PROFILE=1 runs the server with
 * `node --cpu-prof` (profile in bench/out/).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import PouchDB from 'pouchdb-node';
import { makeReport as makeDeviceReport, type DocState as Doc } from '../tests/support/documents';
import { fmt, ratio, tempDir, type Row } from './lib';
import { startServerProcess } from './support/server-process';

export const TARGET_RATIO = 0.7;
const BATCH = 100;
const DEVICES = 4;
const WARMUP_BATCHES_PER_DEVICE = 3;
const BASELINE_RUNS = 5;
const SERVER_ROUNDS = 2;
const N = Number(process.env.BENCH_PUSH_N ?? 20_000);

/** A report as a device writes it (the integration tests' makeReport), in Lâm Viên ward. */
function makeReport(authorId: string, i: number): Doc {
	return makeDeviceReport(authorId, {
		description: `Rác đổ trộm bên đường Phan Đình Phùng, gần số ${i}; đã nhiều ngày chưa được thu gom`,
		location: { source: 'gps', lat: 11.962 + (i % 100) / 100_000, lng: 108.452, accuracyM: 12 }
	});
}

interface Server {
	url: string;
	dataDir: string;
	stop(): Promise<void>;
}

/** The server as `npm start` runs it, minus the build, with a CPU profile when BENCH_PROFILE is set. */
async function startServer(): Promise<Server> {
	const tmp = await tempDir('push');
	const profDir = path.resolve('bench/out');
	const proc = await startServerProcess(tmp.dir, {}, process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []);
	return { url: proc.url, dataDir: tmp.dir, stop: proc.stop };
}

async function registerDevice(url: string): Promise<{ token: string; authorId: string }> {
	const deviceId = randomUUID();
	const res = await fetch(`${url}/api/auth/device`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ deviceId, secret: randomBytes(32).toString('base64url') })
	});
	if (res.status !== 200) throw new Error(`device registration: ${res.status} ${await res.text()}`);
	const body = (await res.json()) as { token: string };
	return { token: body.token, authorId: `device:${deviceId}` };
}

async function pushBatch(url: string, token: string, body: string, expect: number): Promise<void> {
	const res = await fetch(`${url}/api/sync/reports/push`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body
	});
	const text = await res.text();
	if (res.status !== 200) throw new Error(`push: ${res.status} ${text.slice(0, 300)}`);
	const answer = JSON.parse(text) as { rejected: unknown[]; conflicts: { trackingCode?: string }[] };
	// A new report is answered with the server's state of it (tracking code...), as a "conflict".
	if (answer.rejected.length || answer.conflicts.length !== expect || !answer.conflicts.every((c) => c.trackingCode))
		throw new Error(`push: unexpected answer ${text.slice(0, 300)}`);
}

/** Each device pushes its own batches one after another; devices run concurrently. */
async function pushAll(url: string, devices: { token: string; bodies: string[] }[]): Promise<number> {
	const t0 = performance.now();
	await Promise.all(
		devices.map(async (d) => {
			for (const body of d.bodies) await pushBatch(url, d.token, body, BATCH);
		})
	);
	return (performance.now() - t0) / 1000;
}

const batchesOf = <T>(xs: T[]): T[][] => Array.from({ length: Math.ceil(xs.length / BATCH) }, (_, i) => xs.slice(i * BATCH, (i + 1) * BATCH));
const asRows = (docs: Doc[]) => JSON.stringify(docs.map((d) => ({ newDocumentState: d, assumedMasterState: null })));

async function countDocs(dataDir: string): Promise<Record<string, number>> {
	const out: Record<string, number> = {};
	for (const name of ['reports', 'events', 'tracking-codes']) {
		const db = new PouchDB(path.join(dataDir, 'db', `caunoi-lam-dong-${name}`));
		out[name] = (await db.info()).doc_count;
		await db.close();
	}
	return out;
}

/** Raw engine speed: bulkDocs of the same report documents (`_id` = id), batches of 100, fresh LevelDB. */
async function rawBulkDocs(batches: Doc[][]): Promise<number> {
	const tmp = await tempDir('raw');
	try {
		const db = new PouchDB(path.join(tmp.dir, 'reports'));
		const toRaw = (d: Doc) => ({ ...d, _id: d.id });
		// Warm-up on other ids, as the server gets its warm-up batches.
		for (let i = 0; i < WARMUP_BATCHES_PER_DEVICE * DEVICES; i++) await db.bulkDocs(Array.from({ length: BATCH }, (_, k) => toRaw(makeReport('device:warm', k))));
		const t0 = performance.now();
		for (const b of batches) {
			const res = await db.bulkDocs(b.map(toRaw));
			if (res.some((r) => !('ok' in r) || !r.ok)) throw new Error('raw bulkDocs failed');
		}
		const s = (performance.now() - t0) / 1000;
		await db.close();
		return s;
	} finally {
		await tmp.remove();
	}
}

export async function run(): Promise<Row[]> {
	const server = await startServer();
	const roundSeconds: number[] = [];
	let counts: Record<string, number>;
	const all: Doc[] = [];
	try {
		try {
			const devices: { token: string; authorId: string; bodies: string[]; warm: string[] }[] = [];
			for (let d = 0; d < DEVICES; d++) devices.push({ ...(await registerDevice(server.url)), bodies: [], warm: [] });
			for (const d of devices)
				d.warm = Array.from({ length: WARMUP_BATCHES_PER_DEVICE }, () =>
					asRows(Array.from({ length: BATCH }, (_, i) => makeReport(d.authorId, i)))
				);
			await pushAll(server.url, devices.map((d) => ({ token: d.token, bodies: d.warm })));
			// Best of a few rounds of new reports: the 2 cores may be shared with other jobs.
			for (let round = 0; round < SERVER_ROUNDS; round++) {
				for (const d of devices) {
					const mine = Array.from({ length: N / DEVICES }, (_, i) => makeReport(d.authorId, i));
					if (round === 0) all.push(...mine);
					d.bodies = batchesOf(mine).map(asRows);
				}
				roundSeconds.push(await pushAll(server.url, devices));
			}
		} finally {
			await server.stop();
		}
		counts = await countDocs(server.dataDir);
	} finally {
		await rm(server.dataDir, { recursive: true, force: true });
	}
	const warmReports = WARMUP_BATCHES_PER_DEVICE * DEVICES * BATCH;

	const rawSeconds: number[] = [];
	for (let i = 0; i < BASELINE_RUNS; i++) rawSeconds.push(await rawBulkDocs(batchesOf(all)));

	const seconds = Math.min(...roundSeconds);
	const pushed = N * SERVER_ROUNDS;
	const reportsPerS = N / seconds;
	const perReport = (counts.reports + counts.events + counts['tracking-codes'] - 4 * warmReports) / pushed;
	const docsPerS = (perReport * N) / seconds;
	const raw = N / Math.min(...rawSeconds);
	if (counts.reports - warmReports !== pushed) throw new Error(`expected ${pushed} reports stored, found ${counts.reports - warmReports}`);
	const b = 'sync-push';
	return [
		{
			bench: b,
			measure: `push with auth + validation, reports/s (${DEVICES} devices × batches of ${BATCH})`,
			value: fmt(reportsPerS),
			baseline: `${fmt(raw)} (raw bulkDocs)`,
			ratio: ratio(reportsPerS, raw),
			target: `≥ ${TARGET_RATIO}`,
			met: reportsPerS / raw >= TARGET_RATIO
		},
		{
			bench: b,
			measure: `  docs written by the server/s (${fmt(perReport, 1)} per report: report, claim, 2 events)`,
			value: fmt(docsPerS),
			baseline: `${fmt(raw)} (raw bulkDocs)`,
			ratio: ratio(docsPerS, raw)
		},
		{
			bench: b,
			measure: `  wall time for ${fmt(N)} reports, s (best of ${SERVER_ROUNDS}: ${roundSeconds.map((x) => fmt(x, 1)).join(', ')})`,
			value: fmt(seconds, 1),
			baseline: `${fmt(Math.min(...rawSeconds), 2)} (best of ${BASELINE_RUNS})`
		}
	];
}
