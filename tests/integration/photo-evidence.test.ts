/**
 * A resident's evidence photo belongs to their report: a stranger who learns its id (report photo
 * ids are public as soon as the report syncs, before its photos) cannot upload under it, cannot list
 * it in a report of their own, and cannot make handlers or the public see another image under it.
 */
import sharp from 'sharp';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { PhotoUploadError, uploadPhoto } from '$lib/sync/photo-uploader';
import { call, fileReport, makeEvent, makeReport, push, signIn, startServer, type DeviceSession, type Session, type TestServer } from './harness';

let srv: TestServer;
let victim: DeviceSession;
let stranger: DeviceSession;
let lamVien: Session;
let victimPhoto: Blob;
let strangerPhoto: Blob;

/** Two photos told apart by their size once re-encoded: the victim's 1200×900, the stranger's 640×480. */
async function jpeg(width: number, height: number, background: string): Promise<Blob> {
	const buf = await sharp({ create: { width, height, channels: 3, background } }).jpeg({ quality: 80 }).toBuffer();
	return new Blob([new Uint8Array(buf)], { type: 'image/jpeg' });
}

beforeAll(async () => {
	srv = await startServer();
	[victim, stranger, lamVien] = await signIn(srv.url, 'device', 'device', 'ubnd-lam-vien');
	victimPhoto = await jpeg(1200, 900, '#2a6');
	strangerPhoto = await jpeg(640, 480, '#c22');
});
afterAll(() => srv?.close());

function upload(s: Session, photo: { id: string; reportId: string; eventId?: string }, blob: Blob, base = srv.url) {
	return uploadPhoto({ ...photo, blob, mime: 'image/jpeg' }, { endpoint: `${base}/api/media/uploads`, getToken: async () => s.token });
}
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as PhotoUploadError);

async function widthOf(res: Response): Promise<number | undefined> {
	return (await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width;
}

describe('a stranger who knows a photo id', () => {
	it('cannot replace a resident’s evidence photo: the resident’s own photo is stored and shown to handlers and the public', async () => {
		const photoId = uuidv7();
		// The resident's outbox pushes the report first: its photo ids are known from now on.
		const report = await fileReport(srv.url, victim, { photoIds: [photoId] });

		// The stranger uploads under that id, naming a report the server has not seen…
		const strangersReport = makeReport(stranger.user.sub, { photoIds: [photoId] });
		const strangerUpload = await failure(upload(stranger, { id: photoId, reportId: strangersReport.id }, strangerPhoto));
		// …and pushes that report, listing the resident's photo id.
		const pushed = await push(srv.url, stranger.token, 'reports', [strangersReport]);

		// The resident's own upload goes through.
		await upload(victim, { id: photoId, reportId: report.id }, victimPhoto);

		expect(strangerUpload).toMatchObject({ code: 'media_unknown_report', retryable: true });
		expect(pushed.body.rejected).toEqual([expect.objectContaining({ id: strangersReport.id, code: 'photo_taken' })]);
		const handlerSees = await fetch(`${srv.url}/api/media/${photoId}`, { headers: { authorization: `Bearer ${lamVien.token}` } });
		expect(handlerSees.status).toBe(200);
		expect(await widthOf(handlerSees)).toBe(1200);
		const publicSees = await fetch(`${srv.url}/api/public/media/${photoId}`);
		expect(publicSees.status).toBe(200);
		expect(await widthOf(publicSees)).toBe(1200);
	});

	it('cannot take it first either: a photo uploaded for the stranger’s own report cannot be listed by another report', async () => {
		const photoId = uuidv7();
		const own = await fileReport(srv.url, stranger, { photoIds: [photoId] });
		await upload(stranger, { id: photoId, reportId: own.id }, strangerPhoto);

		// Someone else's report listing the same id is refused, the photo stays the stranger's report's.
		const other = makeReport(victim.user.sub, { photoIds: [photoId] });
		const pushed = await push(srv.url, victim.token, 'reports', [other]);
		expect(pushed.body.rejected).toEqual([expect.objectContaining({ id: other.id, code: 'photo_taken' })]);
		// A retry of the stranger's own report is not refused over its own photo.
		const retry = await push(srv.url, stranger.token, 'reports', [makeReport(stranger.user.sub, { id: own.id, photoIds: [photoId], createdAt: own.createdAt })]);
		expect(retry.body.rejected.filter((r) => r.code === 'photo_taken')).toEqual([]);
	});

	it('cannot list a photo of a handler’s step in a report or another step', async () => {
		const report = await fileReport(srv.url, victim);
		const photoId = uuidv7();
		const step = makeEvent(lamVien, report, 'progress', { note: 'Đang xử lý', photoIds: [photoId] });
		// The handler's photo reaches the server before the step (offline queue): the id is reserved for that step.
		await upload(lamVien, { id: photoId, reportId: report.id, eventId: step.id }, victimPhoto);

		const forged = makeReport(stranger.user.sub, { photoIds: [photoId] });
		expect((await push(srv.url, stranger.token, 'reports', [forged])).body.rejected).toEqual([
			expect.objectContaining({ id: forged.id, code: 'photo_taken' })
		]);
		const otherStep = makeEvent(lamVien, report, 'progress', { note: 'Bước khác', photoIds: [photoId] });
		expect((await push(srv.url, lamVien.token, 'events', [otherStep])).body.rejected).toEqual([
			expect.objectContaining({ id: otherStep.id, code: 'photo_taken' })
		]);
		// The step itself, when it comes, is accepted with its photo.
		expect((await push(srv.url, lamVien.token, 'events', [step])).body.rejected).toEqual([]);
		expect((await call(`${srv.url}/api/public/media/${photoId}`)).status).toBe(200);
	});
});

describe('a report stored before photo ids were claimed (a database from an older version)', () => {
	it('gets its photo ids claimed at start: a stranger cannot take them, the resident’s upload goes through', async () => {
		const old = await startServer();
		const [resident, other] = await signIn(old.url, 'device', 'device');
		const photoId = uuidv7();
		const report = await fileReport(old.url, resident, { photoIds: [photoId] });
		// What an older version left: the report without any claim (and no record of a backfill).
		const claims = old.handle.storage.store<{ id: string }>('photo-claims');
		const held = await claims.getMany([photoId, 'backfill-v1']);
		await claims.bulkPut([...held.values()].map((v) => ({ doc: { ...v.doc, _deleted: true }, rev: v.rev })));
		expect(await claims.get(photoId)).toBeNull();
		await old.handle.close();

		const again = await startServer({ dataDir: old.dataDir, couch: old.couch });
		try {
			const forged = makeReport(other.user.sub, { photoIds: [photoId] });
			const pushed = await push(again.url, other.token, 'reports', [forged]);
			expect(pushed.body.rejected).toEqual([expect.objectContaining({ id: forged.id, code: 'photo_taken' })]);
			await upload(resident, { id: photoId, reportId: report.id }, victimPhoto, again.url);
			const publicSees = await fetch(`${again.url}/api/public/media/${photoId}`);
			expect(publicSees.status).toBe(200);
			expect(await widthOf(publicSees)).toBe(1200);
		} finally {
			await again.close();
			await old.couch?.close();
			await rm(old.dataDir, { recursive: true, force: true });
		}
	});
});
