import { createReadStream, mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ReportEvent } from '../../src/lib/domain/event';
import { MEDIA_LIMITS, type Media } from '../../src/lib/domain/media';
import type { Report } from '../../src/lib/domain/report';
import type { Principal } from '../auth/principal';
import { ApiError } from '../http/api-error';
import { moveQueryTokenToHeader, sendError, TUS_RESUMABLE } from './http-util';
import { createUploadHandler, mediaPaths, UPLOADS_PATH } from './tus-uploads';

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
	mkdirSync(uploadDir, { recursive: true });
	mkdirSync(mediaDir, { recursive: true });

	const uploads = createUploadHandler({
		uploadDir,
		mediaDir,
		authenticate: opts.authenticate,
		getReport: opts.getReport,
		getEvent: opts.getEvent,
		saveMedia: opts.saveMedia,
		getMedia: opts.getMedia,
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
		const mayRead =
			media.tenantId === principal.tenantId &&
			(media.authorId === principal.sub || (await opts.canRead(principal, media.reportId)));
		if (!mayRead) throw new ApiError(403, 'forbidden_scope', 'You may not see this photo.');

		const paths = mediaPaths(mediaDir, id);
		const file = thumb ? paths.thumb : paths.photo;
		const info = await stat(file).catch(() => null);
		if (!info) throw new ApiError(404, 'not_found', 'There is no such photo.');
		res.writeHead(200, {
			'Content-Type': 'image/webp',
			'Content-Length': info.size,
			// A photo id never gets other bytes: cache for good, but only in this user's browser.
			'Cache-Control': 'private, max-age=31536000, immutable',
			'X-Content-Type-Options': 'nosniff'
		});
		if (req.method === 'HEAD') {
			res.end();
			return;
		}
		await pipeline(createReadStream(file), res);
	}

	return {
		async handle(req, res) {
			const url = new URL(req.url ?? '/', 'http://media.local');
			const upload = UPLOAD_ROUTE.exec(url.pathname);
			try {
				if (upload) return await uploads.handle(req, res, upload[1] ?? null);
				const photo = PHOTO_ROUTE.exec(url.pathname);
				if (photo) return await servePhoto(req, res, url, photo[1], Boolean(photo[2]));
				throw new ApiError(404, 'not_found', 'There is nothing here.');
			} catch (err) {
				sendError(res, err, upload ? { 'Tus-Resumable': TUS_RESUMABLE } : {});
			}
		},
		close: () => uploads.close()
	};
}
