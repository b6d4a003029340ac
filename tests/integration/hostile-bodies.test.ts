/**
 * Hostile request bodies: no unauthenticated request may hold the event loop (everyone else's
 * requests wait behind it), and a deeply nested document in a push is refused on its own.
 *
 * How the stall is measured (docs/SECURITY.md): the server runs in this process. The hostile
 * bodies are built before measuring and written to raw sockets (no client-side JSON work), 16 at a
 * time, three waves. A 5 ms timer samples wall clock and process CPU time: a tick that came late
 * while the process was busy (CPU time ≈ wall time) is the event loop blocked by work; a tick late
 * with little CPU used is the machine's other load (a shared CI runner), not ours. The asserted
 * figure is the longest busy stall; the wall-clock event loop delay (monitorEventLoopDelay) and
 * /api/health round trips (timed every 20 ms) are printed beside it.
 */
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushResponse } from '$lib/domain/sync-protocol';
import { deviceSession, fileReport, makeContact, push, pullAll, startServer, type TestServer } from './harness';
import { busyStalls } from '../support/busy-stalls';

let srv: TestServer;
beforeAll(async () => {
	srv = await startServer();
});
afterAll(() => srv?.close());

const MB = 1024 * 1024;
const nested = (bytes: number) => Buffer.from('['.repeat(bytes / 2) + ']'.repeat(bytes / 2));
/** Many small rows: a flat body that is costly only by its size. */
const flatRows = (bytes: number) => {
	const row = JSON.stringify({ newDocumentState: { id: 'x'.repeat(40), description: 'y'.repeat(200) }, assumedMasterState: null });
	return Buffer.from(`[${Array.from({ length: Math.floor(bytes / (row.length + 1)) }, () => row).join(',')}]`);
};
const hugeString = (bytes: number, key: string) => Buffer.from(`{"${key}":"${'a'.repeat(bytes)}"}`);

/** Sends one raw request and resolves with the status line's code (0 when the server just closed). */
function rawRequest(url: string, path: string, body: Buffer, headers: Record<string, string> = {}, chunked = false): Promise<number> {
	const { hostname, port } = new URL(url);
	return new Promise((resolve) => {
		const socket = net.connect(Number(port), hostname);
		let got = '';
		const done = (status: number) => {
			socket.destroy();
			resolve(status);
		};
		socket.on('data', (d) => {
			got += d.toString('latin1');
			const m = /^HTTP\/1\.1 (\d{3})/.exec(got);
			if (m) done(Number(m[1]));
		});
		socket.on('error', () => done(0));
		socket.on('close', () => done(0));
		socket.on('connect', () => {
			const head = [
				`POST ${path} HTTP/1.1`,
				`host: ${hostname}`,
				'content-type: application/json',
				chunked ? 'transfer-encoding: chunked' : `content-length: ${body.length}`,
				...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)
			].join('\r\n');
			socket.write(head + '\r\n\r\n');
			if (chunked) socket.write(`${body.length.toString(16)}\r\n`), socket.write(body), socket.write('\r\n0\r\n\r\n');
			else socket.write(body);
		});
	});
}

