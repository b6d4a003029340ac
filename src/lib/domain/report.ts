import { z } from 'zod';
import { AdminCode, ActorId, CodeSet, Id, IsoTime, TenantId, UnitId } from './common';
import { MAX_DESCRIPTION, MAX_PHOTOS } from './limits';

/** Defined in a zod-free module so the report form's first load does not pull zod in. */
export { MAX_PHOTOS };

export const Location = z.discriminatedUnion('source', [
	/** From the device's GPS, read from the photo's EXIF when there was no fix, or a pin placed on the map by hand. */
	z.strictObject({
		source: z.enum(['gps', 'exif', 'map']),
		lat: z.number().min(-90).max(90),
		lng: z.number().min(-180).max(180),
		accuracyM: z.number().nonnegative().optional()
	}),
	/** No coordinates: the resident picked the ward/commune from a list. */
	z.strictObject({ source: z.literal('ward') })
]);
export type Location = z.infer<typeof Location>;

const REPORT_STATUSES = [
	'received',
	'assigned',
	'in_progress',
	'resolved',
	'invalid',
	'reopened',
	/** Closed by its author (`withdrawn` event): nothing left to handle. */
	'withdrawn',
	/** Its author contested the "invalid" decision: a leader upholds it or reopens it (report-state.ts). */
	'contested'
] as const;
export const ReportStatus = z.enum(REPORT_STATUSES);
export type ReportStatus = z.infer<typeof ReportStatus>;

/** What the author writes, once. */
export const reportAuthorFields = {
	id: Id,
	tenantId: TenantId,
	authorId: ActorId,
	categoryCode: z.string().min(1, { message: 'missing_category' }).max(60),
	description: z.string().trim().max(MAX_DESCRIPTION),
	location: Location,
	wardCode: AdminCode,
	wardCodeSet: CodeSet,
	photoIds: z.array(Id).max(MAX_PHOTOS),
	/** Device clock: recorded, never trusted for ordering or the SLA clock. */
	createdAt: IsoTime,
	/** Set when a community digital-tech volunteer files for a villager. */
	assistedBy: ActorId.optional()
};

/** What only the server writes: derived from events and the server clock. */
const reportServerFields = {
	trackingCode: z.string().optional(),
	receivedAt: IsoTime.optional(),
	status: ReportStatus.optional(),
	assignedUnitIds: z.array(UnitId).optional(),
	/**
	 * The lead unit (chủ trì), one of assignedUnitIds: its result closes the report; the others
	 * coordinate (domain/lead-unit.ts). Set by routing, moved by transfers; a report stored before it
	 * existed has none: its first assigned unit leads.
	 */
	leadUnitId: UnitId.optional(),
	dueAt: IsoTime.optional(),
	seenByUnitIds: z.array(UnitId).optional(),
	/**
	 * Assigned units that took a step since the report was last (re)opened (report-state.ts
	 * ACTED_TYPES): the operations centre's "who has not acted" are the others.
	 */
	actedByUnitIds: z.array(UnitId).optional(),
	/** Units the report was transferred away from: their devices are told to drop it (and its contact). */
	formerUnitIds: z.array(UnitId).optional(),
	/** Server clock when the report passed its due time unresolved (the overdue job's `overdue` event). */
	overdueAt: IsoTime.optional(),
	/**
	 * The verified resident (`person:<uuid>`) the report belongs to: set by the server when the author's
	 * device, or the phone of an assisted filing's villager, is verified by a one-time code.
	 */
	personId: ActorId.optional(),
	/** Server time of the first official answer (report-state.ts): the operations centre's response time. */
	firstResponseAt: IsoTime.optional(),
	/** Server time of the resolution in force (cleared by a reopening). */
	resolvedAt: IsoTime.optional(),
	/** How many times it was reopened ("closed but not fixed"). */
	reopenCount: z.number().int().min(0).max(1000).optional(),
	/** The author's latest rating. */
	satisfied: z.boolean().optional(),
	/**
	 * The other system that filed the report through its API key (Open311 GeoReport v2,
	 * sync-server/open311): the key's id and the system's name as the admin gave it. Staff see it;
	 * the public projection (public.ts) never copies it.
	 */
	filedVia: z.strictObject({ keyId: z.string().min(1).max(60), system: z.string().min(1).max(80) }).optional(),
	updatedAt: IsoTime.optional()
};
export const REPORT_SERVER_FIELDS = Object.keys(reportServerFields) as (keyof typeof reportServerFields)[];

export const Report = z.strictObject({
	...reportAuthorFields,
	...reportServerFields,
	_deleted: z.boolean().default(false)
});
export type Report = z.infer<typeof Report>;

/** What a device may push for a new report: no server fields. */
export const ReportInput = z.strictObject({ ...reportAuthorFields, _deleted: z.boolean().default(false) });
export type ReportInput = z.infer<typeof ReportInput>;
