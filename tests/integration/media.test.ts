/**
 * Photo uploads end to end: the device's uploader (tus-js-client on our fetch stack, as in the
 * service worker) against the media service on a real HTTP server, through a loopback TCP proxy that
 * cuts the connection mid-upload like a weak 4G link does.
 */
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Media } from '$lib/domain/media';
import { DEFAULT_CHUNK_SIZE, PhotoUploadError, uploadPhoto } from '$lib/sync/photo-uploader';
import { EXPIRED_TOKEN, startMediaTestServer } from '../support/media-server';

const FIXTURE = join(import.meta.dirname, '../fixtures/photos/path.jpg');

interface TestServer {
	origin: string;
	port: number;
	dataDir: string;
	/** A token the server accepts for a resident. */
	residentToken: string;
	getMedia(id: string): Promise<Media | null>;
	/** Ids of a photo listed by a report of the resident's that the server has (see tests/support/media-server.ts `slot`). */
	photoIds(): { id: string; reportId: string };
	close(): Promise<void>;
}

/**
 * The one place that starts the server. Today: the media service with in-memory stand-ins for auth
 * and storage; swap for tests/integration/harness.ts `startServer` once the full sync-server runs.
 */
async function startServer(): Promise<TestServer> {
	const srv = await startMediaTestServer();
	return {
		origin: srv.origin,
		port: srv.port,
		dataDir: srv.dataDir,
		residentToken: 'token-ana',
		getMedia: async (id) => srv.media.get(id) ?? null,
		photoIds: () => {
			const { mediaId, reportId } = srv.slot();
			return { id: mediaId, reportId };
		},
		close: () => srv.close()
	};
}

interface Proxy {
	origin: string;
	/** Bytes passed on from the client to the server, HTTP headers included. */
	forwarded: number;
	cuts: number;
	close(): Promise<void>;
}

/**
 * A TCP proxy in front of the server. With `cutAfter`, once that many bytes have gone towards the
 * server in total, the connection carrying them is cut (once): the client sees its request fail
 * mid-body, the server gets the bytes up to the cut, like a phone dropping off the network.
 */