describe('hostile unauthenticated bodies', () => {
	it('never hold the event loop: 3 waves of 16 × 8 MB (nested, flat, huge strings) in parallel', async () => {
		const deep = nested(8 * MB);
		const flat = flatRows(8 * MB);
		const bigName = hugeString(8 * MB, 'username');
		const bogus = { authorization: 'Bearer not-a-token' };
		const attacks: [string, Buffer, Record<string, string>?, boolean?][] = [
			['/api/sync/reports/push', deep],
			['/api/sync/events/push', deep, bogus],
			['/api/sync/contacts/push', flat],
			['/api/sync/reports/push', deep, {}, true],
			['/api/sync/events/push', flat, bogus, true],
			['/api/auth/login', bigName],
			['/api/auth/login', deep, {}, true],
			['/api/auth/device', deep],
			['/api/auth/device', flat, {}, true],
			['/api/auth/otp/request', deep],
			['/api/auth/otp/verify', bigName, {}, true],
			['/api/push/subscriptions', deep],
			['/api/push/subscriptions', flat, {}, true],
			['/api/no-such-route', deep],
			['/api/no-such-route', bigName, {}, true],
			['/api/sync/media/push', deep, bogus]
		];

		const health: number[] = [];
		let probing = true;
		const probe = (async () => {
			while (probing) {
				const t = performance.now();
				await fetch(`${srv.url}/api/health`).then((r) => r.arrayBuffer());
				health.push(performance.now() - t);
				await new Promise((r) => setTimeout(r, 20));
			}
		})();
		const h = monitorEventLoopDelay({ resolution: 10 });
		h.enable();
		const busy = busyStalls();
		// Three waves of 16 at once.
		const statuses: number[] = [];
		for (let wave = 0; wave < 3; wave++)
			statuses.push(...(await Promise.all(attacks.map(([p, body, headers, chunked]) => rawRequest(srv.url, p, body, headers, chunked)))));
		const stallMs = busy.stop();
		h.disable();
		probing = false;
		await probe;

		console.log(
			`3 × 16 hostile 8 MB bodies: longest busy stall ${stallMs.toFixed(1)} ms; event loop delay (wall clock) max ${(h.max / 1e6).toFixed(1)} ms, ` +
				`p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms; /api/health max ${Math.max(...health).toFixed(1)} ms over ${health.length} probes`
		);
		// Every one refused with a 4xx, none parsed into a stall.
		for (const [i, s] of statuses.entries()) {
			const what = attacks[i % attacks.length][0];
			expect(s, what).toBeGreaterThanOrEqual(400);
			expect(s, what).toBeLessThan(500);
		}
		// The goal is 50 ms; the bound leaves room for GC on a slow runner (before the fix: ~2,300 ms).
		expect(stallMs).toBeLessThan(100);
	}, 60_000);
});

describe('deeply nested documents in an authenticated push', () => {
	it('are refused one by one with a code; the rest of the batch is stored', async () => {
		const resident = await deviceSession(srv.url);
		const first = await fileReport(srv.url, resident);
		const second = await fileReport(srv.url, resident);
		const stored = makeContact(first);
		expect((await push(srv.url, resident.token, 'contacts', [stored])).body.rejected).toEqual([]);

		// 10,000 levels: enough to overflow a recursive comparison (and JSON.stringify: written by hand).
		const depth = 10_000;
		const deep = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
		const fresh = makeContact(second);
		const rows = `[${JSON.stringify({ newDocumentState: fresh, assumedMasterState: null })},{"newDocumentState":${JSON.stringify({ ...stored, name: 'Trần Thị Bình' })},"assumedMasterState":${deep}}]`;
		const answer = await fetch(`${srv.url}/api/sync/contacts/push`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${resident.token}` },
			body: rows
		});
		const res = { status: answer.status, body: (await answer.json()) as PushResponse };
		expect(res.status).toBe(200);
		expect(res.body.rejected).toEqual([expect.objectContaining({ id: stored.id, code: 'validation_failed' })]);
		expect(res.body.rejected[0].message).toMatch(/nested|lồng/i);

		const docs = (await pullAll(srv.url, resident.token, 'contacts')).docs;
		expect(docs.find((d) => d.id === fresh.id)).toBeTruthy();
		expect(docs.find((d) => d.id === stored.id)).toMatchObject({ name: stored.name });

		// Nested just past the limit inside the document itself: refused the same way.
		const third = await fileReport(srv.url, resident);
		const over = makeContact(third, { name: 'x' }) as Record<string, unknown>;
		over.extra = JSON.parse('['.repeat(40) + ']'.repeat(40));
		const res2 = await push(srv.url, resident.token, 'contacts', [over]);
		expect(res2.body.rejected).toEqual([expect.objectContaining({ id: over.id, code: 'validation_failed' })]);
		expect(res2.body.rejected[0].message).toMatch(/nested|lồng/i);
	});
});
