/**
 * `npm run bench` (`tsx bench/run.ts`): builds the PWA when build/ is missing or older than its
 * sources (the rule of `npm start`, scripts/build-state.mjs), runs each benchmark and prints ONE
 * table. Every figure is compared with a baseline measured in the same run, so the ratios hold on
 * another machine even where the absolute times do not.
 *
 *   npm run bench                      all of them
 *   npm run bench -- sync-push         only those whose name contains an argument
 *
 * Benchmarks are not tests: they are not part of `npm test` and never fail a build; a target not
 * met shows as NOT MET in the table (docs/BENCHMARKS.md says what holds it back).
 */
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, needsBuild } from '../scripts/build-state.mjs';
import { printTable, type Row } from './lib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

interface Bench {
	name: string;
	/** Needs build/ (a browser visits the PWA). */
	needsApp: boolean;
	run(): Promise<Row[]>;
}

const BENCHES: Bench[] = [
	{ name: 'report-js', needsApp: true, run: async () => (await import('./report-js.bench')).run() },
	{ name: 'lighthouse', needsApp: true, run: async () => (await import('./lighthouse.bench')).run() },
	{ name: 'repeat-start', needsApp: true, run: async () => (await import('./repeat-start.bench')).run() },
	{ name: 'handler-inbox', needsApp: true, run: async () => (await import('./handler-inbox.bench')).run() },
	{ name: 'photo-delivery', needsApp: true, run: async () => (await import('./photo-delivery.bench')).run() },
	{ name: 'dossier-delivery', needsApp: true, run: async () => (await import('./dossier-delivery.bench')).run() },
	{ name: 'sync-push', needsApp: false, run: async () => (await import('./sync-push.bench')).run() },
	{ name: 'ticket-office', needsApp: false, run: async () => (await import('./ticket-office.bench')).run() },
	{ name: 'first-sync', needsApp: false, run: async () => (await import('./first-sync.bench')).run() },
	{ name: 'fuzz', needsApp: false, run: async () => (await import('./fuzz.bench')).run() },
	{ name: 'zoning-lookup', needsApp: false, run: async () => (await import('./zoning-lookup.bench')).run() },
	{ name: 'offline-area', needsApp: true, run: async () => (await import('./offline-area.bench')).run() },
	{ name: 'procedure-search', needsApp: false, run: async () => (await import('./procedure-search.bench')).run() },
	{ name: 'offline-tiles', needsApp: false, run: async () => (await import('./offline-tiles.bench')).run() },
	{ name: 'ioc', needsApp: false, run: async () => (await import('./ioc.bench')).run() },
	// Named apart from 'ioc' (a filter matches by substring): the page, not the figures.
	{ name: 'dashboard-page', needsApp: true, run: async () => (await import('./dashboard-page.bench')).run() }
];

const say = (msg: string) => console.error(`\x1b[1m[bench]\x1b[0m ${msg}`);

const filters = process.argv.slice(2);
const chosen = BENCHES.filter((b) => !filters.length || filters.some((f) => b.name.includes(f)));
if (!chosen.length) {
	say(`no benchmark matches ${filters.join(', ')}; there are: ${BENCHES.map((b) => b.name).join(', ')}`);
	process.exit(2);
}

if (process.env.BENCH_STATIC_DIR) say(`Measuring the build in ${process.env.BENCH_STATIC_DIR} as it is (BENCH_STATIC_DIR).`);
else if (chosen.some((b) => b.needsApp)) {
	const why = needsBuild(root);
	if (why) {
		say(`Building the app (${why})...`);
		const status = buildApp(root, say);
		if (status !== 0) {
			say(`the build failed (exit ${status})`);
			process.exit(status);
		}
	} else say('The build is up to date.');
}

const started = Date.now();
const rows: Row[] = [];
let failed = false;
for (const b of chosen) {
	const t0 = Date.now();
	say(`${b.name}...`);
	try {
		rows.push(...(await b.run()));
		say(`${b.name} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
	} catch (e) {
		failed = true;
		say(`${b.name} FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
		rows.push({ bench: b.name, measure: 'FAILED', value: e instanceof Error ? e.message.split('\n')[0] : String(e) });
	}
}

const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
console.log(
	`\nCầu Nối benchmarks, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.versions.node}, ` +
		`${availableParallelism()} cores (${cpu}), ${((Date.now() - started) / 1000).toFixed(0)} s\n`
);
printTable(rows);
process.exit(failed ? 1 : 0);
