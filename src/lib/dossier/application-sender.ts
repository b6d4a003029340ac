import type { ErrorCode } from '../domain/errors';
import { storageName } from '../pwa/namespace';
import { ApiFailure, apiFetch, errorCodeOf, resolveOrigin } from '../sync/api';
import { localDb, type ApplicationFileRow, type ApplicationRow, type ApplicationState } from '../sync/local-db';
import { PhotoUploadError, uploadPhoto } from '../sync/photo-uploader';
import { getDeviceToken, withDeviceToken } from '../sync/session';
import { awaitsApplicationSender, filesOf, toApplication } from './application-store';

/**
 * Sends queued online applications: the application first (`POST /api/dossier-applications`, the
 * same id again after a cut is answered 200), then each page with tus against it
 * (`/api/dossier-files/uploads`), resuming a half-sent page from its kept upload URL. Fetch and
 * Dexie only, so the page and the service worker (Background Sync, through flushOutbox) run the
 * same code; one sender at a time through the Web Locks API.
 */

const LOCK = storageName('cau-noi-applications');
/** After the n-th failed try: wait this long before the next (the 'online' event skips it). */
const BACKOFF_MS = [5_000, 15_000, 60_000, 5 * 60_000, 15 * 60_000];
/** The server refused the content: sending it again cannot help; the resident must act. */
const REFUSALS = new Set<ErrorCode>([
	'procedure_not_online',
	'form_invalid',
	'document_missing',
	'application_state',
	'validation_failed',
	'photo_taken',
	'not_found',
	'forbidden_scope',
	'file_not_document',
	'media_too_large',
	'media_not_image',
	'media_too_many_pixels'
]);

export interface ApplicationFlushResult {
	delivered: number;
	waiting: number;
	needsAttention: number;
}

function exclusive<T>(fn: () => Promise<T>): Promise<T> {
	const locks = (globalThis.navigator as Navigator | undefined)?.locks;
	return locks?.request ? (locks.request(LOCK, fn) as Promise<T>) : fn();
}

/** Writes the row's new state, unless the resident removed it meanwhile. */
async function save(id: string, patch: Partial<ApplicationRow>): Promise<boolean> {
	return (await localDb.applications.update(id, { ...patch, updatedAt: Date.now() })) > 0;
}

/** Pages sent and bytes sent per document, from the file rows. */
function progressOf(files: ApplicationFileRow[]): NonNullable<ApplicationRow['progress']> {
	const out: NonNullable<ApplicationRow['progress']> = {};
	for (const f of files) {
		const p = (out[f.docIndex] ??= { pages: 0, sentPages: 0, bytes: 0, sentBytes: 0 });
		p.pages++;
		p.bytes += f.bytes;
		if (f.status === 'done') {
			p.sentPages++;
			p.sentBytes += f.bytes;
		} else p.sentBytes += Math.min(f.sent, f.bytes);
	}
	return out;
}

const filesState = (files: ApplicationFileRow[]): ApplicationState => ({
	kind: 'files',
	done: files.filter((f) => f.status === 'done').length,
	total: files.length
});

async function pushApplication(row: ApplicationRow, files: ApplicationFileRow[], origin: string): Promise<void> {
	const body = toApplication(row, files);
	await withDeviceToken(origin, (token) => apiFetch(`${origin}/api/dossier-applications`, { token, body }));
}

async function sendFile(row: ApplicationRow, file: ApplicationFileRow, files: ApplicationFileRow[], origin: string, signal?: AbortSignal): Promise<void> {
	if (!file.blob) throw new PhotoUploadError('file_not_document', false, 'the page is no longer on this device');
	file.status = 'uploading';
	await localDb.applicationFiles.update(file.id, { status: 'uploading' });
	let last = 0;
	let calls = 0;
	await uploadPhoto(
		{ id: file.id, blob: file.blob, mime: file.mime, metadata: { fileId: file.id, applicationId: row.id, filetype: file.mime } },
		{
			endpoint: `${origin}/api/dossier-files/uploads`,
			getToken: () => getDeviceToken({ origin, forceRefresh: calls++ > 0 }),
			previousUrl: file.uploadUrl ?? null,
			onUrl: async (url) => {
				file.uploadUrl = url;
				await localDb.applicationFiles.update(file.id, { uploadUrl: url });
			},
			onProgress: (sent, total) => {
				// At most twice a second: IndexedDB writes are not free on a cheap phone.
				if (Date.now() - last < 500 && sent < total) return;
				last = Date.now();
				file.sent = sent;
				void localDb.applicationFiles
					.update(file.id, { sent })
					.then(() => save(row.id, { progress: progressOf(files) }))
					.catch(() => undefined);
			},
			signal
		}
	);
	file.status = 'done';
	file.sent = file.bytes;
	// The server has it now: drop the blob to free the phone's storage.
	await localDb.applicationFiles.update(file.id, { status: 'done', sent: file.bytes, blob: undefined });
}

