import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { chmod, readFile, rm, stat } from 'node:fs/promises';
import { FileConfigstore, FileStore } from '@tus/file-store';
import { Metadata, Server, type Upload } from '@tus/server';
import type { ErrorCode } from '$lib/domain/errors';
import type { Principal } from '$lib/domain/principal';
import { ApiError } from '../http/api-error';
import { drain, TUS_RESUMABLE } from './http-util';
import { checkTusHeaders } from './tus-headers';
import type { UploadLedger } from './upload-ledger';

export type MediaLog = (level: 'error' | 'warn' | 'info', obj: object, msg: string) => void;

/** What the machinery needs whatever is uploaded. */
export interface TusDeps {
	uploadDir: string;
	authenticate(req: IncomingMessage): Promise<Principal>;
	maxBytes: number;
	chunkMaxBytes: number;
	/** Unfinished uploads per uploader and address (upload-ledger.ts): the caps on pending bytes. */
	ledger?: UploadLedger;
	/** The server's structured log (pino): nothing goes to stderr on its own. */
	log?: MediaLog;
}

/** What a finished upload becomes once checked: kept (`ready`) or refused with the code in `error`. */
export interface UploadRecord {
	id: string;
	authorId: string;
	status: string;
	error?: string;
	bytes?: number;
}

/** A finished upload handed to its policy: the bytes as they arrived and who sent them. */
export interface FinishedUpload {
	id: string;
	rawPath: string;
	/** Upload-Metadata as the device sent it (plus uploader, tenantId, address). */
	metadata: Record<string, string | null | undefined>;
	uploader: string;
	tenantId: string;
	/** Of the bytes as they arrived, before any re-encoding: proves what the stored file was made from. */
	sha256?: string;
}

/**
 * What differs between kinds of uploads (report photos, dossier files): what the metadata names,
 * who may upload under it, how a finished upload is checked, kept and recorded.
 */
export interface UploadPolicy<R extends UploadRecord, M extends { id: string }> {
	/** Where the uploads live (`/api/media/uploads`). */
	path: string;
	/** The word for one upload in messages ("photo", "file"). */
	noun: string;
	/** Refusals of a finished upload: status and words per code; `media_too_large` among them. */
	rejections: Record<string, { status: number; message: string }>;
	/** The code for bytes of a kind not accepted (also the fallback for an unknown code). */
	notAccepted: ErrorCode;
	/** The Upload-Metadata parsed, `id` being the upload's (made on the device); null when it is not valid. */
	parseMetadata(raw: Record<string, string | null | undefined>): M | null;
	/** Said when parseMetadata answers null. */
	metadataHint: string;
	/** Throws (ApiError) when the caller may not upload this; may claim the id for its owner. */
	permit(principal: Principal, meta: M): Promise<void>;
	/** Whether an unfinished upload (its stored metadata) was made for what this create names. */
	sameTarget(stored: Record<string, string | null | undefined>, meta: M): boolean;
	getRecord(id: string): Promise<R | null>;
	/** Checks the bytes, keeps what is kept and saves the record (ready or rejected); never leaves the record unsaved. */
	finish(upload: FinishedUpload): Promise<R>;
}

/**
 * Uploads may carry a resident's face, house, papers and (until re-encoded) the phone's EXIF location:
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

/** Where a stored photo (or page image) and its thumbnail are. */
export function mediaPaths(mediaDir: string, id: string) {
	return { photo: join(mediaDir, `${id}.webp`), thumb: join(mediaDir, `${id}.thumb.webp`) };
}

/**
 * tus uploads. @tus/server does the protocol; in front of it this checks what tus cannot know: who is
 * calling, whether they may upload under that id (the policy), and what happened to an upload that
 * already finished — so a device that lost a response (weak 4G) learns the outcome from a retry
 * instead of starting over or storing the file twice.
 */
