import { z } from 'zod';
import { Phone, uuidv7 } from '$lib/domain/common';
import type { Contact } from '$lib/domain/contact';
import { MAX_DESCRIPTION, photosRequiredFor } from '$lib/domain/limits';
import type { Location, Report, ReportInput } from '$lib/domain/report';
import type { TenantConfig } from '$lib/domain/tenant';
import type { ApiKeyCaller } from '../api-keys/api-keys.service';
import { ApiError } from '../http/api-error';
import type { ReportIntake } from '../reports/report-intake.service';
import type { Store } from '../storage/storage';
import type { WardMatches } from '../sync/push-validation';

/**
 * A service request filed by another system (POST requests) becomes a report through the same
 * intake as a resident's (routing to units, due time, tracking code, its first events), after the
 * checks a resident's device gets from the form and the server: a known category, a place inside
 * the province (coordinates found in a commune's boundary, or a commune chosen), the category's
 * photos. The person's name, phone and e-mail go to the report's private contact document, which
 * only the report's handlers read; the report records which system filed it (`filedVia`).
 */

/** The form's fields (GeoReport v2 POST Service Request); empty fields were dropped by the parser. */
export const RequestForm = z.object({
	api_key: z.string().max(200).optional(),
	jurisdiction_id: z.string().max(60).optional(),
	service_code: z.string().min(1).max(60),
	lat: z.coerce.number().min(-90).max(90).optional(),
	long: z.coerce.number().min(-180).max(180).optional(),
	address_string: z.string().max(500).optional(),
	address_id: z.string().max(100).optional(),
	email: z.string().max(254).optional(),
	device_id: z.string().max(100).optional(),
	account_id: z.string().max(100).optional(),
	first_name: z.string().max(60).optional(),
	last_name: z.string().max(60).optional(),
	phone: z.string().max(30).optional(),
	description: z.string().max(MAX_DESCRIPTION).optional(),
	media_url: z.string().max(500).optional(),
	/** The language of the answer's service_notice (the spec's locale, as on the reading calls). */
	locale: z.enum(['vi', 'en']).default('vi'),
	/** Our one attribute (open311-mapping.ts WARD_ATTRIBUTE): a commune, the alternative to lat/long. */
	'attribute[ward_code]': z.string().max(10).optional()
});
export type RequestForm = z.infer<typeof RequestForm>;

/** The author id of a report a system filed: not a person, nor a device; no token ever carries it. */
export const systemActorId = (keyId: string) => `system:${keyId}`;

const bad = (message: string) => new ApiError(400, 'validation_failed', message);

export interface MediaLinks {
	/** The photo id a `media_url` names, if it is a finished, unused upload of this key on this server (`origin`); else throws 400. */
	photoIdOf(url: string, keyId: string, origin: string): Promise<string>;
	/** Makes the uploaded photo the report's own (its claim, then its Media document), before the report is stored. */
	attach(photoId: string, report: ReportInput): Promise<void>;
}

export interface Open311IntakeDeps {
	tenant: TenantConfig;
	intake: ReportIntake;
	contacts: Store<Contact>;
	/** The commune whose boundary holds a point (domain/geo.ts wardLocator). */
	locate(lat: number, lng: number): { code: string } | null;
	wardMatches?: WardMatches;
	media?: MediaLinks;
	now?: () => Date;
}

function placeOf(deps: Open311IntakeDeps, form: RequestForm): { location: Location; wardCode: string } {
	const wardAttr = form['attribute[ward_code]'];
	if (wardAttr !== undefined && !deps.tenant.adminUnits.some((u) => u.code === wardAttr && u.codeSet === deps.tenant.codeSet))
		throw bad(`Mã phường/xã ${wardAttr} không thuộc tỉnh / The ward_code ${wardAttr} is not a commune of this province`);
	if ((form.lat === undefined) !== (form.long === undefined))
		throw bad('Cần cả lat và long / Both lat and long are needed');
	if (form.lat === undefined || form.long === undefined) {
		if (wardAttr === undefined)
			throw bad(
				'Thiếu vị trí: gửi lat/long hoặc attribute[ward_code] (address_string không đủ để định vị) / Missing location: send lat/long or attribute[ward_code] (address_string alone cannot be placed)'
			);
		return { location: { source: 'ward' }, wardCode: wardAttr };
	}
	const { lat, long: lng } = form;
	const found = deps.locate(lat, lng)?.code;
	if (wardAttr !== undefined && found !== wardAttr && deps.wardMatches?.(wardAttr, lat, lng) === false)
		throw bad(`lat/long không nằm trong phường/xã ${wardAttr} / lat/long are not in the commune ${wardAttr}`);
	const wardCode = wardAttr ?? found;
	if (!wardCode) throw bad('lat/long nằm ngoài tỉnh / lat/long are outside this province');
	// A point from another system is a point given, not a fix this app measured.
	return { location: { source: 'map', lat, lng }, wardCode };
}

