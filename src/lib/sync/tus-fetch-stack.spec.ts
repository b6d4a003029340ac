import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobFileReader, FetchHttpStack } from './tus-fetch-stack';

interface Seen {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: Buffer;
}

let server: Server;
let origin: string;
let seen: Seen[];
/** What the tiny server does with a request; default echoes like a tus server would. */
let behave: (req: IncomingMessage, body: Buffer, res: import('node:http').ServerResponse) => void;

beforeEach(async () => {
	seen = [];
	behave = (req, body, res) => {
		res.writeHead(req.method === 'HEAD' ? 200 : 204, { 'Upload-Offset': String(body.length), 'Tus-Resumable': '1.0.0' });
		res.end();
	};
	server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const body = Buffer.concat(chunks);
		seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
		behave(req, body, res);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
	server.closeAllConnections();
	await new Promise((r) => server.close(r));
});

describe('FetchHttpStack', () => {
	it('sends the method, headers and a Blob body, and reads status, headers and progress', async () => {
		const req = new FetchHttpStack().createRequest('PATCH', `${origin}/api/media/uploads/abc`);
		req.setHeader('Tus-Resumable', '1.0.0');
		req.setHeader('Upload-Offset', '0');
		req.setHeader('Content-Type', 'application/offset+octet-stream');
		expect(req.getHeader('upload-offset')).toBe('0');
		const progress: number[] = [];
		req.setProgressHandler((n) => progress.push(n));

		const res = await req.send(new Blob([new Uint8Array(300_000).fill(7)]));

		expect(seen).toHaveLength(1);
		expect(seen[0]).toMatchObject({ method: 'PATCH', url: '/api/media/uploads/abc' });
		expect(seen[0].headers['content-type']).toBe('application/offset+octet-stream');
		expect(seen[0].headers['upload-offset']).toBe('0');
		expect(seen[0].body.length).toBe(300_000);
		expect(res.getStatus()).toBe(204);
		expect(res.getHeader('upload-offset')).toBe('300000');
		expect(res.getHeader('Upload-Offset')).toBe('300000');
		expect(res.getHeader('location')).toBeUndefined();
		expect(progress).toEqual([300_000]);
	});

	it('returns the body of an error answer so the caller can read the error code', async () => {
		behave = (_req, _body, res) => {
			res.writeHead(415, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ error: { code: 'media_not_image', message: 'not a photo' } }));
		};
		const res = await new FetchHttpStack().createRequest('PATCH', `${origin}/x`).send(new Blob(['abc']));
		expect(res.getStatus()).toBe(415);
		expect(JSON.parse(res.getBody())).toEqual({ error: { code: 'media_not_image', message: 'not a photo' } });
	});

	it('sends HEAD without a body', async () => {
		const res = await new FetchHttpStack().createRequest('HEAD', `${origin}/x`).send(null);
		expect(seen[0].method).toBe('HEAD');
		expect(res.getStatus()).toBe(200);
		expect(res.getBody()).toBe('');
	});

	it('rejects when the request is aborted, when nobody answers in time, and when nobody listens', async () => {
		behave = () => {}; // never answers
		const stack = new FetchHttpStack({ timeoutMs: 150 });

		const aborted = stack.createRequest('PATCH', `${origin}/x`);
		const pending = aborted.send(new Blob(['abc']));
		await new Promise((r) => setTimeout(r, 30));
		await aborted.abort();
		await expect(pending).rejects.toThrow();

		const started = Date.now();
		await expect(stack.createRequest('HEAD', `${origin}/x`).send(null)).rejects.toThrow();
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);

		server.closeAllConnections();
		await new Promise((r) => server.close(r));
		await expect(stack.createRequest('HEAD', `${origin}/x`).send(null)).rejects.toThrow();
		server.listen(0); // afterEach closes it again
	});
});

describe('BlobFileReader', () => {
	it('hands out Blob slices and says when the last one is reached', async () => {
		const source = await new BlobFileReader().openFile(new Blob(['0123456789']), 4);
		expect(source.size).toBe(10);
		const first = await source.slice(0, 4);
		expect([await (first.value as Blob).text(), first.done]).toEqual(['0123', false]);
		const last = await source.slice(8, 12);
		expect([await (last.value as Blob).text(), last.done]).toEqual(['89', true]);
		await expect(new BlobFileReader().openFile('not a blob', 4)).rejects.toThrow(/Blob/);
	});
});
