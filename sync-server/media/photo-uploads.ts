import type { IncomingMessage } from 'node:http';
import type { ReportEvent } from '$lib/domain/event';
import { MEDIA_LIMITS, Media, UploadMetadata } from '$lib/domain/media';
import type { Report } from '$lib/domain/report';
import { OFFICIAL_ROLES, type Principal } from '$lib/domain/principal';
import { ApiError } from '../http/api-error';
import { canSeeReport } from '../access/scope';
import type { PhotoClaims } from './photo-claims';
import { processPhoto } from './photo-processing';
import { createTusUploads, mediaPaths, type MediaLog, type UploadPolicy } from './tus-uploads';
import type { UploadLedger } from './upload-ledger';

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

/** What the device is told when a finished photo was refused: status and words per code. */
export const PHOTO_REJECTIONS: Record<string, { status: number; message: string }> = {
	media_not_image: { status: 415, message: 'The file is not a photo, or it is damaged.' },
	media_too_large: { status: 413, message: 'The photo is too large.' },
	media_too_many_pixels: { status: 422, message: 'The photo has too many pixels.' }
};

const notOwner = () => new ApiError(403, 'not_owner', 'This photo upload belongs to someone else.');
const photoTaken = () => new ApiError(409, 'photo_taken', 'This photo id belongs to another report or step.');

type PhotoMeta = { id: string; reportId: string; eventId?: string; filetype?: string };

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

/** Report photos: named by report (and step), checked and re-encoded to WebP by sharp, recorded as Media. */
export function photoUploadPolicy(deps: Omit<UploadDeps, 'uploadDir' | 'authenticate' | 'chunkMaxBytes' | 'ledger' | 'log'>): UploadPolicy<Media, PhotoMeta> {
	return {
		path: UPLOADS_PATH,
		noun: 'photo',
		rejections: PHOTO_REJECTIONS,
		notAccepted: 'media_not_image',
		metadataHint: 'Upload-Metadata needs mediaId and reportId (UUIDs).',
		parseMetadata(raw) {
			const parsed = UploadMetadata.safeParse(raw);
			if (!parsed.success) return null;
			const { mediaId, ...rest } = parsed.data;
			return { id: mediaId, ...rest };
		},
		async permit(principal, meta) {
			// The declared type costs nothing to check and saves a weak uplink from sending a video;
			// the bytes are still checked when the upload finishes.
			if (meta.filetype && !(MEDIA_LIMITS.allowedMime as readonly string[]).includes(meta.filetype)) {
				throw new ApiError(415, 'media_not_image', `Files of type ${meta.filetype} are not accepted; send a photo.`);
			}
			await checkUploadPermission(deps, principal, { mediaId: meta.id, reportId: meta.reportId, eventId: meta.eventId });
		},
		sameTarget: (stored, meta) => stored.reportId === meta.reportId,
		getRecord: deps.getMedia,
		async finish({ id, rawPath, metadata, uploader, tenantId, sha256 }) {
			const paths = mediaPaths(deps.mediaDir, id);
			const result = await processPhoto(rawPath, {
				outPath: paths.photo,
				thumbPath: paths.thumb,
				maxBytes: deps.maxBytes,
				maxPixels: deps.maxPixels
			});
			const doc = Media.parse({
				id,
				reportId: metadata.reportId,
				...(metadata.eventId ? { eventId: metadata.eventId } : {}),
				tenantId,
				authorId: uploader,
				createdAt: new Date().toISOString(),
				...(sha256 ? { sha256 } : {}),
				_deleted: false,
				...(result.status === 'ready'
					? { status: 'ready', mime: result.mime, width: result.width, height: result.height, bytes: result.bytes }
					: { status: 'rejected', error: result.code })
			});
			await deps.saveMedia(doc);
			return doc;
		}
	};
}

/** tus uploads of report photos at /api/media/uploads. */
export function createUploadHandler(deps: UploadDeps) {
	return createTusUploads(deps, photoUploadPolicy(deps));
}