/** Sends one row as far as it goes; returns its new state. */
async function sendRow(row: ApplicationRow, origin: string, signal?: AbortSignal): Promise<ApplicationState> {
	const files = await filesOf(row.id);
	try {
		if (!row.pushed) {
			await save(row.id, { state: { kind: 'sending' }, progress: progressOf(files) });
			await pushApplication(row, files, origin);
			await save(row.id, { pushed: true });
		}
		for (const file of files) {
			if (file.status === 'done') continue;
			await save(row.id, { state: filesState(files), progress: progressOf(files) });
			await sendFile(row, file, files, origin, signal);
		}
		const state: ApplicationState = { kind: 'delivered' };
		await save(row.id, { state, progress: progressOf(files), error: undefined, attempts: 0, nextAttemptAt: undefined });
		return state;
	} catch (e) {
		if (signal?.aborted) throw e;
		const code = errorCodeOf(e);
		const details = (e instanceof ApiFailure ? e.details : undefined) as { fields?: string[]; indexes?: number[] } | undefined;
		const error = { code, message: e instanceof Error ? e.message : String(e), ...(details?.fields ? { fields: details.fields } : {}), ...(details?.indexes ? { indexes: details.indexes } : {}) };
		const uploading = files.find((f) => f.status === 'uploading');
		const refused = e instanceof PhotoUploadError ? !e.retryable && REFUSALS.has(code) : REFUSALS.has(code);
		if (uploading) {
			uploading.status = refused ? 'rejected' : 'pending';
			await localDb.applicationFiles.update(uploading.id, refused ? { status: 'rejected', error: code } : { status: 'pending' });
		}
		if (refused) {
			const state: ApplicationState = { kind: 'needs_attention' };
			await save(row.id, { state, error, progress: progressOf(files) });
			return state;
		}
		const attempts = row.attempts + 1;
		const state: ApplicationState = { kind: 'waiting' };
		await save(row.id, { state, error, attempts, nextAttemptAt: Date.now() + BACKOFF_MS[Math.min(attempts, BACKOFF_MS.length) - 1], progress: progressOf(files) });
		return state;
	}
}

/** Sends every due application, oldest first. Stops at the first network failure (the next would fail too). */
export async function flushApplications(opts: { origin?: string; force?: boolean; signal?: AbortSignal } = {}): Promise<ApplicationFlushResult> {
	const origin = resolveOrigin(opts.origin);
	let delivered = 0;
	await exclusive(async () => {
		const tried = new Set<string>();
		for (;;) {
			if (opts.signal?.aborted) break;
			const now = Date.now();
			const rows = (await localDb.applications.filter(awaitsApplicationSender).toArray()).sort((a, b) => a.createdAt - b.createdAt);
			const next = rows.find((r) => !tried.has(r.id) && (opts.force || (r.nextAttemptAt ?? 0) <= now));
			if (!next) break;
			tried.add(next.id);
			const after = await sendRow(next, origin, opts.signal);
			if (after.kind === 'delivered') delivered++;
			if (after.kind === 'waiting' && (await localDb.applications.get(next.id))?.error?.code === 'network') break;
		}
	});
	const all = await localDb.applications.toArray();
	return {
		delivered,
		waiting: all.filter(awaitsApplicationSender).length,
		needsAttention: all.filter((r) => r.state.kind === 'needs_attention').length
	};
}

/** When the next waiting application is due (ms since epoch), for the page's retry timer. */
export async function nextApplicationAttempt(): Promise<number | undefined> {
	const rows = await localDb.applications.filter(awaitsApplicationSender).toArray();
	const times = rows.map((r) => r.nextAttemptAt ?? Date.now());
	return times.length ? Math.min(...times) : undefined;
}
