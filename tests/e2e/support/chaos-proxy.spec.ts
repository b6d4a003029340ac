import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { ChaosProxy, DEFAULT_CHAOS } from './chaos-proxy';

/**
 * The chaos proxy's own checks (no browser): what the weak-link spec concludes rests on them — the
 * proxy really cuts what it is told to, passes everything through when calm, and rebuilds a tus
 * upload from pieces sent at their offsets.
 */

let origin: Server;
let port = 0;
/** Body bytes that reached the origin, all requests together. */
let arrived = 0;
test.beforeAll(async () => {
	// Answers every request once its body has arrived, with the body's length.
	origin = createServer((req, res) => {
		let n = 0;
		req.on('data', (c: Buffer) => ((n += c.length), (arrived += c.length)));
		req.on('end', () => res.end(JSON.stringify({ n })));
	});
	await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
	port = (origin.address() as AddressInfo).port;
});
test.afterAll(() => new Promise<void>((r) => origin.close(() => r())));

async function withProxy(settings: Partial<typeof DEFAULT_CHAOS>, fn: (proxy: ChaosProxy) => Promise<void>) {
	const proxy = new ChaosProxy(7, { host: '127.0.0.1', port }, { ...DEFAULT_CHAOS, ...settings });
	await proxy.start();
	try {
		await fn(proxy);
	} finally {
		await proxy.close();
	}
}

const tusPatch = (url: string, offset: number, body: Buffer) =>
	fetch(url, { method: 'PATCH', headers: { 'Upload-Offset': String(offset) }, body: new Uint8Array(body) });

test('rebuilds an upload sent in pieces by offset, through a calm link', async () => {
	await withProxy({}, async (proxy) => {
		const bytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7) % 251));
		const id = '01a24179-038a-7f5f-841c-11976823f948';
		const meta = `mediaId ${Buffer.from(id).toString('base64')},reportId eA==`;
		const created = await fetch(`${proxy.url}/api/media/uploads`, {
			method: 'POST',
			headers: { 'Upload-Length': String(bytes.length), 'Upload-Metadata': meta },
			body: new Uint8Array(bytes.subarray(0, 40_000))
		});
		expect(await created.json()).toEqual({ n: 40_000 });
		// A retry repeats part of what went before, as a resumed upload does after a lost answer.
		await tusPatch(`${proxy.url}/api/media/uploads/${id}`, 30_000, bytes.subarray(30_000, 70_000));
		await tusPatch(`${proxy.url}/api/media/uploads/${id}`, 70_000, bytes.subarray(70_000));
		const seen = proxy.uploadEvidence().get(id);
		expect(seen).toEqual({
			length: bytes.length,
			covered: bytes.length,
			mismatches: 0,
			sha256: createHash('sha256').update(bytes).digest('hex')
		});
		expect(proxy.stats.cuts).toEqual({});
	});
});

test('in chaos, cuts what must be cut: the first report push in its answer, the first upload in its body', async () => {
	await withProxy({ cutWrite: 0, cutOther: 0, stall: 0 }, async (proxy) => {
		proxy.setMode('chaos');
		const push = fetch(`${proxy.url}/api/sync/reports/push`, { method: 'POST', body: '[]' });
		await expect(push).rejects.toThrow();
		arrived = 0;
		const upload = fetch(`${proxy.url}/api/media/uploads`, {
			method: 'POST',
			headers: { 'Upload-Length': '50000', 'Upload-Metadata': `mediaId ${Buffer.from('x').toString('base64')}` },
			body: new Uint8Array(50_000)
		});
		await expect(upload).rejects.toThrow();
		expect(proxy.stats.cuts).toEqual({ 'push reports: answer': 1, 'tus POST: request body': 1 });
		expect(arrived, 'the upload broke off before its end').toBeLessThan(50_000);
		// Only the first is forced: the next ones go through (no random cuts here).
		const again = await fetch(`${proxy.url}/api/sync/reports/push`, { method: 'POST', body: '[1]' });
		expect(await again.json()).toEqual({ n: 3 });
	});
});
