import { z } from 'zod';
import { ActorRole, EventType, type ReportEvent } from './event';
import { OFFICIAL_ROLES } from './principal';
import { Location, Report, ReportStatus } from './report';
import { Id, IsoTime, TenantId, UnitId } from './common';
import { redactPhones } from './redact';

/**
 * What anyone may read about a report: the public pages, the map and the device's offline cache of
 * an area's reports. Built by an allow-list projection, so a field added to Report or ReportEvent
 * later stays private until someone adds it here. No author, no verified person, no volunteer, no
 * contact, and nothing a resident wrote after filing (their answers and rating notes may name them).
 * Words go public only where someone meant them to: the report's description, and the text a staff
 * member wrote for the public on a step (`publicNote`, shown to them before sending) — never a
 * step's `note`. Phone numbers typed into either are masked here (redact.ts), for every reader.
 *
 *   GET /api/public/reports?ward=<code>[&since=<updatedAt>][&limit=<n>]  -> PublicReportPage
 *   GET /api/public/reports/:id                                          -> PublicReportDetail
 *   GET /api/public/media/:id[?size=thumb]                               -> the photo of a public report
 */

/**
 * A report's place as the public reads it: the report's own, or for a category the tenant blurs,
 * the centre of the grid cell the point falls in, with the cell's size (`approxM`) so the map draws
 * an approximate area instead of a pin, and no GPS accuracy.
 */
export const PublicLocation = z.discriminatedUnion('source', [
	z.strictObject({
		source: z.enum(['gps', 'exif', 'map']),
		lat: z.number().min(-90).max(90),
		lng: z.number().min(-180).max(180),
		accuracyM: z.number().nonnegative().optional(),
		approxM: z.number().positive().optional()
	}),
	z.strictObject({ source: z.literal('ward') })
]);
export type PublicLocation = z.infer<typeof PublicLocation>;

const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LNG_EQUATOR = 111_320;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The point snapped to the centre of its cell in a grid of `sizeM` metres: the same answer for the
 * same point every time (a random jitter, averaged over many requests, would give the point away),
 * and the same for every house in one cell. At most half a cell's diagonal (~0.71 × sizeM) away.
 */
export function blurLocation(loc: Location, sizeM: number | undefined): PublicLocation {
	if (loc.source === 'ward' || !sizeM || sizeM <= 0) return loc;
	const latStep = sizeM / M_PER_DEG_LAT;
	const lat = (Math.floor(loc.lat / latStep) + 0.5) * latStep;
	// Cells as wide as they are tall at the cell's own latitude (not the point's: one grid per row).
	const lngStep = sizeM / (M_PER_DEG_LNG_EQUATOR * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
	const lng = (Math.floor(loc.lng / lngStep) + 0.5) * lngStep;
	return { source: loc.source, lat: round6(lat), lng: round6(lng), approxM: sizeM };
}

export const PublicReport = z.strictObject({
	id: Id,
	tenantId: TenantId,
	trackingCode: z.string().optional(),
	categoryCode: z.string(),
	description: z.string(),
	location: PublicLocation,
	wardCode: z.string(),
	photoIds: z.array(Id),
	receivedAt: IsoTime.optional(),
	status: ReportStatus.optional(),
	assignedUnitIds: z.array(UnitId),
	/** The lead unit (chủ trì); the others coordinate. A unit is public, never a person. */
	leadUnitId: UnitId.optional(),
	seenByUnitIds: z.array(UnitId),
	dueAt: IsoTime.optional(),
	overdueAt: IsoTime.optional(),
	updatedAt: IsoTime.optional()
});
export type PublicReport = z.infer<typeof PublicReport>;

export const PublicEvent = z.strictObject({
	id: Id,
	reportId: Id,
	type: EventType,
	/** Who acted, as a role and a unit, never a person. */
	actorRole: ActorRole.extract(['resident', 'handler', 'leader', 'system']),
	unitId: UnitId.optional(),
	unitIds: z.array(UnitId).optional(),
	/** A staff step's public text, phones masked. Never its private `note`, nor a resident's words. */
	publicNote: z.string().optional(),
	photoIds: z.array(Id).optional(),
	satisfied: z.boolean().optional(),
	/** Server clock. */
	at: IsoTime
});
export type PublicEvent = z.infer<typeof PublicEvent>;

/** A timeline event for readers who may read everything about the report: the private words too. */
export type TimelineEvent = PublicEvent & { note?: string };

export const PublicReportDetail = z.strictObject({ report: PublicReport, events: z.array(PublicEvent) });
export type PublicReportDetail = z.infer<typeof PublicReportDetail>;

export const PublicReportPage = z.strictObject({
	reports: z.array(PublicReport),
	/** Pass back as `since` for the next page; null when there is nothing newer. */
	next: z.string().nullable()
});
export type PublicReportPage = z.infer<typeof PublicReportPage>;

const STAFF_ROLES: ReadonlySet<string> = new Set(OFFICIAL_ROLES);

/** `blurM`: the tenant's `publicLocationBlurM` for the report's category, if it has one. */
export function toPublicReport(r: Report, blurM?: number): PublicReport {
	return {
		id: r.id,
		tenantId: r.tenantId,
		...(r.trackingCode ? { trackingCode: r.trackingCode } : {}),
		categoryCode: r.categoryCode,
		description: redactPhones(r.description),
		location: blurLocation(r.location, blurM),
		wardCode: r.wardCode,
		photoIds: r.photoIds,
		...(r.receivedAt ? { receivedAt: r.receivedAt } : {}),
		...(r.status ? { status: r.status } : {}),
		assignedUnitIds: r.assignedUnitIds ?? [],
		...(r.leadUnitId ? { leadUnitId: r.leadUnitId } : {}),
		seenByUnitIds: r.seenByUnitIds ?? [],
		...(r.dueAt ? { dueAt: r.dueAt } : {}),
		...(r.overdueAt ? { overdueAt: r.overdueAt } : {}),
		...(r.updatedAt ? { updatedAt: r.updatedAt } : {})
	};
}

export function toPublicEvent(e: ReportEvent): PublicEvent {
	const staff = STAFF_ROLES.has(e.actorRole);
	return {
		id: e.id,
		reportId: e.reportId,
		type: e.type,
		actorRole: e.actorRole === 'admin' ? 'leader' : e.actorRole === 'volunteer' ? 'resident' : e.actorRole,
		...(e.unitId ? { unitId: e.unitId } : {}),
		...(e.unitIds ? { unitIds: e.unitIds } : {}),
		...(staff && e.publicNote ? { publicNote: redactPhones(e.publicNote) } : {}),
		...(staff && e.photoIds?.length ? { photoIds: e.photoIds } : {}),
		...(typeof e.satisfied === 'boolean' ? { satisfied: e.satisfied } : {}),
		at: e.serverAt ?? e.at
	};
}

/**
 * The same shape for people who may read everything about the report (its handlers, its author):
 * the private note and the resident's own words and photos are kept, and the public text as the
 * public reads it.
 */
export function toTimelineEvent(e: ReportEvent): TimelineEvent {
	return {
		...toPublicEvent(e),
		...(e.note ? { note: e.note } : {}),
		...(e.photoIds?.length ? { photoIds: e.photoIds } : {})
	};
}
