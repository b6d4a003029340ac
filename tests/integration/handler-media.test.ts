/**
 * Photos of handling steps (progress, result) against the real sync-server: who may upload a photo
 * for a report they did not file, what the stored media document says, and who receives it.
 */
import 'fake-indexeddb/auto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { Report } from '$lib/domain/report';
import { startStepPhotoQueue, unsentStepPhotos } from '$lib/handler/event-photos.service';
import { localDb, type PhotoRow } from '$lib/sync/local-db';
import { PhotoUploadError, uploadPhoto } from '$lib/sync/photo-uploader';
import { act, call, fileReport, makeEvent, pulledDoc, pullAll, push, signIn, startServer, type DeviceSession, type Session, type TestServer } from './harness';

const FIXTURE = join(import.meta.dirname, '../fixtures/photos/path.jpg');

let srv: TestServer;
let ana: DeviceSession; // the resident who files the report
let binh: DeviceSession; // another resident
let lamVien: Session; // handler of the ward committee the report is routed to
let police: Session; // handler of a unit the report is not assigned to
let leader: Session;
let photoBlob: Blob;

beforeAll(async () => {
	srv = await startServer();
	[ana, binh, lamVien, police, leader] = await signIn(srv.url, 'device', 'device', 'ubnd-lam-vien', 'police', 'lanhdao');
	// A photo as the device prepares it: 1600 px, re-encoded.
	const buf = await sharp(await readFile(FIXTURE)).resize(1600, 1200, { fit: 'cover' }).jpeg({ quality: 70 }).toBuffer();
	photoBlob = new Blob([new Uint8Array(buf)], { type: 'image/jpeg' });
});
afterAll(() => srv?.close());

/** A report of Ana's: routed to the ward committee, not to the police. */
async function fileRouted(): Promise<Report> {
	const report = await fileReport(srv.url, ana);
	expect(report.assignedUnitIds).toContain('ubnd-lam-vien');
	expect(report.assignedUnitIds).not.toContain('police');
	return report;
}

function upload(token: string, meta: { id: string; reportId: string; eventId?: string }) {
	return uploadPhoto(
		{ ...meta, blob: photoBlob, mime: 'image/jpeg' },
		{ endpoint: `${srv.url}/api/media/uploads`, getToken: async () => token }
	);
}

