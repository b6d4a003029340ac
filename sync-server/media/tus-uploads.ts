import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { chmod, readFile, rm, stat } from 'node:fs/promises';
import { FileConfigstore, FileStore } from '@tus/file-store';
import { Metadata, Server, type Upload } from '@tus/server';
import type { ErrorCode } from '$lib/domain/errors';
import type { ReportEvent } from '$lib/domain/event';
import { MEDIA_LIMITS, Media, UploadMetadata } from '$lib/domain/media';
import type { Report } from '$lib/domain/report';
import { OFFICIAL_ROLES, type Principal } from '$lib/domain/principal';
import { ApiError } from '../http/api-error';
import { canSeeReport } from '../access/scope';
import { drain, TUS_RESUMABLE } from './http-util';
import { checkTusHeaders } from './tus-headers';
import type { PhotoClaims } from './photo-claims';
import type { UploadLedger } from './upload-ledger';
import { processPhoto } from './photo-processing';

export const UPLOADS_PATH = '/api/media/uploads';

export interface UploadDeps {
	uploadDir: string;
	mediaDir: string;
	authenticate(req: IncomingMessage): Promise<Principal>;
	getReport(id: string): Promise<Report | null>;
	/** The handling step a photo belongs to, when it has already synced (it may come after its photos). */
	getEvent?(id: string): Promise<ReportEvent | null>;
	saveMedia(doc: Media): Promise<void>;
	getMedia(id: string): Promise<Media | null>;
	/** Who each photo id belongs to (photo-claims.ts); without it (unit tests) uploads claim nothing. */
	claims?: Pick<PhotoClaims, 'claim'>;
	maxBytes: number;
	maxPixels: number;
	chunkMaxBytes: number;
	/** Unfinished uploads per uploader and address (upload-ledger.ts): the caps on pending bytes. */
	ledger?: UploadLedger;
	/** The server's structured log (pino): nothing goes to stderr on its own. */
	log?: MediaLog;
}

export type MediaLog = (level: 'error' | 'warn' | 'info', obj: object, msg: string) => void;

/**
 * Uploads may carry a resident's face, house and (until re-encoded) the phone's EXIF location:
 * readable by the server's user only, whatever the process umask (the directories are 0700 too).
 */
class PrivateConfigstore extends FileConfigstore {
	override async set(key: string, value: Upload): Promise<void> {
		await super.set(key, value);
		await chmod(join(this.directory, `${key}.json`), 0o600);
	}
}
class PrivateFileStore extends FileStore {
	override async create(file: Upload): Promise<Upload> {
		const out = await super.create(file);
		await chmod(join(this.directory, file.id), 0o600);
		return out;
	}
}

/** What the device is told when a finished photo was refused: status and words per code. */
const REJECTIONS: Record<string, { status: number; message: string }> = {
	media_not_image: { status: 415, message: 'The file is not a photo, or it is damaged.' },
	media_too_large: { status: 413, message: 'The photo is too large.' },
	media_too_many_pixels: { status: 422, message: 'The photo has too many pixels.' }
};

function rejectionError(code: string | undefined, message?: string): ApiError {
	const known = REJECTIONS[code ?? ''] ?? REJECTIONS.media_not_image;
	const errorCode = (code && code in REJECTIONS ? code : 'media_not_image') as ErrorCode;
	return new ApiError(known.status, errorCode, message ?? known.message);
}

const notOwner = () => new ApiError(403, 'not_owner', 'This photo upload belongs to someone else.');

/**
 * Who may attach a photo to a report: its author (or the volunteer who filed it) for the report's own
 * photos and their answers; for a photo of a handling step (`eventId`: progress, result), a handler
 * of a unit the report is assigned to or a leader of the tenant — the same people who may append
 * that step (scope.ts). A step that has already synced must be the caller's own and list the photo.
 *
 * A photo id belongs to one report or step and its uploader (photo-claims.ts). A device pushes its
 * report before the report's photos (src/lib/sync/outbox-sender.ts), so an upload naming a report
 * the server has not seen is not taken yet (`media_unknown_report`: the device tries again later):
 * taking it would let anyone who learnt a photo id upload under it first. A step may sync after its
 * photos: the upload then reserves the photo id for that step and uploader.
 */
