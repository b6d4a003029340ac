import { DetailedError, Upload, type HttpRequest } from 'tus-js-client';
import { isErrorCode, type ErrorCode } from '../domain/errors';
import { BlobFileReader, FetchHttpStack } from './tus-fetch-stack';

/**
 * 512 KB: a photo prepared at 1600 px (150–300 KB) goes in its create request alone, so each photo
 * costs one round trip (measured: 0.3 s each at 300 ms RTT, docs/BENCHMARKS.md). A dropped
 * connection still costs little: the server keeps the bytes that arrived before the cut and the
 * resumed upload starts from there (tests/integration/media.test.ts), at worst one chunk.
 */
export const DEFAULT_CHUNK_SIZE = 512 * 1024;
/** Quick retries for a blip; a longer outage is the outbox's business (it tries again later). */
const RETRY_DELAYS_MS = [500, 2_000, 5_000];

/** Why a photo upload failed: the code the device shows, and whether trying again later can help. */
export class PhotoUploadError extends Error {
	constructor(
		readonly code: ErrorCode,
		readonly retryable: boolean,
		message: string = code,
		/** HTTP status, 0 when there was no answer. */
		readonly status = 0
	) {
		super(message);
		this.name = 'PhotoUploadError';
	}
}

function codeForStatus(status: number): ErrorCode {
	if (status === 401) return 'unauthenticated';
	if (status === 403) return 'forbidden_scope';
	if (status === 404 || status === 410) return 'not_found';
	if (status === 413) return 'media_too_large';
	if (status === 415) return 'media_not_image';
	if (status === 429) return 'rate_limited';
	if (status >= 500 || status === 408) return 'server_error';
	return 'validation_failed';
}

/**
 * Worth trying again later: the network, the server's trouble, a lock or an offset race, a stale
 * token, an upload the server no longer has (the next attempt's HEAD fails and tus starts anew), a
 * report the server has not received yet, or the server's cap on unfinished uploads (media_quota).
 */
function isRetryable(code: ErrorCode, status: number): boolean {
	return (
		code === 'network' ||
		code === 'media_unknown_report' ||
		code === 'media_quota' ||
		code === 'not_found' ||
		code === 'server_error' ||
		code === 'rate_limited' ||
		code === 'token_expired' ||
		status === 409 ||
		status === 423
	);
}

