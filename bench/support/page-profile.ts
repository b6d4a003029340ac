import type { Page } from '@playwright/test';

/**
 * Where a page's main thread goes (BENCH_PROFILE=1 in the browser benchmarks): V8's sampling profiler
 * over a load of `url` with the CPU throttled like a cheap phone, summed by function INCLUDING what
 * it calls (each sample counted once per function on its stack), the top `limit` printed with the
 * start of the function's minified source, so a long task can be traced to the code behind it.
 */
export async function profileLoad(page: Page, url: string, opts: { cpu?: number; ms?: number; limit?: number } = {}): Promise<string> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Emulation.setCPUThrottlingRate', { rate: opts.cpu ?? 4 });
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
	await cdp.send('Profiler.start');
	await page.goto(url);
	await page.waitForTimeout(opts.ms ?? 8_000);
	const { profile } = await cdp.send('Profiler.stop');
	const sources = new Map<string, Promise<string>>();
	const source = (scriptUrl: string) => {
		if (!sources.has(scriptUrl)) sources.set(scriptUrl, page.evaluate((u) => fetch(u).then((r) => r.text()), scriptUrl).catch(() => ''));
		return sources.get(scriptUrl)!;
	};
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const inclusive = new Map<string, { ms: number; url: string; line: number; column: number; name: string }>();
	const deltas = profile.timeDeltas ?? [];
	(profile.samples ?? []).forEach((id, i) => {
		const seen = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const f = byId.get(cur)!.callFrame;
			if (!f.url) continue;
			const key = `${f.url}:${f.lineNumber}:${f.columnNumber}`;
			if (seen.has(key)) continue;
			seen.add(key);
			const entry = inclusive.get(key) ?? { ms: 0, url: f.url, line: f.lineNumber, column: f.columnNumber, name: f.functionName || '(anonymous)' };
			entry.ms += (deltas[i] ?? 0) / 1000;
			inclusive.set(key, entry);
		}
	});
	const top = [...inclusive.values()].sort((a, b) => b.ms - a.ms).slice(0, opts.limit ?? 40);
	const lines: string[] = [];
	for (const e of top) {
		const code = (await source(e.url)).split('\n')[e.line]?.slice(e.column, e.column + 70).replace(/\s+/g, ' ') ?? '';
		lines.push(`${e.ms.toFixed(0).padStart(6)} ms  ${`${e.name} ${e.url.split('/').pop()}:${e.line}:${e.column}`.slice(0, 48).padEnd(48)} ${code}`);
	}
	return lines.join('\n');
}