/** The private contact: name (and e-mail, which our contact has no field of its own for) and phone. */
function contactOf(form: RequestForm, report: Pick<Report, 'id' | 'tenantId' | 'authorId'>): Contact | null {
	const name = [form.first_name, form.last_name].filter(Boolean).join(' ').trim();
	if (form.email !== undefined && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(form.email)) throw bad('email không đúng dạng / email is not an address');
	const phone = form.phone === undefined ? undefined : Phone.safeParse(form.phone);
	if (phone && !phone.success) throw bad('Số điện thoại không đúng dạng / phone is not a Vietnamese phone number');
	const named = [name, form.email ? `<${form.email}>` : ''].filter(Boolean).join(' ').slice(0, 120);
	if (!named && !phone) return null;
	return {
		id: uuidv7(),
		reportId: report.id,
		tenantId: report.tenantId,
		authorId: report.authorId,
		...(named ? { name: named } : {}),
		...(phone?.success ? { phone: phone.data } : {}),
		_deleted: false
	};
}

export function createOpen311Intake(deps: Open311IntakeDeps) {
	const now = deps.now ?? (() => new Date());
	return {
		/** Files the request; answers the stored report (routed, with its tracking code). Throws ApiError 400/404 on bad input. */
		async file(form: RequestForm, caller: ApiKeyCaller, origin: string): Promise<Report> {
			const category = deps.tenant.categories.find((c) => c.code === form.service_code);
			if (!category) throw new ApiError(404, 'unknown_category', `Không có dịch vụ ${form.service_code} / Unknown service_code ${form.service_code}`);
			const place = placeOf(deps, form);
			let photoId: string | null = null;
			if (form.media_url !== undefined) {
				if (!deps.media) throw bad('media_url phải là ảnh đã tải lên máy chủ này / media_url must be a photo uploaded to this server');
				photoId = await deps.media.photoIdOf(form.media_url, caller.keyId, origin);
			}
			const needed = photosRequiredFor(category);
			if ((photoId ? 1 : 0) < needed)
				throw bad(`Dịch vụ này cần ${needed} ảnh (media_url) / This service needs ${needed} photo(s) (media_url)`);
			const description = [form.description?.trim(), form.address_string ? `Địa chỉ / Address: ${form.address_string.trim()}` : '']
				.filter(Boolean)
				.join('\n')
				.slice(0, MAX_DESCRIPTION);
			const input: ReportInput = {
				id: uuidv7(),
				tenantId: deps.tenant.id,
				authorId: systemActorId(caller.keyId),
				categoryCode: category.code,
				description,
				...place,
				wardCodeSet: deps.tenant.codeSet,
				photoIds: photoId ? [photoId] : [],
				createdAt: now().toISOString(),
				_deleted: false
			};
			const contact = contactOf(form, input);
			// The photo is claimed for this report before it is stored: a media_url sent twice at once files one request with it.
			if (photoId) await deps.media!.attach(photoId, input);
			const [{ report }] = await deps.intake.intakeMany([input], { filedVia: { keyId: caller.keyId, system: caller.name } });
			if (contact) {
				const [res] = await deps.contacts.bulkPut([{ doc: contact, rev: null }]);
				if (!res.ok) throw new Error(`Could not store the contact of ${report.id}: ${res.error}`);
			}
			return report;
		}
	};
}
export type Open311Intake = ReturnType<typeof createOpen311Intake>;
