import { liveQuery } from 'dexie';
import type { ErrorCode } from '../domain/errors';
import type { PhotoEncoding } from '../domain/tenant';
import { storageName } from '../pwa/namespace';
import { errorCodeOf, resolveOrigin } from '../sync/api';
import { localDb, type PhotoRow } from '../sync/local-db';

/**
 * Photos of handling steps (progress, result). Prepared on the device like a resident's (resized,
 * EXIF stripped) and kept in the Dexie `photos` table under the step's id while the form is open;
 * once the step is appended they are uploaded with tus, one by one, resuming a half-sent photo from
 * its saved upload URL, whenever the device is online: at start, after login, on `online`, and after
 * each new step. A stored photo's row leaves the device; the timeline then shows the server's copy.
 */

export async function prepareStepPhoto(
	file: Blob,
	target: { reportId: string; eventId: string },
	encoding?: PhotoEncoding
): Promise<PhotoRow> {
	const { preparePhotoRow } = await import('../sync/photo-pipeline');
	const row = await preparePhotoRow(file, target, encoding);
	await localDb.photos.put(row);
	return row;
}

export async function removeStepPhoto(id: string): Promise<void> {
	await localDb.photos.delete(id);
}

/** Step photos of a report still on the device (in a form, waiting, or refused), live. */
export function watchStepPhotos(reportId: string, cb: (rows: PhotoRow[]) => void): () => void {
	const sub = liveQuery(() =>
		localDb.photos
			.where('reportId')
			.equals(reportId)
			.filter((p) => !!p.eventId)
			.sortBy('createdAt')
	).subscribe({ next: cb, error: () => cb([]) });
	return () => sub.unsubscribe();
}

/** Rows of step photos that still have to reach the server (drafts' photos included). */
async function waitingRows(): Promise<PhotoRow[]> {
	const rows = await localDb.photos.where('eventId').above('').toArray();
	return rows.filter((r) => r.status === 'pending' || r.status === 'uploading').sort((a, b) => a.createdAt - b.createdAt);
}

export interface StepPhotoDeps {
	origin?: string;
	/** The staff token; throws when the session is over. */
	getToken(): Promise<string>;
	/** Which of these steps have been appended (a photo of a form still open waits for it). */
	appended(eventIds: string[]): Promise<Set<string>>;
	/** Steps the server refused: their photos are not sent. */
	refused(): Promise<Set<string>>;
	/**
	 * Why `stop()` ends an upload in flight (its abort reason, for logs): the queue serves a handler's
	 * inbox and a resident's /my, so the default blames no one.
	 */
	stopReason?: string;
}

/** Photos of appended steps that have not reached the server: what a logout would lose. */
export async function unsentStepPhotos(deps: Pick<StepPhotoDeps, 'appended' | 'refused'>): Promise<number> {
	const rows = await waitingRows();
	if (!rows.length) return 0;
	const [appended, refused] = await Promise.all([deps.appended([...new Set(rows.map((r) => r.eventId!))]), deps.refused()]);
	return rows.filter((r) => appended.has(r.eventId!) && !refused.has(r.eventId!)).length;
}

/** The server refused the photo itself, or who sends it: sending it again cannot help. */
const FINAL = new Set<ErrorCode>([
	'media_not_image',
	'media_too_large',
	'media_too_many_pixels',
	'not_owner',
	'forbidden_scope',
	'report_immutable',
	'validation_failed',
	'photo_taken'
]);
/** The session is over: wait for the next login. */
const AUTH = new Set<ErrorCode>(['unauthenticated', 'token_expired', 'token_invalid', 'bad_credentials']);

export interface StepPhotoQueue {
	/** Look for photos to send now (a new step, the network back). */
	kick(): void;
	/** Resolves when the current pass (if any) is over. */
	idle(): Promise<void>;
	stop(): void;
}

const STEP_PHOTO_LOCK = storageName('cau-noi-step-photos');
const RETRY_MS = 30_000;

export function startStepPhotoQueue(deps: StepPhotoDeps, opts: { retryMs?: number } = {}): StepPhotoQueue {
	const origin = resolveOrigin(deps.origin);
	let stopped = false;
	let running: Promise<void> | null = null;
	let again = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const stopper = new AbortController();

	/** One pass over the waiting photos; 'retry' when the network or the server failed. */
	async function pass(): Promise<'done' | 'retry' | 'auth'> {
		const rows = await waitingRows();
		if (!rows.length) return 'done';
		const [appended, refused] = await Promise.all([deps.appended([...new Set(rows.map((r) => r.eventId!))]), deps.refused()]);
		const { uploadPhoto } = await import('../sync/photo-uploader');
		for (const row of rows) {
			if (stopped) return 'done';
			if (!appended.has(row.eventId!) || refused.has(row.eventId!)) continue;
			if (!row.blob) {
				await localDb.photos.update(row.id, { status: 'rejected', error: 'media_not_image' });
				continue;
			}
			await localDb.photos.update(row.id, { status: 'uploading' });
			try {
				await uploadPhoto(
					{ id: row.id, reportId: row.reportId, eventId: row.eventId, blob: row.blob, mime: row.mime },
					{
						endpoint: `${origin}/api/media/uploads`,
						getToken: deps.getToken,
						previousUrl: row.uploadUrl ?? null,
						onUrl: async (url) => void (await localDb.photos.update(row.id, { uploadUrl: url })),
						signal: stopper.signal
					}
				);
				// Stored and checked on the server: the blob is not needed here any more.
				await localDb.photos.delete(row.id);
			} catch (e) {
				if (stopped) return 'done';
				const code = errorCodeOf(e);
				if (FINAL.has(code)) {
					await localDb.photos.update(row.id, { status: 'rejected', error: code });
					continue;
				}
				await localDb.photos.update(row.id, { status: 'pending' });
				return AUTH.has(code) ? 'auth' : 'retry';
			}
		}
		return 'done';
	}

	/** One sender per origin: two tabs must not send the same photo twice at once. */
	function exclusive(fn: () => Promise<'done' | 'retry' | 'auth'>) {
		const locks = (globalThis.navigator as Navigator | undefined)?.locks;
		if (!locks?.request) return fn();
		return locks.request(STEP_PHOTO_LOCK, { ifAvailable: true }, (lock) => (lock ? fn() : ('done' as const)));
	}

	function kick() {
		if (stopped) return;
		if (running) {
			again = true;
			return;
		}
		clearTimeout(timer);
		running = (async () => {
			do {
				again = false;
				const outcome = await exclusive(pass).catch(() => 'retry' as const);
				if (outcome === 'retry' && !stopped) {
					clearTimeout(timer);
					timer = setTimeout(kick, opts.retryMs ?? RETRY_MS);
					break;
				}
				if (outcome === 'auth') break;
			} while (again && !stopped);
		})().finally(() => (running = null));
	}

	const onOnline = () => kick();
	globalThis.addEventListener?.('online', onOnline);
	kick();
	return {
		kick,
		idle: async () => void (await running),
		stop() {
			stopped = true;
			clearTimeout(timer);
			// The photo stays on the device, pending: the next start sends it.
			stopper.abort(new DOMException(deps.stopReason ?? 'The step photo queue was stopped.', 'AbortError'));
			globalThis.removeEventListener?.('online', onOnline);
		}
	};
}
