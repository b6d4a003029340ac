import { z } from 'zod';
import { ActorId, Id, IsoTime, TenantId } from './common';

/** Kept in limits.ts (no zod): the phone's photo pipeline reads them. */
export { MEDIA_LIMITS } from './limits';

const MEDIA_STATUSES = ['ready', 'rejected'] as const;

/** Written by the server only, once a photo's upload has finished and been checked. */
export const Media = z.strictObject({
	id: Id,
	reportId: Id,
	/** Set for a photo of a handling step (progress, result): the event that carries it. */
	eventId: Id.optional(),
	tenantId: TenantId,
	authorId: ActorId,
	status: z.enum(MEDIA_STATUSES),
	mime: z.string().optional(),
	width: z.number().int().positive().optional(),
	height: z.number().int().positive().optional(),
	bytes: z.number().int().nonnegative().optional(),
	/** Error code when rejected (media_not_image, media_too_large, media_too_many_pixels). */
	error: z.string().optional(),
	/** sha256 (hex) of the upload as received, before re-encoding: which bytes the photo was made from. */
	sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
	createdAt: IsoTime,
	_deleted: z.boolean().default(false)
});
export type Media = z.infer<typeof Media>;

/** tus upload metadata a device sends with each photo. */
export const UploadMetadata = z.object({ mediaId: Id, reportId: Id, eventId: Id.optional(), filetype: z.string().optional() });
