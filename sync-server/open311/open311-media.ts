import { chmodSync, mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import { Id } from '$lib/domain/common';
import { MEDIA_LIMITS, Media } from '$lib/domain/media';
import type { Principal } from '$lib/domain/principal';
import type { ReportInput } from '$lib/domain/report';
import type { ApiKeyService } from '../api-keys/api-keys.service';
import { apiKeyFromRequest } from '../api-keys/api-keys.service';
import { ApiError } from '../http/api-error';
import { RAW_API_SECURITY_HEADERS } from '../http/security';
import { sendError, TUS_RESUMABLE } from '../media/http-util';
import type { PhotoClaims } from '../media/photo-claims';
import { processPhoto } from '../media/photo-processing';
import { PHOTO_REJECTIONS } from '../media/photo-uploads';
import { clientGone, createTusUploads, mediaPaths, type MediaLog, type UploadRecord } from '../media/tus-uploads';
import { createUploadLedger, DEFAULT_UPLOAD_LIMITS } from '../media/upload-ledger';
import type { Store, StoredDoc } from '../storage/storage';
import type { MediaLinks } from './open311-intake';
import { systemActorId } from './open311-intake';

/**
 * The documented photo extension of our GeoReport v2: GeoReport's `media_url` is a link, and we
 * never fetch a third party's URL (a server that downloads what a client names can be made to read
 * internal addresses, or to carry someone else's bytes). So a system uploads its photo here first,
 * with its key, by the same resumable protocol (tus) and the same checks as a resident's phone
 * (type from the bytes, size, pixels, re-encoded by sharp, EXIF gone), and gets its URL in the
 * `Location` header: `<origin>/open311/v2/media/<mediaId>`. That URL, and only that, is a
 * `media_url` POST requests takes — once, from the key that uploaded it.
 */

export const OPEN311_UPLOADS_PATH = '/open311/v2/media';
const ID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const UPLOAD_ROUTE = new RegExp(`^${OPEN311_UPLOADS_PATH}(?:/(${ID})?)?/?$`);
/** Systems send whole photos or big chunks; a phone's 8 MB cap is theirs too. */
const CHUNK_MAX_BYTES = 8 * 1024 * 1024;

/** A photo a key uploaded, until a request uses it (then `reportId`). */
export interface Open311Upload extends UploadRecord, StoredDoc {
	keyId: string;
	tenantId: string;
	status: 'ready' | 'rejected';
	mime?: string;
	width?: number;
	height?: number;
	sha256?: string;
	createdAt: string;
	reportId?: string;
}

const Meta = z.object({ mediaId: Id, filetype: z.string().max(100).optional() });
const bad = (message: string) => new ApiError(400, 'validation_failed', message);

export function createOpen311Media(deps: {
	filesDir: string;
	tenantId: string;
	uploads: Store<Open311Upload>;
	media: Store<Media>;
	claims: Pick<PhotoClaims, 'claim'>;
	keys: () => ApiKeyService | undefined;
	log?: MediaLog;
}) {
	const uploadDir = join(deps.filesDir, 'open311-uploads');
	const mediaDir = join(deps.filesDir, 'media');
	for (const dir of [uploadDir, mediaDir]) {
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		chmodSync(dir, 0o700);
	}
	const ledger = createUploadLedger(uploadDir, DEFAULT_UPLOAD_LIMITS, { log: (obj, msg) => deps.log?.('info', obj, msg) });
	const started = ledger.start().catch((err) => deps.log?.('error', { err }, 'open311 upload sweep failed'));

	/** The key's system, as the upload machinery's uploader: `system:<keyId>`, never a person. */
	async function authenticate(req: IncomingMessage): Promise<Principal> {
		const url = new URL(req.url ?? '/', 'http://open311.local');
		const key = apiKeyFromRequest(req) ?? url.searchParams.get('api_key');
		const keys = deps.keys();
		if (!key || !keys) throw new ApiError(403, 'api_key_invalid', 'Thiếu api_key / api_key is missing');
		const caller = await keys.verify(key, 'open311:requests').catch((err: unknown) => {
			throw err instanceof ApiError && err.status < 500 ? new ApiError(403, 'api_key_invalid', err.message) : err;
		});
		return { sub: systemActorId(caller.keyId), role: 'resident', tenantId: deps.tenantId, unitIds: [], name: caller.name };
	}

	const uploads = createTusUploads<Open311Upload, { id: string; filetype?: string }>(
		{ uploadDir, authenticate, maxBytes: MEDIA_LIMITS.maxBytes, chunkMaxBytes: CHUNK_MAX_BYTES, ledger, log: deps.log },
		{
			path: OPEN311_UPLOADS_PATH,
			noun: 'photo',
			rejections: PHOTO_REJECTIONS,
			notAccepted: 'media_not_image',
			metadataHint: 'Upload-Metadata needs mediaId (a UUID the system makes).',
			parseMetadata(raw) {
				const parsed = Meta.safeParse(raw);
				return parsed.success ? { id: parsed.data.mediaId, filetype: parsed.data.filetype } : null;
			},
			async permit(_principal, meta) {
				if (meta.filetype && !(MEDIA_LIMITS.allowedMime as readonly string[]).includes(meta.filetype))
					throw new ApiError(415, 'media_not_image', `Files of type ${meta.filetype} are not accepted; send a photo.`);
				// An id a resident's photo already has is not this system's to take.
				if (await deps.media.get(meta.id)) throw new ApiError(409, 'photo_taken', 'This photo id is taken; make another.');
			},
			sameTarget: () => true,
			getRecord: (id) => deps.uploads.get(id),
			async finish({ id, rawPath, uploader, sha256 }) {
				const paths = mediaPaths(mediaDir, id);
				const result = await processPhoto(rawPath, { outPath: paths.photo, thumbPath: paths.thumb, maxBytes: MEDIA_LIMITS.maxBytes, maxPixels: MEDIA_LIMITS.maxPixels });
				const doc: Open311Upload = {
					id,
					authorId: uploader,
					keyId: uploader.slice('system:'.length),
					tenantId: deps.tenantId,
					createdAt: new Date().toISOString(),
					...(sha256 ? { sha256 } : {}),
					...(result.status === 'ready'
						? { status: 'ready' as const, mime: result.mime, width: result.width, height: result.height, bytes: result.bytes }
						: { status: 'rejected' as const, error: result.code })
				};
				const [res] = await deps.uploads.bulkPut([{ doc }]);
				if (!res.ok) throw new Error(`open311 upload ${id} not stored: ${res.error}`);
				return doc;
			}
		}
	);

	const links: MediaLinks = {
		async photoIdOf(raw, keyId, origin) {
			let url: URL;
			try {
				url = new URL(raw);
			} catch {
				throw bad('media_url không phải URL / media_url is not a URL');
			}
			const m = UPLOAD_ROUTE.exec(url.pathname);
			if (url.origin !== origin || !m?.[1] || url.search || url.hash)
				throw bad(`media_url phải là ảnh đã tải lên ${origin}${OPEN311_UPLOADS_PATH} / media_url must be a photo uploaded to ${origin}${OPEN311_UPLOADS_PATH}`);
			const id = m[1].toLowerCase();
			const upload = await deps.uploads.get(id);
			if (!upload || upload.keyId !== keyId || upload.status !== 'ready')
				throw bad('media_url không phải ảnh đã tải lên xong bằng khóa này / media_url is not a finished upload of this key');
			if (upload.reportId) throw bad('Ảnh này đã thuộc một yêu cầu khác / This photo belongs to another request already');
			return id;
		},
		async attach(photoId, report: ReportInput) {
			const [held] = await deps.claims.claim([{ id: photoId, reportId: report.id, ownerId: report.authorId }]);
			if (held === 'taken') throw bad('Ảnh này đã thuộc một yêu cầu khác / This photo belongs to another request already');
			const upload = (await deps.uploads.getMany([photoId])).get(photoId);
			if (!upload) throw new Error(`open311 upload ${photoId} vanished`);
			const u = upload.doc;
			const media = Media.parse({
				id: photoId,
				reportId: report.id,
				tenantId: report.tenantId,
				authorId: report.authorId,
				status: 'ready',
				...(u.mime ? { mime: u.mime, width: u.width, height: u.height, bytes: u.bytes } : {}),
				...(u.sha256 ? { sha256: u.sha256 } : {}),
				createdAt: u.createdAt,
				_deleted: false
			});
			const [res] = await deps.media.bulkPut([{ doc: media }]);
			if (!res.ok) throw new Error(`media ${photoId} not stored: ${res.error}`);
			await deps.uploads.bulkPut([{ doc: { ...upload.doc, reportId: report.id }, rev: upload.rev }]);
		}
	};

	return {
		links,
		owns: (url: string) => url === OPEN311_UPLOADS_PATH || url.startsWith(`${OPEN311_UPLOADS_PATH}/`) || url.startsWith(`${OPEN311_UPLOADS_PATH}?`),
		async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
			for (const [name, value] of Object.entries(RAW_API_SECURITY_HEADERS)) res.setHeader(name, value);
			const upload = UPLOAD_ROUTE.exec(new URL(req.url ?? '/', 'http://open311.local').pathname);
			try {
				if (!upload) throw new ApiError(404, 'not_found', 'There is nothing here.');
				await uploads.handle(req, res, upload[1] ?? null);
			} catch (err) {
				if (clientGone(req)) return void res.destroy();
				sendError(res, err, { 'Tus-Resumable': TUS_RESUMABLE }, (obj, msg) => deps.log?.('error', obj, msg));
			}
		},
		async close() {
			ledger.stop();
			await started;
			await uploads.close();
		}
	};
}
export type Open311Media = ReturnType<typeof createOpen311Media>;
