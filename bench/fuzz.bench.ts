/**
 * The long fuzzing run: BENCH_FUZZ_RUNS generated requests per endpoint (default 10,000), 8 in
 * flight over keep-alive connections, against the real server in its own process (LevelDB, fresh
 * DATA_DIR) — the same generators and invariant as tests/integration/fuzz.test.ts, which sends
 * 1,000 per endpoint in `npm test`. Nothing stops on a bad answer: every answer is counted.
 * One row per endpoint: requests, 2xx, refusals by error code, 5xx, other violations (a 4xx with no
 * code, no answer), p50/p99 latency. BENCH_FUZZ_SEED (or FUZZ_SEED) replays a run.
 */
import { endpoints } from '../tests/support/fuzz/endpoints';
import { fuzzContext } from '../tests/support/fuzz/context';
import { createFuzzClient } from '../tests/support/fuzz/http';
import { surveyEndpoint, type Survey } from '../tests/support/fuzz/run';
import { fmt, tempDir, type Row } from './lib';
import { startServerProcess } from './support/server-process';

const RUNS = Number(process.env.BENCH_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.BENCH_FUZZ_SEED ?? process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = 8;

const codes = (s: Survey) =>
	Object.entries(s.refused)
		.sort((a, b) => b[1] - a[1])
		.map(([code, n]) => `${code} ${n}`)
		.join(', ');

export async function run(): Promise<Row[]> {
	const tmp = await tempDir('fuzz');
	const server = await startServerProcess(tmp.dir);
	const client = createFuzzClient(server.url);
	const rows: Row[] = [];
	const t0 = performance.now();
	let total = 0;
	let bad = 0;
	try {
		const all = endpoints(await fuzzContext(server.url));
		console.error(`[bench] fuzz: seed ${SEED}, ${RUNS} requests per endpoint, ${all.length} endpoints`);
		for (const [i, e] of all.entries()) {
			const s = await surveyEndpoint(client.send, e, { seed: SEED + i, runs: RUNS, concurrency: CONCURRENCY });
			const health = await fetch(`${server.url}/api/health`).then((r) => r.status, () => 0);
			if (health !== 200) throw new Error(`the server stopped answering after ${e.name} (health ${health})`);
			total += s.requests;
			bad += s.serverErrors + s.other;
			for (const ex of s.examples) console.error(`[bench] fuzz ${e.name}: ${ex}`);
			rows.push({
				bench: 'fuzz',
				measure: e.name,
				value: `${fmt(s.requests)} req: 2xx ${s.ok}; 4xx ${codes(s) || '-'}; 5xx ${s.serverErrors}; other ${s.other}; p50 ${fmt(s.p50, 1)} ms, p99 ${fmt(s.p99, 1)} ms`,
				target: 'no 5xx, every 4xx coded',
				met: s.serverErrors + s.other === 0
			});
		}
		const seconds = (performance.now() - t0) / 1000;
		rows.push({
			bench: 'fuzz',
			measure: `total (seed ${SEED})`,
			value: `${fmt(total)} requests in ${fmt(seconds)} s (${fmt(total / seconds)} req/s), ${bad} bad answers, peak server RSS ${fmt(server.peakRssMb() ?? 0)} MB`,
			met: bad === 0
		});
		return rows;
	} finally {
		client.close();
		await server.stop();
		await tmp.remove();
	}
}
