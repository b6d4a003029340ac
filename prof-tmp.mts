import { chromium } from '@playwright/test';
import { buildServer } from '/work/main/sync-server/app.ts';
import { mkdtemp, readFile } from 'node:fs/promises';
const page_ = process.argv[2] ?? '/public';
const h = await buildServer({ port: 0, host: '127.0.0.1', dataDir: await mkdtemp('/tmp/pf-'), staticDir: '/work/main/build', logLevel: 'error' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
const ctx = await browser.newContext({ viewport: { width: 412, height: 823 } });
const page = await ctx.newPage();
const cdp = await ctx.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
await cdp.send('Profiler.start');
await page.goto(h.url + page_);
await page.waitForTimeout(6000);
const { profile } = await cdp.send('Profiler.stop');
// inclusive time per frame (function+position), counting each sample once per distinct frame on its stack
const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes as any[]) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map<string, number>();
const dt = profile.timeDeltas ?? [];
(profile.samples ?? []).forEach((id: number, i: number) => {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const cf = (byId.get(cur) as any).callFrame;
    if (!cf.url) continue;
    const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').pop()}:${cf.lineNumber}:${cf.columnNumber}`;
    if (seen.has(key)) continue; seen.add(key);
    incl.set(key, (incl.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  }
});
const top = [...incl.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40);
for (const [k, v] of top) {
  const m = /^(.*) (\S+\.js):(\d+):(\d+)$/.exec(k);
  let snip = '';
  if (m) { try { const src = await readFile(`/work/main/build/_app/immutable/chunks/${m[2]}`, 'utf8').catch(() => readFile(`/work/main/build/_app/immutable/nodes/${m[2]}`, 'utf8')); snip = src.split('\n')[+m[3]].slice(+m[4], +m[4] + 70); } catch {} }
  console.log(`${v.toFixed(0).padStart(6)} ms  ${k.slice(0, 50).padEnd(50)} ${snip.replace(/\s+/g, ' ')}`);
}
await browser.close(); await h.close();
