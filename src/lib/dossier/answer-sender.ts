import { uuidv7 } from '../domain/uuid';
import { storageName } from '../pwa/namespace';
import { ApiFailure, apiFetch, errorCodeOf, resolveOrigin } from '../sync/api';
import { localDb, type MyApplicationRow } from '../sync/local-db';
import { uploadPhoto } from '../sync/photo-uploader';
import { getDeviceToken, withDeviceToken } from '../sync/session';
import type { ApplicationView } from './application-view';
import type { PreparedPage } from './application-files';

/**
 * The resident's answers to a request for documents, sent: the answer posted first (the server then
 * expects the new file ids), then its pages one by one with the tus client; a cut resumes on the next
 * try. Its own module so /my opens without the tus client (it loads this when pages are to go); the
 * outbox flush imports it as it is — a service worker cannot load code later (no import()).
 */

/**
 * Answers a request for documents with pages for one document: kept on the device first, so a cut
 * loses nothing, then sent (`sendPendingAnswer`). Returns how many pages are still to upload.
 */
export async function answerApplication(
	id: string,
	docIndex: number,
	pages: PreparedPage[],
	note: string | undefined,
	opts: { origin?: string; onProgress?: (sent: number, total: number) => void } = {}
): Promise<number> {
	const files = pages.map((p) => ({ id: uuidv7(), blob: p.blob, mime: p.mime }));
	const pendingAnswer: NonNullable<MyApplicationRow['pendingAnswer']> = {
		answered: false,
		documents: [{ index: docIndex, fileIds: files.map((f) => f.id) }],
		...(note?.trim() ? { note: note.trim() } : {}),
		files
	};
	await localDb.myApplications.update(id, { pendingAnswer });
	return sendPendingAnswer(id, opts);
}

/**
 * Posts the kept answer if the server has not got it, then uploads its pages not on the server yet.
 * A refusal of the answer itself (the office moved on) drops it and throws; a page that fails stays
 * for the next try. Returns the pages still to upload.
 */
export async function sendPendingAnswer(id: string, opts: { origin?: string; onProgress?: (sent: number, total: number) => void } = {}): Promise<number> {
	// /my and the outbox flush (page or service worker) may both try: one at a time, the second finds less to do.
	return exclusive(`${ANSWER_LOCK}:${id}`, () => sendAnswerNow(id, opts));
}

const ANSWER_LOCK = storageName('cau-noi-answer');

function exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
	const locks = (globalThis.navigator as Navigator | undefined)?.locks;
	return locks?.request ? (locks.request(name, fn) as Promise<T>) : fn();
}

/**
 * Sends every kept answer, for the outbox flush (the page's triggers and Background Sync), so the
 * pages go even if /my is never opened again. Stops at the first network failure; a refused answer
 * is dropped by `sendPendingAnswer` and the next goes on. Returns how many answers still wait.
 */
export async function flushPendingAnswers(opts: { origin?: string; signal?: AbortSignal } = {}): Promise<number> {
	for (const row of await localDb.myApplications.filter((r) => !!r.pendingAnswer).toArray()) {
		if (opts.signal?.aborted) break;
		try {
			await sendPendingAnswer(row.id, { origin: opts.origin });
		} catch (e) {
			if (errorCodeOf(e) === 'network') break;
		}
	}
	return localDb.myApplications.filter((r) => !!r.pendingAnswer).count();
}

async function sendAnswerNow(id: string, opts: { origin?: string; onProgress?: (sent: number, total: number) => void }): Promise<number> {
	const origin = resolveOrigin(opts.origin);
	const row = await localDb.myApplications.get(id);
	const pending = row?.pendingAnswer;
	if (!pending) return 0;
	if (!pending.answered) {
		try {
			const view = await withDeviceToken(origin, (token) =>
				apiFetch<ApplicationView>(`${origin}/api/dossier-applications/${encodeURIComponent(id)}/answer`, {
					token,
					body: { documents: pending.documents, ...(pending.note ? { note: pending.note } : {}) }
				})
			);
			pending.answered = true;
			await localDb.myApplications.update(id, { pendingAnswer: pending, view, updatedAt: view.updatedAt, seenUpdatedAt: view.updatedAt, fetchedAt: Date.now() });
		} catch (e) {
			if (e instanceof ApiFailure && !e.retryable) await localDb.myApplications.update(id, { pendingAnswer: undefined });
			throw e;
		}
	}
	const total = pending.files.length;
	let sent = 0;
	opts.onProgress?.(sent, total);
	for (const file of [...pending.files]) {
		await uploadPhoto(
			{ id: file.id, blob: file.blob, mime: file.mime, metadata: { fileId: file.id, applicationId: id, filetype: file.mime } },
			{
				endpoint: `${origin}/api/dossier-files/uploads`,
				getToken: (() => {
					let calls = 0;
					return () => getDeviceToken({ origin, forceRefresh: calls++ > 0 });
				})(),
				previousUrl: file.uploadUrl ?? null,
				onUrl: async (url) => {
					file.uploadUrl = url;
					await localDb.myApplications.update(id, { pendingAnswer: pending });
				}
			}
		);
		// On the server now: the blob leaves the phone's storage.
		pending.files = pending.files.filter((f) => f.id !== file.id);
		await localDb.myApplications.update(id, { pendingAnswer: pending.files.length ? pending : undefined });
		opts.onProgress?.(++sent, total);
	}
	return pending.files.length;
}