async function startProxy(targetPort: number, cutAfter = Number.POSITIVE_INFINITY): Promise<Proxy> {
	const sockets = new Set<Socket>();
	const proxy: Proxy = { origin: '', forwarded: 0, cuts: 0, close: async () => {} };
	const server: Server = createServer((client) => {
		const upstream = connect(targetPort, '127.0.0.1');
		sockets.add(client).add(upstream);
		client.on('close', () => sockets.delete(client));
		upstream.on('close', () => sockets.delete(upstream));
		client.on('error', () => upstream.destroy());
		upstream.on('error', () => client.destroy());
		upstream.pipe(client);
		client.on('data', (chunk: Buffer) => {
			if (proxy.cuts === 0 && proxy.forwarded + chunk.length >= cutAfter) {
				const part = chunk.subarray(0, cutAfter - proxy.forwarded);
				proxy.forwarded += part.length;
				proxy.cuts++;
				upstream.end(part);
				client.destroy();
				return;
			}
			proxy.forwarded += chunk.length;
			upstream.write(chunk);
		});
		client.on('end', () => upstream.end());
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	proxy.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	proxy.close = async () => {
		for (const s of sockets) s.destroy();
		await new Promise((r) => server.close(r));
	};
	return proxy;
}

let phonePhoto: Blob;
beforeAll(async () => {
	// What a phone sends: 4000×3000 at JPEG q92 (tests/fixtures/photos/README.md), ~2.9 MB.
	const buf = await sharp(await readFile(FIXTURE)).resize(4000, 3000, { fit: 'cover' }).jpeg({ quality: 92 }).toBuffer();
	phonePhoto = new Blob([new Uint8Array(buf)], { type: 'image/jpeg' });
});

let server: TestServer;
let proxy: Proxy | undefined;
beforeEach(async () => {
	server = await startServer();
});
afterEach(async () => {
	await proxy?.close();
	proxy = undefined;
	await server.close();
});

async function storedPhoto(id: string) {
	return sharp(join(server.dataDir, 'media', `${id}.webp`)).metadata();
}

describe('photo upload over a connection that drops', () => {
	it('resumes after the connection is cut at ~600 KB and resends at most one chunk', async () => {
		proxy = await startProxy(server.port, 600 * 1024);
		const photo = { ...server.photoIds(), blob: phonePhoto, mime: 'image/jpeg' };
		const urls: string[] = [];
		const progress: number[] = [];

		const result = await uploadPhoto(photo, {
			endpoint: `${proxy.origin}/api/media/uploads`,
			getToken: async () => server.residentToken,
			onUrl: (url) => void urls.push(url),
			onProgress: (sent) => progress.push(sent)
		});

		expect(proxy.cuts).toBe(1);
		expect(result.url).toBe(`${proxy.origin}/api/media/uploads/${photo.id}`);
		expect(urls).toContain(result.url);
		expect(progress.at(-1)).toBe(phonePhoto.size);
		expect(proxy.forwarded).toBeGreaterThan(phonePhoto.size);
		expect(proxy.forwarded - phonePhoto.size).toBeLessThanOrEqual(DEFAULT_CHUNK_SIZE);

		expect(await server.getMedia(photo.id)).toMatchObject({ status: 'ready', mime: 'image/webp', width: 1600, height: 1200 });
		const stored = await storedPhoto(photo.id);
		expect([stored.format, stored.width, stored.height, stored.exif]).toEqual(['webp', 1600, 1200, undefined]);
		// The raw 2.9 MB upload is gone once the photo is stored.
		expect(await readdir(join(server.dataDir, 'uploads'))).not.toContain(photo.id);
	});

	it('resumes from the saved upload URL after the device stopped mid-upload, without resending what arrived', async () => {
		proxy = await startProxy(server.port);
		const photo = { ...server.photoIds(), blob: phonePhoto, mime: 'image/jpeg' };
		let savedUrl: string | null = null;
		const stop = new AbortController();

		const first = uploadPhoto(photo, {
			endpoint: `${proxy.origin}/api/media/uploads`,
			getToken: async () => server.residentToken,
			onUrl: (url) => void (savedUrl = url),
			onProgress: (sent) => sent >= 1024 * 1024 && stop.abort(new Error('app closed')),
			signal: stop.signal
		});
		await expect(first).rejects.toThrow('app closed');
		expect(savedUrl).not.toBeNull();
		expect(await server.getMedia(photo.id)).toBeNull();

		await uploadPhoto(photo, {
			endpoint: `${proxy.origin}/api/media/uploads`,
			getToken: async () => server.residentToken,
			previousUrl: savedUrl
		});

		expect((await server.getMedia(photo.id))?.status).toBe('ready');
		expect(proxy.forwarded - phonePhoto.size).toBeLessThanOrEqual(DEFAULT_CHUNK_SIZE);
	});
});

describe('photo upload refusals', () => {
	it('tells the device a file that is not a photo is refused, with media_not_image', async () => {
		const fake = { ...server.photoIds(), blob: new Blob(['a shopping list, not a photo\n'.repeat(30_000)]), mime: 'image/jpeg' };

		const err = await uploadPhoto(fake, { endpoint: `${server.origin}/api/media/uploads`, getToken: async () => server.residentToken }).catch((e) => e);

		expect(err).toBeInstanceOf(PhotoUploadError);
		expect(err).toMatchObject({ code: 'media_not_image', retryable: false });
		expect(await server.getMedia(fake.id)).toMatchObject({ status: 'rejected', error: 'media_not_image' });
	});

	it('refuses an upload without a valid login and stores nothing', async () => {
		const photo = { ...server.photoIds(), blob: phonePhoto, mime: 'image/jpeg' };

		const err = await uploadPhoto(photo, { endpoint: `${server.origin}/api/media/uploads`, getToken: async () => '' }).catch((e) => e);

		expect(err).toMatchObject({ code: 'unauthenticated', retryable: false });
		expect(await readdir(join(server.dataDir, 'uploads'))).toEqual([]);
		expect(await server.getMedia(photo.id)).toBeNull();
	});

	it('reports a server it cannot reach as a network failure, to retry later', async () => {
		// A port that was just open and is closed now: connections are refused.
		const gone = await startProxy(server.port);
		const origin = gone.origin;
		await gone.close();
		const photo = { ...server.photoIds(), blob: new Blob(['x']), mime: 'image/jpeg' };

		const err = await uploadPhoto(photo, { endpoint: `${origin}/api/media/uploads`, getToken: async () => server.residentToken }).catch((e) => e);

		expect(err).toBeInstanceOf(PhotoUploadError);
		expect(err).toMatchObject({ code: 'network', retryable: true });
	});

	it('gets a fresh token once when the server says the old one expired', async () => {
		const photo = { ...server.photoIds(), blob: phonePhoto.slice(0, phonePhoto.size, 'image/jpeg'), mime: 'image/jpeg' };
		const tokens = [EXPIRED_TOKEN, server.residentToken];
		let asked = 0;

		await uploadPhoto(photo, { endpoint: `${server.origin}/api/media/uploads`, getToken: async () => tokens[asked++] });

		expect(asked).toBe(2);
		expect((await server.getMedia(photo.id))?.status).toBe('ready');
	});
});
