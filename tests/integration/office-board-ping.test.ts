/**
 * The board stream says it is alive: a named `ping` event every heartbeat (half the idle timeout),
 * which the page can see, unlike an SSE comment — a board that hears nothing for three of them knows
 * its stream stalled and opens a new one (src/lib/office/board-live.ts).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness';

let srv: TestServer;
beforeAll(async () => {
	srv = await startServer({ httpIdleTimeoutMs: 600 });
});
afterAll(() => srv?.close());

it('pings a quiet board stream with an event the page can hear', async () => {
	const ctrl = new AbortController();
	const res = await fetch(`${srv.url}/api/office/offices/lam-vien/board/stream`, { signal: ctrl.signal });
	const reader = res.body!.getReader();
	const decoder = new TextDecoder();
	let text = '';
	const until = Date.now() + 3_000;
	while (!/event: ping\ndata: 1\n\n[\s\S]*event: ping\ndata: 1\n\n/.test(text) && Date.now() < until) text += decoder.decode((await reader.read()).value, { stream: true });
	ctrl.abort();
	expect(text).toMatch(/^retry: \d+\n\ndata: \{/); // the whole board at once
	expect(text.match(/event: ping\ndata: 1\n\n/g)?.length).toBeGreaterThanOrEqual(2);
	expect(text).not.toContain(': heartbeat');
});

it('answers the public board snapshot at most 120 times a minute per address', async () => {
	const url = `${srv.url}/api/office/offices/lam-vien/board`;
	const codes = [];
	for (let i = 0; i < 121; i++) codes.push((await fetch(url)).status);
	expect(codes.slice(0, 120).every((c) => c === 200)).toBe(true);
	expect(codes[120]).toBe(429);
});
