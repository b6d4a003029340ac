import { chmodSync, createReadStream, mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ReportEvent } from '$lib/domain/event';
import { MEDIA_LIMITS, type Media } from '$lib/domain/media';
import type { Report } from '$lib/domain/report';
import type { Principal } from '$lib/domain/principal';
import { ApiError } from '../http/api-error';
import { RAW_API_SECURITY_HEADERS } from '../http/security';
import { moveQueryTokenToHeader, sendError, TUS_RESUMABLE } from './http-util';
import type { PhotoClaims } from './photo-claims';
import { createUploadHandler, UPLOADS_PATH } from './photo-uploads';
import { clientGone, mediaPaths, type MediaLog } from './tus-uploads';
import { createUploadLedger, DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './upload-ledger';

export interface MediaServiceOptions {
	dataDir: string;
	/** Throws ApiError (401 unauthenticated / token_expired …) when the caller is not logged in. */
	authenticate(req: IncomingMessage): Promise<Principal>;
	/** null when the report has not synced yet: the upload is then allowed and the uploader owns the photo. */
	getReport(id: string): Promise<Report | null>;
	/** A handling step, to check a step photo against it when the step has synced. */
	getEvent?(id: string): Promise<ReportEvent | null>;
	/** Stores the media doc (a server-written collection that syncs to devices). */
	saveMedia(doc: Media): Promise<void>;
	getMedia(id: string): Promise<Media | null>;
	canRead(p: Principal, reportId: string): Promise<boolean>;
	/** Who each photo id belongs to (photo-claims.ts); uploads claim theirs. */
	claims?: Pick<PhotoClaims, 'claim'>;
	/**
	 * Whether a stored photo is what the report (or step) listing it shows (photo-claims.ts
	 * `photoBelongs`): only then does anyone but its uploader get to see it.
	 */
	belongs?(media: Media): Promise<boolean>;
	/** Expiry of partial uploads and caps on unfinished bytes (upload-ledger.ts). */
	uploadLimits?: Partial<UploadLimits>;
	/** The server's structured log; without it (unit tests) nothing is logged. */
	log?: MediaLog;
	/** Largest single PATCH body accepted (devices send 256 KB chunks). */
	chunkMaxBytes?: number;
	maxBytes?: number;
	maxPixels?: number;
}

export interface MediaService {
	/** Answers every request under /api/media (uploads and photo downloads). */
	handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
	close(): Promise<void>;
}

const DEFAULT_CHUNK_MAX_BYTES = 8 * 1024 * 1024;
const ID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const UPLOAD_ROUTE = new RegExp(`^${UPLOADS_PATH}(?:/(${ID})?)?/?$`);
const PHOTO_ROUTE = new RegExp(`^/api/media/(${ID})(/thumb)?$`);

/**
 * Photos: tus resumable uploads at /api/media/uploads, checked and re-encoded by sharp when they
 * finish, served at /api/media/:id and /api/media/:id/thumb. Files live under `${dataDir}/uploads`
 * (partial uploads) and `${dataDir}/media` (stored WebP).
 */
export function createMediaService(opts: MediaServiceOptions): MediaService {
	const uploadDir = join(opts.dataDir, 'uploads');
	const mediaDir = join(opts.dataDir, 'media');
	// Residents' photos: for the server's user only (directories made by an older version too).
	for (const dir of [uploadDir, mediaDir]) {
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		chmodSync(dir, 0o700);
	}
	const ledger = createUploadLedger(uploadDir, { ...DEFAULT_UPLOAD_LIMITS, ...opts.uploadLimits }, {
		log: (obj, msg) => opts.log?.('info', obj, msg)
	});
	const started = ledger.start().catch((err) => opts.log?.('error', { err }, 'upload sweep failed'));

	const uploads = createUploadHandler({
		uploadDir,
		mediaDir,
		authenticate: opts.authenticate,
		getReport: opts.getReport,
		getEvent: opts.getEvent,
		saveMedia: opts.saveMedia,
		getMedia: opts.getMedia,
		claims: opts.claims,
		ledger,
		log: opts.log,
		maxBytes: opts.maxBytes ?? MEDIA_LIMITS.maxBytes,
		maxPixels: opts.maxPixels ?? MEDIA_LIMITS.maxPixels,
		chunkMaxBytes: opts.chunkMaxBytes ?? DEFAULT_CHUNK_MAX_BYTES
	});

	async function servePhoto(req: IncomingMessage, res: ServerResponse, url: URL, id: string, thumb: boolean) {
		if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError(405, 'validation_failed', 'Photos are read with GET.');
		moveQueryTokenToHeader(req, url);
		const principal = await opts.authenticate(req);
		const media = await opts.getMedia(id);
		if (!media || media.status !== 'ready') throw new ApiError(404, 'not_found', 'There is no such photo.');
		// Its uploader sees their own photo; anyone else only what the report (or step) listing it shows.
		const mayRead =
			media.tenantId === principal.tenantId &&
			(media.authorId === principal.sub ||
				((await opts.canRead(principal, media.reportId)) && (!opts.belongs || (await opts.belongs(media)))));
		if (!mayRead) throw new ApiError(403, 'forbidden_scope', 'You may not see this photo.');

		const paths = mediaPaths(mediaDir, id);
		const file = thumb ? paths.thumb : paths.photo;
		const info = await stat(file).catch(() => null);
		if (!info) throw new ApiError(404, 'not_found', 'There is no such photo.');
		res.writeHead(200, {
			'Content-Type': 'image/webp',
			'Content-Length': info.size,
			// A photo id never gets other bytes: cache for good, but only in this user's browser.
			'Cache-Control': 'private, max-age=31536000, immutable'
		});
		if (req.method === 'HEAD') {
			res.end();
			return;
		}
		await pipeline(createReadStream(file), res);
	}

	return {
		async handle(req, res) {
			// Every answer, tus's and errors included, carries the headers helmet gives the rest.
			for (const [name, value] of Object.entries(RAW_API_SECURITY_HEADERS)) res.setHeader(name, value);
			// A phone dropping off mid-chunk is normal on a weak link (the bytes that arrived are kept,
			// the device resumes): one line in the structured log, whatever the handler was doing.
			req.once('close', () => {
				if (!req.complete && !res.writableFinished)
					opts.log?.('info', { uploadId: UPLOAD_ROUTE.exec(req.url ?? '')?.[1], method: req.method }, 'photo upload cut off by the client');
			});
			const url = new URL(req.url ?? '/', 'http://media.local');
			const upload = UPLOAD_ROUTE.exec(url.pathname);
			try {
				if (upload) return await uploads.handle(req, res, upload[1] ?? null);
				const photo = PHOTO_ROUTE.exec(url.pathname);
				if (photo) return await servePhoto(req, res, url, photo[1], Boolean(photo[2]));
				throw new ApiError(404, 'not_found', 'There is nothing here.');
			} catch (err) {
				// Cut off while its body was being read: nobody to answer (logged once, above).
				if (clientGone(req)) return void res.destroy();
				sendError(res, err, upload ? { 'Tus-Resumable': TUS_RESUMABLE } : {}, (obj, msg) => opts.log?.('error', obj, msg));
			}
		},
		close: async () => {
			ledger.stop();
			await started;
			await uploads.close();
		}
	};
}