async function checkUploadPermission(
	deps: Pick<UploadDeps, 'getReport' | 'getEvent' | 'claims'>,
	principal: Principal,
	meta: { mediaId: string; reportId: string; eventId?: string }
): Promise<void> {
	const report = await deps.getReport(meta.reportId);
	if (!report) throw new ApiError(404, 'media_unknown_report', 'The server does not have the report of this photo yet; send it again later.');
	if (report.tenantId !== principal.tenantId) throw new ApiError(403, 'forbidden_scope', 'This report belongs to another province.');
	if (OFFICIAL_ROLES.includes(principal.role)) {
		// Staff never own a report: they add photos to their own handling steps only.
		if (!meta.eventId) throw notOwner();
		if (!canSeeReport(principal, report))
			throw new ApiError(403, 'forbidden_scope', 'None of your units is assigned to this report.');
	} else {
		if (report.authorId !== principal.sub && report.assistedBy !== principal.sub) throw notOwner();
		if (!meta.eventId && !report.photoIds.includes(meta.mediaId)) {
			throw new ApiError(422, 'report_immutable', 'This report does not list this photo; a sent report cannot get new photos.');
		}
	}
	if (meta.eventId && deps.getEvent) {
		const event = await deps.getEvent(meta.eventId);
		if (event && (event.reportId !== meta.reportId || event.actorId !== principal.sub)) throw notOwner();
		if (event && !(event.photoIds ?? []).includes(meta.mediaId))
			throw new ApiError(422, 'report_immutable', 'This step does not list this photo; a sent step cannot get new photos.');
	}
	// The report's own photo is claimed for the report's author (a report stored before claims
	// existed gets its claim now); a step's for its actor, who is the uploader.
	const ownerId = meta.eventId ? principal.sub : report.authorId;
	const [held] = (await deps.claims?.claim([{ id: meta.mediaId, reportId: meta.reportId, eventId: meta.eventId, ownerId }])) ?? ['held'];
	if (held === 'taken') throw photoTaken();
}

const photoTaken = () => new ApiError(409, 'photo_taken', 'This photo id belongs to another report or step.');

/** The client closed the connection before its request was read. */
export function clientGone(req: IncomingMessage): boolean {
	return req.destroyed && !req.complete;
}

function tusHeaders(extra: Record<string, string | number> = {}) {
	return { 'Tus-Resumable': TUS_RESUMABLE, 'Cache-Control': 'no-store', ...extra };
}