/** Reduces whatever tus-js-client reports to a PhotoUploadError. */
export function toPhotoUploadError(err: unknown): PhotoUploadError {
	if (err instanceof PhotoUploadError) return err;
	const detailed = err instanceof DetailedError ? err : null;
	const response = detailed?.originalResponse ?? null;
	if (detailed && !response) {
		// The request never got an answer: offline, connection cut, timeout.
		const cause = detailed.causingError?.message ?? detailed.message;
		return new PhotoUploadError('network', true, `The photo could not be sent: ${cause}`);
	}
	if (response) {
		const status = response.getStatus();
		let body: { error?: { code?: unknown; message?: unknown } } | undefined;
		try {
			body = JSON.parse(response.getBody() || 'null') ?? undefined;
		} catch {
			// A plain-text tus answer or a proxy's page: the status decides.
		}
		const code = isErrorCode(body?.error?.code) ? body.error.code : codeForStatus(status);
		const message = typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${status}`;
		return new PhotoUploadError(code, isRetryable(code, status), message, status);
	}
	const message = err instanceof Error ? err.message : String(err);
	return new PhotoUploadError('server_error', false, message);
}

/** tus-js-client retries on its own only what a quick retry can fix. */
function shouldRetry(err: DetailedError): boolean {
	if (typeof navigator !== 'undefined' && navigator.onLine === false) return false;
	const status = err.originalResponse?.getStatus() ?? 0;
	if (status === 0) return true;
	// 409: the offset moved (a cut request wrote part of its chunk): HEAD and go on from there.
	return status >= 500 || status === 409 || status === 423;
}

export interface PhotoToUpload {
	id: string;
	/** The report a photo belongs to; not used when `metadata` is given. */
	reportId?: string;
	/** A photo of a handling step (progress, result): the event that carries it. */
	eventId?: string;
	blob: Blob;
	mime: string;
	/**
	 * The Upload-Metadata the endpoint expects, when it is not a report photo's (e.g. a dossier file:
	 * `{ fileId, applicationId, filetype }`).
	 */
	metadata?: Record<string, string>;
}

/** The tus Upload-Metadata of an upload: the caller's, else a report photo's. */
export function uploadMetadata(photo: PhotoToUpload): Record<string, string> {
	if (photo.metadata) return photo.metadata;
	return { mediaId: photo.id, reportId: photo.reportId ?? '', filetype: photo.mime, ...(photo.eventId ? { eventId: photo.eventId } : {}) };
}

export interface UploadPhotoOptions {
	/** The tus endpoint, e.g. `${origin}/api/media/uploads`; a relative one is resolved against the page. */
	endpoint: string;
	/**
	 * Called once before the first request and again after the server answers token_expired, when it
	 * must give a fresh token (the upload is retried once with it).
	 */
	getToken(): Promise<string>;
	chunkSize?: number;
	/** The upload URL saved from an earlier attempt (`onUrl`): the upload resumes from the server's offset. */
	previousUrl?: string | null;
	/** The upload URL, as soon as the server has made it: save it to resume after a reload. */
	onUrl?(url: string): Promise<void> | void;
	onProgress?(sent: number, total: number): void;
	signal?: AbortSignal;
}

function absolute(url: string): string {
	const base = (globalThis as { location?: { href: string } }).location?.href;
	return base ? new URL(url, base).href : url;
}

function abortError(signal: AbortSignal): unknown {
	return signal.reason ?? new DOMException('The photo upload was stopped.', 'AbortError');
}

/**
 * Sends one photo with tus, resuming where an earlier attempt stopped. Resolves when the server has
 * stored and checked it; rejects with a PhotoUploadError (`code`, `retryable`), or with the abort
 * reason when `signal` stops it (the partial upload stays on the server to resume later).
 */
export async function uploadPhoto(photo: PhotoToUpload, opts: UploadPhotoOptions): Promise<{ url: string }> {
	opts.signal?.throwIfAborted();
	let token = await opts.getToken();
	let url = opts.previousUrl ?? null;
	let refreshedToken = false;
	for (;;) {
		try {
			return await runUpload(photo, opts, url, () => token, (u) => (url = u));
		} catch (e) {
			if (opts.signal?.aborted) throw abortError(opts.signal);
			const err = toPhotoUploadError(e);
			if (err.code !== 'token_expired' || refreshedToken) throw err;
			refreshedToken = true;
			token = await opts.getToken();
		}
	}
}

function runUpload(
	photo: PhotoToUpload,
	opts: UploadPhotoOptions,
	uploadUrl: string | null,
	token: () => string,
	rememberUrl: (url: string) => void
): Promise<{ url: string }> {
	return new Promise((resolve, reject) => {
		const signal = opts.signal;
		// Stopped while the token was being fetched: the abort event has already fired.
		if (signal?.aborted) return reject(abortError(signal));
		const upload = new Upload(photo.blob, {
			endpoint: absolute(opts.endpoint),
			uploadUrl: uploadUrl ? absolute(uploadUrl) : null,
			uploadSize: photo.blob.size,
			chunkSize: opts.chunkSize ?? DEFAULT_CHUNK_SIZE,
			// The first chunk rides with the create request: one round trip less per photo, which on a
			// 300 ms link is ~1 s for three photos (docs/BENCHMARKS.md).
			uploadDataDuringCreation: true,
			retryDelays: RETRY_DELAYS_MS,
			metadata: uploadMetadata(photo),
			httpStack: new FetchHttpStack(),
			fileReader: new BlobFileReader(),
			// Resuming is by the URL the caller keeps (previousUrl), not tus-js-client's localStorage,
			// which a service worker does not have.
			storeFingerprintForResuming: false,
			fingerprint: async () => `cau-noi-photo-${photo.id}`,
			onBeforeRequest: (req: HttpRequest) => {
				req.setHeader('Authorization', `Bearer ${token()}`);
			},
			onShouldRetry: (err) => shouldRetry(err),
			onUploadUrlAvailable: () => {
				if (!upload.url) return;
				rememberUrl(upload.url);
				// Saving the URL must not stop the upload if it fails: the worst case is one more upload.
				void Promise.resolve()
					.then(() => opts.onUrl?.(upload.url!))
					.catch(() => undefined);
			},
			onProgress: (sent, total) => opts.onProgress?.(sent, total),
			onSuccess: () => {
				signal?.removeEventListener('abort', onAbort);
				resolve({ url: upload.url ?? '' });
			},
			onError: (err) => {
				signal?.removeEventListener('abort', onAbort);
				reject(err);
			}
		});
		const onAbort = () => {
			// Not terminated: what the server has is kept for the next attempt.
			void upload.abort(false);
			reject(abortError(signal!));
		};
		signal?.addEventListener('abort', onAbort, { once: true });
		upload.start();
	});
}
