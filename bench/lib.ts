/** Small helpers shared by the benchmarks: timing, a table printer and temp dirs. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Row {
	bench: string;
	measure: string;
	value: string;
	baseline?: string;
	ratio?: string;
	target?: string;
	met?: boolean | null;
}

export async function tempDir(prefix: string) {
	const dir = await mkdtemp(join(tmpdir(), `caunoi-bench-${prefix}-`));
	return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function printTable(rows: Row[]) {
	const cols: (keyof Row)[] = ['bench', 'measure', 'value', 'baseline', 'ratio', 'target', 'met'];
	const cell = (r: Row, c: keyof Row) =>
		c === 'met' ? (r.met == null ? '' : r.met ? 'yes' : 'NOT MET') : String(r[c] ?? '');
	const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r, c).length)));
	const line = (vals: string[]) => '| ' + vals.map((v, i) => v.padEnd(widths[i])).join(' | ') + ' |';
	console.log(line(cols as string[]));
	console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
	for (const r of rows) console.log(line(cols.map((c) => cell(r, c))));
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