/** srvx wraps Node's request; the hooks need the original to find who is calling. */
function nodeRequest(req: Request): IncomingMessage | undefined {
	return (req as unknown as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
}

export function mediaPaths(mediaDir: string, id: string) {
	return { photo: join(mediaDir, `${id}.webp`), thumb: join(mediaDir, `${id}.thumb.webp`) };
}

/**
 * tus uploads of photos. @tus/server does the protocol; in front of it this checks what tus cannot
 * know: who is calling, whether they may attach a photo to that report, and what happened to an
 * upload that already finished — so a device that lost a response (weak 4G) learns the outcome from
 * a retry instead of starting over or storing the photo twice.
 */
export function createUploadHandler(deps: UploadDeps) {
	const store = new PrivateFileStore({ directory: deps.uploadDir, configstore: new PrivateConfigstore(deps.uploadDir) });
	const principals = new WeakMap<IncomingMessage, Principal>();
	/** Finishing = checking and re-encoding; shared so a retry during processing waits for the same outcome. */
	const finishing = new Map<string, Promise<Media>>();
	const rawPath = (id: string) => join(deps.uploadDir, id);

	const tus = new Server({
		path: UPLOADS_PATH,
		datastore: store,
		relativeLocation: true,
		maxSize: deps.maxBytes,
		// Same origin only: without this @tus/server answers every request with CORS `*`.
		allowedOrigins: () => false,
		// The upload id is the photo's id (made on the device), so a repeated "create" finds the same upload.
		namingFunction: (_req, metadata) => {
			const parsed = UploadMetadata.safeParse(metadata ?? {});
			if (!parsed.success) throw new ApiError(400, 'validation_failed', 'Upload-Metadata needs mediaId and reportId.');
			return parsed.data.mediaId;
		},
		// Authentication happens before tus sees the request (so refusals are proper JSON); this hook
		// makes sure no tus request can get through without it.
		onIncomingRequest: async (req) => {
			const node = nodeRequest(req);
			if (!node || !principals.has(node)) throw new ApiError(401, 'unauthenticated', 'Log in to send photos.');
		},
		onUploadCreate: async (req, upload) => {
			const node = nodeRequest(req)!;
			const principal = principals.get(node)!;
			// The address counts towards the cap on unfinished bytes per address (upload-ledger.ts).
			return { metadata: { ...upload.metadata, uploader: principal.sub, tenantId: principal.tenantId, address: node.socket.remoteAddress ?? '' } };
		},
		onUploadFinish: async (_req, upload) => {
			const media = await finishUpload(upload.id);
			if (media.status === 'ready') return {};
			const err = rejectionError(media.error);
			return {
				status_code: err.status,
				headers: { 'Content-Type': 'application/json; charset=utf-8' },
				body: JSON.stringify(err.toBody())
			};
		},
		onResponseError: (req, err) => {
			const node = nodeRequest(req);
			// The phone dropped off mid-chunk: nobody is there to answer (logged once, media.service.ts).
			if (node && clientGone(node)) return undefined;
			if (err instanceof ApiError) return { status_code: err.status, body: JSON.stringify(err.toBody()) };
			if ('status_code' in err && err.status_code === 413) {
				return { status_code: 413, body: JSON.stringify(rejectionError('media_too_large').toBody()) };
			}
			if (!('status_code' in err)) {
				deps.log?.('error', { err }, 'photo upload failed');
				return { status_code: 500, body: JSON.stringify(new ApiError(500, 'server_error', 'The upload failed on the server.').toBody()) };
			}
			// tus's own refusals (no Tus-Resumable, a wrong Upload-Offset or Content-Type, no such upload)
			// come as plain text: give them the API's error shape, so the device has a code like elsewhere.
			const status = err.status_code;
			const code = status === 404 || status === 410 ? 'not_found' : status >= 500 ? 'server_error' : 'validation_failed';
			return { status_code: status, body: JSON.stringify(new ApiError(status, code, String(err.body ?? '').trim() || 'Upload refused.').toBody()) };
		}
	});

	function finishUpload(id: string): Promise<Media> {
		const running = finishing.get(id);
		if (running) return running;
		const job = (async () => {
			const existing = await deps.getMedia(id);
			if (existing) return existing;
			const info = await store.configstore.get(id);
			const meta = info?.metadata ?? {};
			if (!info || !meta.reportId || !meta.uploader || !meta.tenantId) {
				throw new ApiError(404, 'not_found', 'No such upload.');
			}
			const paths = mediaPaths(deps.mediaDir, id);
			// The upload as it arrived, before re-encoding: proves which bytes the stored photo was made from.
			const sha256 = await readFile(rawPath(id)).then((b) => createHash('sha256').update(b).digest('hex'), () => undefined);
			const result = await processPhoto(rawPath(id), {
				outPath: paths.photo,
				thumbPath: paths.thumb,
				maxBytes: deps.maxBytes,
				maxPixels: deps.maxPixels
			});
			const doc = Media.parse({
				id,
				reportId: meta.reportId,
				...(meta.eventId ? { eventId: meta.eventId } : {}),
				tenantId: meta.tenantId,
				authorId: meta.uploader,
				createdAt: new Date().toISOString(),
				...(sha256 ? { sha256 } : {}),
				_deleted: false,
				...(result.status === 'ready'
					? { status: 'ready', mime: result.mime, width: result.width, height: result.height, bytes: result.bytes }
					: { status: 'rejected', error: result.code })
			});
			await deps.saveMedia(doc);
			// The raw upload goes (it may still carry EXIF with the resident's location); its small
			// record (size, uploader) stays, so a late HEAD can still be answered "complete".
			await rm(rawPath(id), { force: true });
			deps.ledger?.release(id);
			return doc;
		})().finally(() => finishing.delete(id));
		finishing.set(id, job);
		return job;
	}

	/** An upload whose photo is already checked: answer as tus would for a complete upload, or with the refusal. */
	async function answerFinished(req: IncomingMessage, res: ServerResponse, media: Media): Promise<void> {
		if (req.method === 'PATCH') await drain(req);
		if (media.status === 'rejected') throw rejectionError(media.error);
		if (req.method === 'DELETE') throw new ApiError(403, 'forbidden_scope', 'A stored photo cannot be withdrawn here.');
		const size = (await store.configstore.get(media.id))?.size ?? media.bytes ?? 0;
		if (req.method === 'HEAD') {
			res.writeHead(200, tusHeaders({ 'Upload-Offset': size, 'Upload-Length': size })).end();
		} else {
			res.writeHead(204, tusHeaders({ 'Upload-Offset': size })).end();
		}
	}

	/**
	 * Answers a repeated "create" with the upload that exists. A device that sends its first chunk
	 * with the create (tus creation-with-upload) learns from Upload-Offset how much is already here;
	 * the bytes of this request are not taken (they may repeat what arrived), so they are drained.
	 */
	function respondCreated(req: IncomingMessage, res: ServerResponse, id: string, offset: number) {
		req.resume();
		res
			.writeHead(201, tusHeaders({ Location: `${UPLOADS_PATH}/${id}`, 'Upload-Offset': offset, 'Content-Length': 0 }))
			.end();
	}

	async function create(req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void> {
		if (req.headers['upload-defer-length'] !== undefined) {
			throw new ApiError(400, 'validation_failed', 'Send Upload-Length: uploads of unknown length are not accepted.');
		}
		const lengthHeader = String(req.headers['upload-length'] ?? '');
		if (!/^\d+$/.test(lengthHeader)) throw new ApiError(400, 'validation_failed', 'Upload-Length is required.');
		const length = Number(lengthHeader);
		if (length > deps.maxBytes) {
			throw rejectionError('media_too_large', `The photo is ${length} bytes; at most ${deps.maxBytes} are accepted.`);
		}
		if (length === 0) throw rejectionError('media_not_image', 'The file is empty.');

		let raw: Record<string, string | null>;
		try {
			raw = Metadata.parse(String(req.headers['upload-metadata'] ?? ''));
		} catch {
			throw new ApiError(400, 'validation_failed', 'Upload-Metadata is malformed.');
		}
		const parsed = UploadMetadata.safeParse(raw);
		if (!parsed.success) throw new ApiError(400, 'validation_failed', 'Upload-Metadata needs mediaId and reportId (UUIDs).');
		const { mediaId, reportId, eventId, filetype } = parsed.data;
		// The declared type costs nothing to check and saves a weak uplink from sending a video;
		// the bytes are still checked when the upload finishes.
		if (filetype && !(MEDIA_LIMITS.allowedMime as readonly string[]).includes(filetype)) {
			throw rejectionError('media_not_image', `Files of type ${filetype} are not accepted; send a photo.`);
		}

		await checkUploadPermission(deps, principal, { mediaId, reportId, eventId });

		await finishing.get(mediaId)?.catch(() => undefined);
		const media = await deps.getMedia(mediaId);
		if (media) {
			if (media.authorId !== principal.sub) throw notOwner();
			if (media.status === 'rejected') throw rejectionError(media.error);
			return respondCreated(req, res, mediaId, length);
		}
		const previous = await store.configstore.get(mediaId);
		if (previous) {
			if (previous.metadata?.uploader !== principal.sub) throw notOwner();
			// Same photo again (its "created" answer was lost): hand back the same upload; HEAD gives the offset.
			if (previous.size === length && previous.metadata?.reportId === reportId) {
				const offset = await stat(rawPath(mediaId)).then((st) => st.size, () => 0);
				return respondCreated(req, res, mediaId, offset);
			}
			// Different bytes under the same id: the half-sent old ones are useless, start over.
			await store.remove(mediaId).catch(() => undefined);
			deps.ledger?.release(mediaId);
		}
		// Over the cap on unfinished bytes: refused before anything is written (the device keeps the photo).
		deps.ledger?.reserve(mediaId, { uploader: principal.sub, address: req.socket.remoteAddress ?? '', length });
		await tus.handle(req, res);
		if (res.statusCode >= 400 && !(await store.configstore.get(mediaId))) deps.ledger?.release(mediaId);
	}

	async function resume(req: IncomingMessage, res: ServerResponse, principal: Principal, id: string): Promise<void> {
		const media = (await finishing.get(id)?.catch(() => null)) ?? (await deps.getMedia(id));
		if (media) {
			if (media.authorId !== principal.sub) throw notOwner();
			return answerFinished(req, res, media);
		}
		const info = await store.configstore.get(id);
		if (info) {
			if (info.metadata?.uploader !== principal.sub) throw notOwner();
			if (req.method === 'PATCH' && Number(req.headers['content-length'] ?? 0) > deps.chunkMaxBytes) {
				throw rejectionError('media_too_large', `Send the photo in pieces of at most ${deps.chunkMaxBytes} bytes.`);
			}
			if (req.method === 'HEAD') {
				// All bytes arrived but the photo was never checked (the server stopped while processing):
				// finish it now rather than telling the device "complete" for a photo that does not exist.
				const offset = await stat(rawPath(id)).then((s) => s.size, () => -1);
				if (info.size !== undefined && offset === info.size) return answerFinished(req, res, await finishUpload(id));
			}
		}
		await tus.handle(req, res);
	}

	return {
		async handle(req: IncomingMessage, res: ServerResponse, id: string | null): Promise<void> {
			if (req.method === 'OPTIONS') return tus.handle(req, res);
			const principal = await deps.authenticate(req);
			principals.set(req, principal);
			checkTusHeaders(req);
			if (req.method === 'POST' && id === null) return create(req, res, principal);
			if (id !== null && (req.method === 'HEAD' || req.method === 'PATCH' || req.method === 'DELETE')) {
				return resume(req, res, principal, id);
			}
			throw new ApiError(id === null ? 405 : 404, id === null ? 'validation_failed' : 'not_found', `${req.method} is not part of the upload protocol here.`);
		},
		/** Lets running photo checks finish (their outcome is saved) before the process stops. */
		async close(): Promise<void> {
			await Promise.allSettled([...finishing.values()]);
		},
		tusHeaders
	};
}
