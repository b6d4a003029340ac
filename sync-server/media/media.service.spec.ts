import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { Report } from '$lib/domain/report';
import { startMediaTestServer, TENANT, type MediaTestServer } from '../../tests/support/media-server';

const FIXTURE = join(import.meta.dirname, '../../tests/fixtures/photos/autumn.jpg');
const MAX_BYTES = 2 * 1024 * 1024;

let srv: MediaTestServer;
let photo: Buffer;
beforeEach(async () => {
	srv = await startMediaTestServer({ maxBytes: MAX_BYTES });
	photo ??= await readFile(FIXTURE);
});
afterEach(() => srv.close());

const b64 = (s: string) => Buffer.from(s).toString('base64');
function tusHeaders(token: string | null, extra: Record<string, string> = {}): Record<string, string> {
	return { 'Tus-Resumable': '1.0.0', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...extra };
}
function create(token: string | null, o: { mediaId?: string; reportId?: string; length: number; filetype?: string; headers?: Record<string, string> }) {
	const meta = [
		o.mediaId && `mediaId ${b64(o.mediaId)}`,
		o.reportId && `reportId ${b64(o.reportId)}`,
		o.filetype && `filetype ${b64(o.filetype)}`
	].filter(Boolean);
	return fetch(`${srv.origin}/api/media/uploads`, {
		method: 'POST',
		headers: tusHeaders(token, { 'Upload-Length': String(o.length), 'Upload-Metadata': meta.join(','), ...o.headers })
	});
}
function patch(token: string, location: string, offset: number, body: Buffer) {
	return fetch(new URL(location, srv.origin), {
		method: 'PATCH',
		headers: tusHeaders(token, { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' }),
		body: new Uint8Array(body)
	});
}
function head(token: string, location: string) {
	return fetch(new URL(location, srv.origin), { method: 'HEAD', headers: tusHeaders(token) });
}
async function errorCode(res: Response) {
	return ((await res.json()) as { error: { code: string } }).error.code;
}
/** Creates and sends a whole file in one PATCH; returns the final PATCH response. */
async function uploadWhole(token: string, ids: { mediaId: string; reportId: string }, bytes: Buffer) {
	const created = await create(token, { ...ids, length: bytes.length, filetype: 'image/jpeg' });
	expect(created.status).toBe(201);
	return { location: created.headers.get('location')!, res: await patch(token, created.headers.get('location')!, 0, bytes) };
}
const ids = () => srv.slot();

describe('photo uploads (tus)', () => {
	it('refuses an Upload-Length over the cap before any byte is sent, with media_too_large', async () => {
		const res = await create('token-ana', { ...ids(), length: MAX_BYTES + 1 });
		expect(res.status).toBe(413);
		expect(res.headers.get('tus-resumable')).toBe('1.0.0');
		expect(await errorCode(res)).toBe('media_too_large');
		expect(await readdir(join(srv.dataDir, 'uploads'))).toEqual([]);
	});

	it('refuses a caller without a valid token, and a caller touching another resident\'s upload', async () => {
		const anonymous = await create(null, { ...ids(), length: 10 });
		expect(anonymous.status).toBe(401);
		expect(await errorCode(anonymous)).toBe('unauthenticated');

		const mine = await create('token-ana', { ...ids(), length: photo.length });
		const location = mine.headers.get('location')!;
		const theirs = await head('token-binh', location);
		expect(theirs.status).toBe(403);
		const theirPatch = await patch('token-binh', location, 0, photo.subarray(0, 1000));
		expect(await errorCode(theirPatch)).toBe('not_owner');
		expect((await head('token-ana', location)).headers.get('upload-offset')).toBe('0');
	});

	it('needs a known length and the photo/report ids in the metadata', async () => {
		const deferred = await create('token-ana', { ...ids(), length: 10, headers: { 'Upload-Defer-Length': '1' } });
		expect(deferred.status).toBe(400);
		expect(await errorCode(deferred)).toBe('validation_failed');
		const noIds = await create('token-ana', { length: 10 });
		expect(await errorCode(noIds)).toBe('validation_failed');
		const video = await create('token-ana', { ...ids(), length: 10, filetype: 'video/mp4' });
		expect(video.status).toBe(415);
		expect(await errorCode(video)).toBe('media_not_image');
	});

	it('refuses a single PATCH bigger than the chunk cap', async () => {
		const small = await startMediaTestServer({ chunkMaxBytes: 64 * 1024 });
		try {
			const photoIds = small.slot();
			const created = await fetch(`${small.origin}/api/media/uploads`, {
				method: 'POST',
				headers: tusHeaders('token-ana', {
					'Upload-Length': String(photo.length),
					'Upload-Metadata': `mediaId ${b64(photoIds.mediaId)},reportId ${b64(photoIds.reportId)}`
				})
			});
			const big = await fetch(new URL(created.headers.get('location')!, small.origin), {
				method: 'PATCH',
				headers: tusHeaders('token-ana', { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }),
				body: new Uint8Array(photo.subarray(0, 100_000))
			});
			expect([big.status, await errorCode(big)]).toEqual([413, 'media_too_large']);
		} finally {
			await small.close();
		}
	});

	it('names the upload after the photo id, so a repeated create finds the same upload and keeps what arrived', async () => {
		const photoIds = ids();
		const first = await create('token-ana', { ...photoIds, length: photo.length });
		expect(first.headers.get('location')).toBe(`/api/media/uploads/${photoIds.mediaId}`);
		expect(first.headers.get('access-control-allow-origin')).toBeNull(); // same origin only, no CORS
		const chunk = await patch('token-ana', first.headers.get('location')!, 0, photo.subarray(0, 100_000));
		expect(chunk.headers.get('upload-offset')).toBe('100000');

		// The device never saw the first answer and creates again.
		const again = await create('token-ana', { ...photoIds, length: photo.length });
		expect(again.status).toBe(201);
		expect(again.headers.get('location')).toBe(first.headers.get('location'));
		const offset = await head('token-ana', again.headers.get('location')!);
		expect(offset.headers.get('upload-offset')).toBe('100000');
		expect(offset.headers.get('upload-length')).toBe(String(photo.length));
	});

	it('stores a finished photo as WebP, deletes the raw upload, and answers retries as complete', async () => {
		const photoIds = ids();
		const { location, res } = await uploadWhole('token-ana', photoIds, photo);
		expect(res.status).toBe(204);
		expect(srv.media.get(photoIds.mediaId)).toMatchObject({
			id: photoIds.mediaId,
			reportId: photoIds.reportId,
			tenantId: TENANT,
			authorId: 'device:ana',
			status: 'ready',
			mime: 'image/webp',
			width: 1600,
			height: 1000
		});
		expect(await readdir(join(srv.dataDir, 'uploads'))).not.toContain(photoIds.mediaId);

		// The final answer got lost: a HEAD, a repeated PATCH or a repeated create all say "complete".
		const late = await head('token-ana', location);
		expect([late.status, late.headers.get('upload-offset'), late.headers.get('upload-length')]).toEqual([200, String(photo.length), String(photo.length)]);
		const repeated = await patch('token-ana', location, 0, photo.subarray(0, 256 * 1024));
		expect([repeated.status, repeated.headers.get('upload-offset')]).toEqual([204, String(photo.length)]);
		expect((await create('token-ana', { ...photoIds, length: photo.length })).status).toBe(201);
	});

	it('records the sha256 of the upload as received across resumed pieces, the proof of which bytes the photo came from', async () => {
		const photoIds = ids();
		const created = await create('token-ana', { ...photoIds, length: photo.length, filetype: 'image/jpeg' });
		const location = created.headers.get('location')!;
		const half = Math.floor(photo.length / 2);
		expect((await patch('token-ana', location, 0, photo.subarray(0, half))).status).toBe(204);
		expect((await patch('token-ana', location, half, photo.subarray(half))).status).toBe(204);
		expect(srv.media.get(photoIds.mediaId)?.sha256).toBe(createHash('sha256').update(photo).digest('hex'));
	});

	it('answers the final PATCH of a file that is not a photo with media_not_image, and keeps answering it', async () => {
		const photoIds = ids();
		const text = Buffer.from('hello, this is a shopping list, not a photo\n'.repeat(200));
		const { location, res } = await uploadWhole('token-ana', photoIds, text);
		expect(res.status).toBe(415);
		expect(res.headers.get('content-type')).toMatch(/application\/json/);
		expect(await res.json()).toEqual({ error: { code: 'media_not_image', message: expect.any(String) } });
		expect(srv.media.get(photoIds.mediaId)).toMatchObject({ status: 'rejected', error: 'media_not_image' });
		expect(await readdir(join(srv.dataDir, 'uploads'))).not.toContain(photoIds.mediaId);

		expect((await head('token-ana', location)).status).toBe(415);
		const recreate = await create('token-ana', { ...photoIds, length: text.length });
		expect(await errorCode(recreate)).toBe('media_not_image');
	});

	it('finishes on the next HEAD a photo whose processing was interrupted', async () => {
		const photoIds = ids();
		srv.failNextSaves.count = 1;
		const stderr = vi.spyOn(console, 'error');
		const { location, res } = await uploadWhole('token-ana', photoIds, photo);
		expect(res.status).toBe(500);
		expect(await errorCode(res)).toBe('server_error');
		// In the server's structured log, not printed on stderr.
		expect(srv.logs).toEqual([expect.objectContaining({ level: 'error', msg: 'photo upload failed' })]);
		expect(stderr).not.toHaveBeenCalled();
		stderr.mockRestore();
		expect(srv.media.has(photoIds.mediaId)).toBe(false);

		const retry = await head('token-ana', location);
		expect([retry.status, retry.headers.get('upload-offset')]).toEqual([200, String(photo.length)]);
		expect(srv.media.get(photoIds.mediaId)?.status).toBe('ready');
	});

	it('lets only the report\'s author attach photos to a report the server already has', async () => {
		const photoIds = ids();
		srv.reports.set(photoIds.reportId, {
			id: photoIds.reportId,
			tenantId: TENANT,
			authorId: 'device:binh',
			photoIds: [photoIds.mediaId]
		} as Report);
		expect(await errorCode(await create('token-ana', { ...photoIds, length: 100 }))).toBe('not_owner');
		expect((await create('token-binh', { ...photoIds, length: 100 })).status).toBe(201);
		const unlisted = await create('token-binh', { mediaId: uuidv7(), reportId: photoIds.reportId, length: 100 });
		expect(await errorCode(unlisted)).toBe('report_immutable');
	});
});

describe('photo downloads', () => {
	it('serves the stored photo and its thumbnail to who may read the report, cached for good', async () => {
		const photoIds = ids();
		expect((await uploadWhole('token-ana', photoIds, photo)).res.status).toBe(204);
		const url = `${srv.origin}/api/media/${photoIds.mediaId}`;

		const own = await fetch(url, { headers: { Authorization: 'Bearer token-ana' } });
		expect(own.status).toBe(200);
		expect(own.headers.get('content-type')).toBe('image/webp');
		expect(own.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
		const body = Buffer.from(await own.arrayBuffer());
		expect(body.length).toBe((await stat(join(srv.dataDir, 'media', `${photoIds.mediaId}.webp`))).size);
		expect((await sharp(body).metadata()).width).toBe(1600);

		const thumb = await fetch(`${url}/thumb?token=token-handler`);
		expect(thumb.status).toBe(200);
		expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBe(320);

		const other = await fetch(url, { headers: { Authorization: 'Bearer token-binh' } });
		expect([other.status, await errorCode(other)]).toEqual([403, 'forbidden_scope']);
		expect((await fetch(url)).status).toBe(401);
		const unknown = await fetch(`${srv.origin}/api/media/${uuidv7()}?token=token-ana`);
		expect([unknown.status, await errorCode(unknown)]).toEqual([404, 'not_found']);
	});
});
