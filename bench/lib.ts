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

export const kb = (bytes: number, digits = 1) => fmt(bytes / 1024, digits);
export const ratio = (a: number, b: number, digits = 2) => (b ? fmt(a / b, digits) : '');
export const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
