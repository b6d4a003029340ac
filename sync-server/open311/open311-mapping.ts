import { z } from 'zod';
import type { PublicEvent, PublicReport } from '$lib/domain/public';
import { isClosed } from '$lib/domain/report-state';
import type { Category, TenantConfig } from '$lib/domain/tenant';
import { offsetMs } from '$lib/domain/work-calendar';

/**
 * Our documents as GeoReport v2 (wiki.open311.org/GeoReport_v2) reads them: categories are
 * services, reports are service requests. A request is built ONLY from the public projection of a
 * report (domain/public.ts: blurred place, phones masked, no author, no contact), never from the
 * stored report, so nothing private can reach another system through this mapping.
 * The zod schemas below are the JSON answers (the routes serialize through them; the OpenAPI
 * document is generated from them); the XML form is the same data (open311-xml.ts).
 */

export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Our one attribute: where the request is, as one of the tenant's communes (instead of lat/long). */
export const WARD_ATTRIBUTE = 'ward_code';

const text = z.string().nullable();
export const GeoService = z.object({
	service_code: z.string(),
	service_name: z.string(),
	description: text,
	metadata: z.boolean(),
	type: z.enum(['realtime', 'batch', 'blackbox']),
	keywords: text,
	group: text
});
export type GeoService = z.infer<typeof GeoService>;

export const GeoAttribute = z.object({
	variable: z.boolean(),
	code: z.string(),
	datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
	required: z.boolean(),
	datatype_description: text,
	order: z.number().int().nullable(),
	description: text,
	values: z.array(z.object({ key: z.string(), name: z.string() }))
});
export const GeoServiceDefinition = z.object({ service_code: z.string(), attributes: z.array(GeoAttribute) });
export type GeoServiceDefinition = z.infer<typeof GeoServiceDefinition>;

export const GeoRequest = z.object({
	service_request_id: z.string(),
	status: z.enum(['open', 'closed']),
	status_notes: text,
	service_name: text,
	service_code: z.string(),
	description: text,
	agency_responsible: text,
	service_notice: text,
	requested_datetime: z.string(),
	updated_datetime: text,
	expected_datetime: text,
	address: text,
	address_id: text,
	zipcode: text,
	lat: z.number().nullable(),
	long: z.number().nullable(),
	media_url: text
});
export type GeoRequest = z.infer<typeof GeoRequest>;

/** The answer to POST requests: the request's id at once (we create it while answering), and its token. */
export const GeoCreated = z.object({ service_request_id: z.string(), token: z.string(), service_notice: text, account_id: text });
export const GeoToken = z.object({ service_request_id: z.string(), token: z.string() });
export const GeoError = z.object({ code: z.number().int(), description: z.string() });

export const GeoDiscovery = z.object({
	changeset: z.string(),
	contact: z.string(),
	key_service: z.string(),
	endpoints: z.array(
		z.object({ specification: z.string(), url: z.string(), changeset: z.string(), type: z.enum(['production', 'test']), formats: z.array(z.string()) })
	)
});

/** An instant as ISO 8601 in the tenant's own offset (`2026-12-05T09:30:00+07:00`), never `Z`: what the spec's examples and a province's clerks read. */
export function isoInOffset(iso: string, utcOffset: string): string {
	const local = new Date(Date.parse(iso) + offsetMs({ utcOffset }));
	return local.toISOString().slice(0, 19) + utcOffset;
}

const nameOf = (x: { nameVi: string; nameEn: string }, locale: Locale) => (locale === 'en' ? x.nameEn : x.nameVi);

export function toService(c: Category, locale: Locale): GeoService {
	const photos = c.photosRequired ?? 0;
	return {
		service_code: c.code,
		service_name: nameOf(c, locale),
		description: photos
			? locale === 'en'
				? `Needs ${photos} photo(s): media_url`
				: `Cần ${photos} ảnh: media_url`
			: null,
		// Every service has the ward attribute (the alternative to lat/long).
		metadata: true,
		type: 'realtime',
		keywords: null,
		group: null
	};
}

export function toServiceDefinition(c: Category, tenant: Pick<TenantConfig, 'adminUnits'>, locale: Locale): GeoServiceDefinition {
	return {
		service_code: c.code,
		attributes: [
			{
				variable: true,
				code: WARD_ATTRIBUTE,
				datatype: 'singlevaluelist',
				required: false,
				datatype_description: locale === 'en' ? 'The commune or ward, when lat/long are not given' : 'Phường/xã, khi không gửi lat/long',
				order: 1,
				description: locale === 'en' ? 'Commune / ward' : 'Phường / xã',
				values: tenant.adminUnits.map((u) => ({ key: u.code, name: locale === 'en' ? u.nameEn : u.name }))
			}
		]
	};
}

export interface RequestContext {
	tenant: Pick<TenantConfig, 'nameVi' | 'nameEn' | 'adminUnits' | 'units' | 'categories'>;
	utcOffset: string;
	locale: Locale;
	/** `https://host` of this server: photo URLs are absolute. */
	origin: string;
}

/** The spec's answer: the latest words a staff member wrote for the public (the result's, once closed). */
function statusNotes(events: readonly PublicEvent[]): string | null {
	for (let i = events.length - 1; i >= 0; i--) if (events[i].publicNote) return events[i].publicNote!;
	return null;
}

export function serviceNotice(dueAt: string | undefined, ctx: Pick<RequestContext, 'utcOffset' | 'locale'>): string | null {
	if (!dueAt) return null;
	const due = isoInOffset(dueAt, ctx.utcOffset).slice(0, 16).replace('T', ' ');
	return ctx.locale === 'en' ? `To be handled by ${due}` : `Hạn xử lý: ${due}`;
}

/** One service request from a report's public projection and public timeline (ordered). */
export function toGeoRequest(r: PublicReport, events: readonly PublicEvent[], ctx: RequestContext): GeoRequest {
	const { tenant, utcOffset, locale } = ctx;
	const at = (iso: string | undefined) => (iso ? isoInOffset(iso, utcOffset) : null);
	const category = tenant.categories.find((c) => c.code === r.categoryCode);
	const ward = tenant.adminUnits.find((u) => u.code === r.wardCode);
	// The lead unit first: it answers for the request; the others coordinate.
	const unitIds = [...new Set([...(r.leadUnitId ? [r.leadUnitId] : []), ...r.assignedUnitIds])];
	const units = unitIds.map((id) => tenant.units.find((u) => u.id === id)).filter((u) => u !== undefined);
	const place = r.location.source === 'ward' ? null : r.location;
	const closed = isClosed(r.status);
	return {
		service_request_id: r.trackingCode ?? r.id,
		status: closed ? 'closed' : 'open',
		status_notes: statusNotes(events),
		service_name: category ? nameOf(category, locale) : null,
		service_code: r.categoryCode,
		description: r.description ? r.description.slice(0, 4000) : null,
		agency_responsible: units.length ? units.map((u) => nameOf(u, locale)).join(', ') : null,
		service_notice: closed ? null : serviceNotice(r.dueAt, ctx),
		requested_datetime: at(r.receivedAt)!,
		updated_datetime: at(r.updatedAt ?? r.receivedAt),
		expected_datetime: at(r.dueAt),
		address: [ward ? (locale === 'en' ? ward.nameEn : ward.name) : null, nameOf(tenant, locale)].filter(Boolean).join(', '),
		address_id: null,
		zipcode: null,
		lat: place ? place.lat : null,
		long: place ? place.lng : null,
		media_url: r.photoIds.length ? `${ctx.origin}/api/public/media/${r.photoIds[0]}` : null
	};
}