export function createTusUploads<R extends UploadRecord, M extends { id: string }>(deps: TusDeps, policy: UploadPolicy<R, M>) {
	const { noun } = policy;
	const store = new PrivateFileStore({ directory: deps.uploadDir, configstore: new PrivateConfigstore(deps.uploadDir) });
	const principals = new WeakMap<IncomingMessage, Principal>();
	/** Finishing = checking and keeping; shared so a retry during processing waits for the same outcome. */
	const finishing = new Map<string, Promise<R>>();
	const rawPath = (id: string) => join(deps.uploadDir, id);

	function rejectionError(code: string | undefined, message?: string): ApiError {
		const known = code && code in policy.rejections ? code : policy.notAccepted;
		const words = policy.rejections[known] ?? { status: 415, message: `The ${noun} is not accepted.` };
		return new ApiError(words.status, known as ErrorCode, message ?? words.message);
	}
	const notOwner = () => new ApiError(403, 'not_owner', `This ${noun} upload belongs to someone else.`);

	const tus = new Server({
		path: policy.path,
		datastore: store,
		relativeLocation: true,
		maxSize: deps.maxBytes,
		// Same origin only: without this @tus/server answers every request with CORS `*`.
		allowedOrigins: () => false,
		// The upload id is the one made on the device, so a repeated "create" finds the same upload.
		namingFunction: (_req, metadata) => {
			const parsed = policy.parseMetadata(metadata ?? {});
			if (!parsed) throw new ApiError(400, 'validation_failed', policy.metadataHint);
			return parsed.id;
		},
		// Authentication happens before tus sees the request (so refusals are proper JSON); this hook
		// makes sure no tus request can get through without it.
		onIncomingRequest: async (req) => {
			const node = nodeRequest(req);
			if (!node || !principals.has(node)) throw new ApiError(401, 'unauthenticated', `Log in to send ${noun}s.`);
		},
		onUploadCreate: async (req, upload) => {
			const node = nodeRequest(req)!;
			const principal = principals.get(node)!;
			// The address counts towards the cap on unfinished bytes per address (upload-ledger.ts).
			return { metadata: { ...upload.metadata, uploader: principal.sub, tenantId: principal.tenantId, address: node.socket.remoteAddress ?? '' } };
		},
		onUploadFinish: async (_req, upload) => {
			const record = await finishUpload(upload.id);
			if (record.status === 'ready') return {};
			const err = rejectionError(record.error);
			return {
				status_code: err.status,
				headers: { 'Content-Type': 'application/json; charset=utf-8' },
				body: JSON.stringify(err.toBody())
			};
		},
		onResponseError: (req, err) => {
			const node = nodeRequest(req);
			// The phone dropped off mid-chunk: nobody is there to answer (logged once by the service).
			if (node && clientGone(node)) return undefined;
			if (err instanceof ApiError) return { status_code: err.status, body: JSON.stringify(err.toBody()) };
			if ('status_code' in err && err.status_code === 413) {
				return { status_code: 413, body: JSON.stringify(rejectionError('media_too_large').toBody()) };
			}
			if (!('status_code' in err)) {
				deps.log?.('error', { err }, `${noun} upload failed`);
				return { status_code: 500, body: JSON.stringify(new ApiError(500, 'server_error', 'The upload failed on the server.').toBody()) };
			}
			// tus's own refusals (no Tus-Resumable, a wrong Upload-Offset or Content-Type, no such upload)
			// come as plain text: give them the API's error shape, so the device has a code like elsewhere.
			const status = err.status_code;
			const code = status === 404 || status === 410 ? 'not_found' : status >= 500 ? 'server_error' : 'validation_failed';
			return { status_code: status, body: JSON.stringify(new ApiError(status, code, String(err.body ?? '').trim() || 'Upload refused.').toBody()) };
		}
	});

	function finishUpload(id: string): Promise<R> {
		const running = finishing.get(id);
		if (running) return running;
		const job = (async () => {
			const existing = await policy.getRecord(id);
			if (existing) return existing;
			const info = await store.configstore.get(id);
			const meta = info?.metadata ?? {};
			if (!info || !meta.uploader || !meta.tenantId || !policy.parseMetadata(meta)) {
				throw new ApiError(404, 'not_found', 'No such upload.');
			}
			const sha256 = await readFile(rawPath(id)).then((b) => createHash('sha256').update(b).digest('hex'), () => undefined);
			const record = await policy.finish({ id, rawPath: rawPath(id), metadata: meta, uploader: meta.uploader, tenantId: meta.tenantId, sha256 });
			// The raw upload goes (it may still carry EXIF with the resident's location); its small
			// record (size, uploader) stays, so a late HEAD can still be answered "complete".
			await rm(rawPath(id), { force: true });
			deps.ledger?.release(id);
			return record;
		})().finally(() => finishing.delete(id));
		finishing.set(id, job);
		return job;
	}

	/** An upload already checked: answer as tus would for a complete upload, or with the refusal. */
	async function answerFinished(req: IncomingMessage, res: ServerResponse, record: R): Promise<void> {
		if (req.method === 'PATCH') await drain(req);
		if (record.status === 'rejected') throw rejectionError(record.error);
		if (req.method === 'DELETE') throw new ApiError(403, 'forbidden_scope', `A stored ${noun} cannot be withdrawn here.`);
		const size = (await store.configstore.get(record.id))?.size ?? record.bytes ?? 0;
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
			.writeHead(201, tusHeaders({ Location: `${policy.path}/${id}`, 'Upload-Offset': offset, 'Content-Length': 0 }))
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
			throw rejectionError('media_too_large', `The ${noun} is ${length} bytes; at most ${deps.maxBytes} are accepted.`);
		}
		if (length === 0) throw rejectionError(policy.notAccepted, 'The file is empty.');

		let raw: Record<string, string | null>;
		try {
			raw = Metadata.parse(String(req.headers['upload-metadata'] ?? ''));
		} catch {
			throw new ApiError(400, 'validation_failed', 'Upload-Metadata is malformed.');
		}
		const meta = policy.parseMetadata(raw);
		if (!meta) throw new ApiError(400, 'validation_failed', policy.metadataHint);
		const { id } = meta;

		await policy.permit(principal, meta);

		await finishing.get(id)?.catch(() => undefined);
		const record = await policy.getRecord(id);
		if (record) {
			if (record.authorId !== principal.sub) throw notOwner();
			if (record.status === 'rejected') throw rejectionError(record.error);
			return respondCreated(req, res, id, length);
		}
		const previous = await store.configstore.get(id);
		if (previous) {
			if (previous.metadata?.uploader !== principal.sub) throw notOwner();
			// Same upload again (its "created" answer was lost): hand back the same upload; HEAD gives the offset.
			if (previous.size === length && policy.sameTarget(previous.metadata ?? {}, meta)) {
				const offset = await stat(rawPath(id)).then((st) => st.size, () => 0);
				return respondCreated(req, res, id, offset);
			}
			// Different bytes under the same id: the half-sent old ones are useless, start over.
			await store.remove(id).catch(() => undefined);
			deps.ledger?.release(id);
		}
		// Over the cap on unfinished bytes: refused before anything is written (the device keeps the file).
		deps.ledger?.reserve(id, { uploader: principal.sub, address: req.socket.remoteAddress ?? '', length });
		await tus.handle(req, res);
		if (res.statusCode >= 400 && !(await store.configstore.get(id))) deps.ledger?.release(id);
	}

	async function resume(req: IncomingMessage, res: ServerResponse, principal: Principal, id: string): Promise<void> {
		const record = (await finishing.get(id)?.catch(() => null)) ?? (await policy.getRecord(id));
		if (record) {
			if (record.authorId !== principal.sub) throw notOwner();
			return answerFinished(req, res, record);
		}
		const info = await store.configstore.get(id);
		if (info) {
			if (info.metadata?.uploader !== principal.sub) throw notOwner();
			if (req.method === 'PATCH' && Number(req.headers['content-length'] ?? 0) > deps.chunkMaxBytes) {
				throw rejectionError('media_too_large', `Send the ${noun} in pieces of at most ${deps.chunkMaxBytes} bytes.`);
			}
			if (req.method === 'HEAD') {
				// All bytes arrived but the upload was never checked (the server stopped while processing):
				// finish it now rather than telling the device "complete" for a file that does not exist.
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
		/** Lets running checks finish (their outcome is saved) before the process stops. */
		async close(): Promise<void> {
			await Promise.allSettled([...finishing.values()]);
		},
		tusHeaders
	};
}
export type TusUploads = ReturnType<typeof createTusUploads>;