async function uploadError(token: string, meta: { id: string; reportId: string; eventId?: string }) {
	const err = await upload(token, meta).then(
		() => null,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(PhotoUploadError);
	return err as PhotoUploadError;
}

const mediaAs = (s: Session, id: string) => pulledDoc(srv.url, s, 'media', id);

describe('photos of handling steps', () => {
	it('a handler of an assigned unit uploads the result photo; the media doc carries the step and reaches the handler and the reporter', async () => {
		const report = await fileRouted();
		const photoId = uuidv7();
		const resolved = makeEvent(lamVien, report, 'resolved', { note: 'Đã thu gom rác', photoIds: [photoId] });
		// Offline the step and its photo queue up together; here the photo even arrives first.
		await upload(lamVien.token, { id: photoId, reportId: report.id, eventId: resolved.id });
		const pushed = await push(srv.url, lamVien.token, 'events', [resolved]);
		expect(pushed.body.rejected).toEqual([]);

		const mine = await mediaAs(lamVien, photoId);
		expect(mine).toMatchObject({ id: photoId, reportId: report.id, eventId: resolved.id, status: 'ready', authorId: lamVien.user.sub });
		// The reporter sees the result photo of their report too.
		expect(await mediaAs(ana, photoId)).toMatchObject({ eventId: resolved.id, status: 'ready' });
		// …and a unit the report is not assigned to does not.
		expect(await mediaAs(police, photoId)).toBeUndefined();

		const got = await fetch(`${srv.url}/api/media/${photoId}/thumb`, { headers: { authorization: `Bearer ${lamVien.token}` } });
		expect(got.status).toBe(200);
		expect(got.headers.get('content-type')).toBe('image/webp');
	});

	it('a handler of another unit is refused, and nothing is stored', async () => {
		const report = await fileRouted();
		const photoId = uuidv7();

		const err = await uploadError(police.token, { id: photoId, reportId: report.id, eventId: uuidv7() });

		expect([err.status, err.code, err.retryable]).toEqual([403, 'forbidden_scope', false]);
		expect(await mediaAs(leader, photoId)).toBeUndefined();
		expect((await call(`${srv.url}/api/media/${photoId}`, { token: leader.token })).status).toBe(404);
	});

	it('staff upload photos of their own steps only: no step named, or a step that is someone else’s or does not list the photo', async () => {
		const report = await fileRouted();

		const noStep = await uploadError(lamVien.token, { id: uuidv7(), reportId: report.id });
		expect([noStep.status, noStep.code]).toEqual([403, 'not_owner']);

		const theirs = await act(srv.url, leader, report, 'directive', { note: 'Xử lý trong ngày' });
		const notMine = await uploadError(lamVien.token, { id: uuidv7(), reportId: report.id, eventId: theirs.id });
		expect([notMine.status, notMine.code]).toEqual([403, 'not_owner']);

		const progress = await act(srv.url, lamVien, report, 'progress', { note: 'Đang xử lý', photoIds: [uuidv7()] });
		const unlisted = await uploadError(lamVien.token, { id: uuidv7(), reportId: report.id, eventId: progress.id });
		expect([unlisted.status, unlisted.code]).toEqual([422, 'report_immutable']);
	});

	it('a leader of the tenant may upload a step photo on any report', async () => {
		const report = await fileRouted();
		const photoId = uuidv7();
		const progress = await act(srv.url, leader, report, 'progress', { note: 'Lãnh đạo kiểm tra hiện trường', photoIds: [photoId] });

		await upload(leader.token, { id: photoId, reportId: report.id, eventId: progress.id });

		expect(await mediaAs(lamVien, photoId)).toMatchObject({ eventId: progress.id, status: 'ready' });
	});

	it('residents still upload only for their own reports', async () => {
		const report = await fileRouted();

		const err = await uploadError(binh.token, { id: uuidv7(), reportId: report.id, eventId: uuidv7() });
		expect([err.status, err.code]).toEqual([403, 'not_owner']);
		// A photo the report does not list, without a step: a sent report gets no new photos.
		const late = await uploadError(ana.token, { id: uuidv7(), reportId: report.id });
		expect([late.status, late.code]).toEqual([422, 'report_immutable']);
	});
});

describe('the device’s queue of step photos', () => {
	function row(reportId: string, eventId: string): PhotoRow {
		return {
			id: uuidv7(),
			reportId,
			eventId,
			blob: photoBlob,
			mime: 'image/jpeg',
			width: 1600,
			height: 1200,
			bytes: photoBlob.size,
			sent: 0,
			status: 'pending',
			createdAt: Date.now()
		};
	}

	it('uploads the photos of appended steps, leaves those of a form still open, and frees the device of what is stored', async () => {
		const report = await fileRouted();
		const appended = makeEvent(lamVien, report, 'progress', { note: 'Đang xử lý' });
		const draftStep = uuidv7();
		const sent = [row(report.id, appended.id), row(report.id, appended.id)];
		const waiting = row(report.id, draftStep);
		await localDb.photos.bulkPut([...sent, waiting]);
		const deps = {
			origin: srv.url,
			getToken: async () => lamVien.token,
			appended: async (ids: string[]) => new Set(ids.filter((id) => id === appended.id)),
			refused: async () => new Set<string>()
		};
		expect(await unsentStepPhotos(deps)).toBe(2);

		const queue = startStepPhotoQueue(deps);
		await queue.idle();
		queue.stop();

		const media = (await pullAll(srv.url, lamVien.token, 'media')).docs;
		for (const p of sent) {
			expect(media.find((m) => m.id === p.id)).toMatchObject({ eventId: appended.id, status: 'ready' });
			expect(await localDb.photos.get(p.id)).toBeUndefined();
		}
		expect(media.find((m) => m.id === waiting.id)).toBeUndefined();
		expect(await localDb.photos.get(waiting.id)).toMatchObject({ status: 'pending' });
		expect(await unsentStepPhotos(deps)).toBe(0);
		await localDb.photos.clear();
	});

	it('marks a photo the server refuses for good, and keeps one the network failed for the next try', async () => {
		const report = await fileRouted();
		const eventId = uuidv7();
		const refusedRow = row(report.id, eventId);
		await localDb.photos.put(refusedRow);
		// A handler of a unit the report is not assigned to: refused, not retried.
		const refusedQueue = startStepPhotoQueue({ origin: srv.url, getToken: async () => police.token, appended: async (ids) => new Set(ids), refused: async () => new Set() });
		await refusedQueue.idle();
		refusedQueue.stop();
		expect(await localDb.photos.get(refusedRow.id)).toMatchObject({ status: 'rejected', error: 'forbidden_scope' });

		const offlineRow = row(report.id, eventId);
		await localDb.photos.put(offlineRow);
		const offline = startStepPhotoQueue(
			{ origin: 'http://127.0.0.1:9', getToken: async () => lamVien.token, appended: async (ids) => new Set(ids), refused: async () => new Set() },
			{ retryMs: 60_000 }
		);
		await offline.idle();
		offline.stop();
		expect(await localDb.photos.get(offlineRow.id)).toMatchObject({ status: 'pending' });
		await localDb.photos.clear();
	});
});
