import { chmodSync, createReadStream, mkdirSync } from 'node:fs';
import { chmod, copyFile, open, rename, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { ActorId, Id, IsoTime } from '$lib/domain/common';
import { applicationFileIds, DOSSIER_FILE_LIMITS, looksLikePdf, type StoredApplication } from '$lib/domain/dossier-application';
import { MEDIA_LIMITS } from '$lib/domain/media';
import { actsForOffice, type OfficeConfig } from '$lib/domain/office';
import type { Principal } from '$lib/domain/principal';
import { ApiError } from '../http/api-error';
import { RAW_API_SECURITY_HEADERS } from '../http/security';
import { moveQueryTokenToHeader, sendError, TUS_RESUMABLE } from '../media/http-util';
import { processPhoto } from '../media/photo-processing';
import { clientGone, createTusUploads, mediaPaths, type MediaLog, type UploadPolicy } from '../media/tus-uploads';
import { createUploadLedger, DEFAULT_UPLOAD_LIMITS, type UploadLimits } from '../media/upload-ledger';
import type { FileClaims } from './file-claims';

/** A file of an online application as the server keeps it (store `dossier-files`): a page image or a PDF. */
export const DossierFile = z.strictObject({
	id: Id,
	applicationId: Id,
	tenantId: z.string(),
	/** Its uploader, the application's author. */
	authorId: ActorId,
	status: z.enum(['ready', 'rejected']),
	/** image/webp (a page, re-encoded) or application/pdf (kept as sent). */
	mime: z.string().optional(),
	bytes: z.number().int().nonnegative().optional(),
	width: z.number().int().positive().optional(),
	height: z.number().int().positive().optional(),
	/** Of the upload as received: which bytes the stored file was made from. */
	sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
	/** Why it was refused: file_not_document, media_too_large, media_too_many_pixels. */
	error: z.string().optional(),
	createdAt: IsoTime,
	_deleted: z.boolean().optional()
});
export type DossierFile = z.infer<typeof DossierFile>;

/** What an application's view says of each of its files (ApplicationView.files). */
export type FileStatus = { status: 'waiting' | 'ready' | 'rejected'; mime?: string; bytes?: number };

export const DOSSIER_UPLOADS_PATH = '/api/dossier-files/uploads';
const ID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const UPLOAD_ROUTE = new RegExp(`^${DOSSIER_UPLOADS_PATH}(?:/(${ID})?)?/?$`);
const FILE_ROUTE = new RegExp(`^/api/dossier-files/(${ID})(/thumb)?$`);
const PDF = 'application/pdf';

const FileMetadata = z.object({ fileId: Id, applicationId: Id, filetype: z.string().optional() });
type FileMeta = { id: string; applicationId: string; filetype?: string };

const REJECTIONS: Record<string, { status: number; message: string }> = {
	file_not_document: { status: 415, message: 'The file is neither a photo of a page nor a PDF, or it is damaged.' },
	media_too_large: { status: 413, message: 'The file is too large.' },
	media_too_many_pixels: { status: 422, message: 'The photo has too many pixels.' }
};

export interface DossierFilesOptions {
	/** The tenant's files directory: uploads under `dossier-uploads`, kept files under `dossier-files`. */
	dataDir: string;
	authenticate(req: IncomingMessage): Promise<Principal>;
	getApplication(id: string): Promise<StoredApplication | null>;
	getFile(id: string): Promise<DossierFile | null>;
	getFiles(ids: string[]): Promise<Map<string, DossierFile>>;
	saveFile(doc: DossierFile): Promise<void>;
	claims: Pick<FileClaims, 'holder' | 'claimAll'>;
	/** The offices as they are now (admin edits included): whose staff read an application's files. */
	offices(): OfficeConfig | undefined;
	uploadLimits?: Partial<UploadLimits>;
	log?: MediaLog;
	chunkMaxBytes?: number;
	maxBytes?: number;
	maxPixels?: number;
}

/** Who reads an application (and so its files): its author, the same verified person, staff of its office. */
export function mayReadApplication(p: Principal, app: StoredApplication, offices: OfficeConfig | undefined): boolean {
	if (app.tenantId !== p.tenantId) return false;
	if (app.authorId === p.sub || (p.personId !== undefined && p.personId === app.personId)) return true;
	return actsForOffice(p, offices?.offices.find((o) => o.id === app.officeId));
}

/** Reads the first 5 and the last 1024 bytes: enough to know a PDF without reading all of it. */
async function headAndTail(path: string, size: number): Promise<[Uint8Array, Uint8Array]> {
	const fh = await open(path, 'r');
	try {
		const head = Buffer.alloc(Math.min(5, size));
		await fh.read(head, 0, head.length, 0);
		const tail = Buffer.alloc(Math.min(1024, size));
		await fh.read(tail, 0, tail.length, size - tail.length);
		return [head, tail];
	} finally {
		await fh.close();
	}
}

/**
 * Files of online applications: tus uploads at /api/dossier-files/uploads through the same machinery
 * as report photos (tus-uploads.ts); a page photo is checked and re-encoded like a report photo, a
 * PDF known by its bytes and kept as sent. Read at /api/dossier-files/:id (and /thumb for pages) by
 * whoever may read the application listing the file — resolved through the application, never
 * through the file's record alone.
 */
export function createDossierFiles(opts: DossierFilesOptions) {
	const uploadDir = join(opts.dataDir, 'dossier-uploads');
	const filesDir = join(opts.dataDir, 'dossier-files');
	// Identity papers and birth certificates: for the server's user only.
	for (const dir of [uploadDir, filesDir]) {
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		chmodSync(dir, 0o700);
	}
	const maxBytes = opts.maxBytes ?? DOSSIER_FILE_LIMITS.maxBytes;
	const maxPixels = opts.maxPixels ?? MEDIA_LIMITS.maxPixels;
	const pdfPath = (id: string) => join(filesDir, `${id}.pdf`);
	const ledger = createUploadLedger(uploadDir, { ...DEFAULT_UPLOAD_LIMITS, ...opts.uploadLimits }, {
		log: (obj, msg) => opts.log?.('info', obj, msg)
	});
	const started = ledger.start().catch((err) => opts.log?.('error', { err }, 'dossier upload sweep failed'));
	const notOwner = (message: string) => new ApiError(403, 'not_owner', message);

	/** Checks the bytes and keeps them: the record's outcome part. */
	async function keep(id: string, rawPath: string): Promise<Pick<DossierFile, 'status' | 'mime' | 'bytes' | 'width' | 'height' | 'error'>> {
		const { size } = await stat(rawPath);
		if (size > maxBytes) return { status: 'rejected', error: 'media_too_large' };
		const [head, tail] = await headAndTail(rawPath, size);
		if (looksLikePdf(head, tail)) {
			const tmp = `${pdfPath(id)}.tmp`;
			await copyFile(rawPath, tmp);
			await chmod(tmp, 0o600);
			await rename(tmp, pdfPath(id));
			return { status: 'ready', mime: PDF, bytes: size };
		}
		const paths = mediaPaths(filesDir, id);
		const photo = await processPhoto(rawPath, { outPath: paths.photo, thumbPath: paths.thumb, maxBytes, maxPixels });
		if (photo.status === 'ready') return { status: 'ready', mime: photo.mime, bytes: photo.bytes, width: photo.width, height: photo.height };
		return { status: 'rejected', error: photo.code === 'media_not_image' ? 'file_not_document' : photo.code };
	}

	const policy: UploadPolicy<DossierFile, FileMeta> = {
		path: DOSSIER_UPLOADS_PATH,
		noun: 'file',
		rejections: REJECTIONS,
		notAccepted: 'file_not_document',
		metadataHint: 'Upload-Metadata needs fileId and applicationId (UUIDs).',
		parseMetadata(raw) {
			const parsed = FileMetadata.safeParse(raw);
			if (!parsed.success) return null;
			const { fileId, ...rest } = parsed.data;
			return { id: fileId, ...rest };
		},
		/**
		 * The application is pushed before its files, so one the server has not stored yet means "later"
		 * (media_unknown_report, retried); it must be the caller's and list the file, whose claim
		 * (file-claims.ts, written when the application was stored) must be that application's.
		 */
		async permit(principal, meta) {
			if (meta.filetype && !DOSSIER_FILE_LIMITS.allowedMime.includes(meta.filetype)) {
				throw new ApiError(415, 'file_not_document', `Files of type ${meta.filetype} are not accepted; send a photo of the page or a PDF.`);
			}
			const app = await opts.getApplication(meta.applicationId);
			if (!app) throw new ApiError(404, 'media_unknown_report', 'The server does not have the application of this file yet; send it again later.');
			if (app.tenantId !== principal.tenantId) throw new ApiError(403, 'forbidden_scope', 'This application belongs to another province.');
			if (app.authorId !== principal.sub) throw notOwner('This application is someone else\'s.');
			if (!applicationFileIds(app).includes(meta.id)) {
				throw new ApiError(422, 'validation_failed', 'This application does not list this file; add it to the application first.');
			}
			let holder = await opts.claims.holder(meta.id);
			// An application stored without its claims (by hand, or before a crash between the two) gets them now.
			if (!holder && !(await opts.claims.claimAll(app.id, app.authorId, [meta.id])).taken.length) holder = { id: meta.id, applicationId: app.id, ownerId: app.authorId };
			if (!holder || holder.applicationId !== app.id || holder.ownerId !== app.authorId) throw notOwner('This file id belongs to another application.');
		},
		sameTarget: (stored, meta) => stored.applicationId === meta.applicationId,
		getRecord: opts.getFile,
		async finish({ id, rawPath, metadata, uploader, tenantId, sha256 }) {
			const doc = DossierFile.parse({
				id,
				applicationId: metadata.applicationId,
				tenantId,
				authorId: uploader,
				createdAt: new Date().toISOString(),
				...(sha256 ? { sha256 } : {}),
				...(await keep(id, rawPath))
			});
			await opts.saveFile(doc);
			return doc;
		}
	};

	const uploads = createTusUploads(
		{ uploadDir, authenticate: opts.authenticate, ledger, log: opts.log, maxBytes, chunkMaxBytes: opts.chunkMaxBytes ?? 8 * 1024 * 1024 },
		policy
	);

	async function serve(req: IncomingMessage, res: ServerResponse, url: URL, id: string, thumb: boolean) {
		if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError(405, 'validation_failed', 'Files are read with GET.');
		moveQueryTokenToHeader(req, url);
		const principal = await opts.authenticate(req);
		const file = await opts.getFile(id);
		if (!file || file.status !== 'ready') throw new ApiError(404, 'not_found', 'There is no such file.');
		// Through the application that holds the id and lists it: a record alone proves nothing.
		const holder = await opts.claims.holder(id);
		const app = holder && holder.applicationId === file.applicationId ? await opts.getApplication(holder.applicationId) : null;
		if (!app || !applicationFileIds(app).includes(id) || !mayReadApplication(principal, app, opts.offices())) {
			throw new ApiError(403, 'forbidden_scope', 'You may not see this file.');
		}
		const pdf = file.mime === PDF;
		if (pdf && thumb) throw new ApiError(404, 'not_found', 'A PDF has no thumbnail.');
		const path = pdf ? pdfPath(id) : thumb ? mediaPaths(filesDir, id).thumb : mediaPaths(filesDir, id).photo;
		const info = await stat(path).catch(() => null);
		if (!info) throw new ApiError(404, 'not_found', 'There is no such file.');
		res.writeHead(200, {
			'Content-Type': pdf ? PDF : 'image/webp',
			'Content-Length': info.size,
			// Identity papers: not left in the cache of a shared office computer.
			'Cache-Control': 'private, no-store',
			...(pdf
				? {
						'Content-Disposition': `inline; filename="${id}.pdf"`,
						// A PDF may carry scripts and forms: shown in a sandbox with no origin of ours.
						'Content-Security-Policy': "sandbox; default-src 'none'; frame-ancestors 'self'"
					}
				: {})
		});
		if (req.method === 'HEAD') return void res.end();
		await pipeline(createReadStream(path), res);
	}

	return {
		/** Answers every request under /api/dossier-files (uploads and reads). */
		async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
			for (const [name, value] of Object.entries(RAW_API_SECURITY_HEADERS)) res.setHeader(name, value);
			req.once('close', () => {
				if (!req.complete && !res.writableFinished)
					opts.log?.('info', { uploadId: UPLOAD_ROUTE.exec(req.url ?? '')?.[1], method: req.method }, 'dossier file upload cut off by the client');
			});
			const url = new URL(req.url ?? '/', 'http://files.local');
			const upload = UPLOAD_ROUTE.exec(url.pathname);
			try {
				if (upload) return await uploads.handle(req, res, upload[1] ?? null);
				const file = FILE_ROUTE.exec(url.pathname);
				if (file) return await serve(req, res, url, file[1], Boolean(file[2]));
				throw new ApiError(404, 'not_found', 'There is nothing here.');
			} catch (err) {
				if (clientGone(req)) return void res.destroy();
				sendError(res, err, upload ? { 'Tus-Resumable': TUS_RESUMABLE } : {}, (obj, msg) => opts.log?.('error', obj, msg));
			}
		},
		/** Each file's status for an application's view: `waiting` until its upload has finished. */
		async fileStatuses(ids: string[]): Promise<Record<string, FileStatus>> {
			const found = await opts.getFiles(ids);
			return Object.fromEntries(
				ids.map((id) => {
					const f = found.get(id);
					return [id, f ? { status: f.status, ...(f.mime ? { mime: f.mime } : {}), ...(f.bytes !== undefined ? { bytes: f.bytes } : {}) } : { status: 'waiting' }];
				})
			);
		},
		async close(): Promise<void> {
			ledger.stop();
			await started;
			await uploads.close();
		}
	};
}
export type DossierFiles = ReturnType<typeof createDossierFiles>;
