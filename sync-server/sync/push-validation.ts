import type { z } from 'zod';
import type { ErrorCode, Rejection } from '$lib/domain/errors';
import { photosRequiredFor } from '$lib/domain/limits';
import { MAX_PHOTOS, REPORT_SERVER_FIELDS, reportAuthorFields, type ReportInput } from '$lib/domain/report';
import type { TenantConfig } from '$lib/domain/tenant';

/**
 * Turning a refused document into one answer the device can show: a code (words for it live in the
 * app's i18n), a bilingual fallback message, and the path of the field a form can point at.
 */
const MESSAGES: Partial<Record<ErrorCode, string>> = {
	unknown_field: 'Có trường không được phép / The document has fields the server does not know',
	missing_category: 'Chưa chọn lĩnh vực / No category chosen',
	missing_location: 'Chưa có vị trí hoặc phường/xã / No location or ward given',
	unknown_category: 'Lĩnh vực không tồn tại / Unknown category',
	unknown_ward: 'Phường/xã không thuộc tỉnh / Ward or commune not in this province',
	too_many_photos: `Tối đa ${MAX_PHOTOS} ảnh / At most ${MAX_PHOTOS} photos`,
	not_owner: 'Không phải tài liệu của bạn / This document is not yours',
	server_field: 'Có trường chỉ máy chủ được ghi / The document carries fields only the server writes',
	report_immutable: 'Phản ánh đã gửi không sửa được / A sent report cannot be changed',
	read_only_collection: 'Chỉ máy chủ được ghi dữ liệu này / Only the server writes this collection',
	forbidden_scope: 'Không có quyền với tài liệu này / Not allowed for this document',
	validation_failed: 'Dữ liệu không hợp lệ / Invalid data',
	unknown_unit: 'Đơn vị không có trong danh sách đơn vị / Not one of the units of this tenant',
	transfer_source_required:
		'Chuyển phải nêu đơn vị chuyển đi, hoặc lãnh đạo chuyển cả phản ánh / A transfer names the unit handing over, or a leader moves the whole report',
	location_outside_ward:
		'Vị trí GPS không nằm trong phường/xã đã chọn / The GPS position is not in the chosen ward or commune',
	too_few_photos: 'Loại phản ánh này cần thêm ảnh / This category needs more photos',
	consent_required:
		'Cần sự đồng ý của người dân và tên hoặc số điện thoại của họ / The villager’s consent and their name or phone are required'
};

export function reject(id: string, code: ErrorCode, detail?: string, path?: (string | number)[]): Rejection {
	const base = MESSAGES[code] ?? code;
	return { id, code, message: detail ? `${base}: ${detail}` : base, ...(path ? { path } : {}) };
}

/** The id of a pushed document, whatever else is wrong with it. */
export function pushedId(doc: Record<string, unknown>): string {
	return typeof doc.id === 'string' ? doc.id : '';
}

type Issue = z.core.$ZodIssue;

/** The one code a failed parse is answered with; the most specific issue wins. */
export function rejectionFromIssues(id: string, issues: Issue[], input: Record<string, unknown>): Rejection {
	const unknown = issues.find((i) => i.code === 'unrecognized_keys');
	if (unknown && unknown.code === 'unrecognized_keys')
		// A few names are enough to find the field; a hostile document's every key would make a huge answer.
		return reject(id, 'unknown_field', unknown.keys.slice(0, 5).join(', ') + (unknown.keys.length > 5 ? ', …' : ''), [
			...unknown.path.map(pathKey),
			unknown.keys[0]
		]);

	const at = (field: string) => issues.find((i) => i.path[0] === field);
	const category = at('categoryCode');
	if (category && (typeof input.categoryCode !== 'string' || input.categoryCode.trim() === ''))
		return reject(id, 'missing_category', undefined, ['categoryCode']);

	const location = at('location');
	const loc = input.location as Record<string, unknown> | null | undefined;
	const noCoordinates =
		loc && typeof loc === 'object' && loc.source !== 'ward' && (loc.lat === undefined || loc.lng === undefined);
	if ((location && (loc === undefined || loc === null || noCoordinates)) || (at('wardCode') && input.wardCode === undefined))
		return reject(id, 'missing_location', undefined, [location ? 'location' : 'wardCode']);

	const photos = at('photoIds');
	if (photos && photos.code === 'too_big') return reject(id, 'too_many_photos', undefined, ['photoIds']);

	const ward = at('wardCode') ?? at('wardCodeSet');
	if (ward) return reject(id, 'unknown_ward', undefined, ward.path.map(pathKey));

	const first = issues[0];
	return reject(id, 'validation_failed', `${first.path.join('.')}: ${first.message}`, first.path.map(pathKey));
}

const pathKey = (k: PropertyKey) => (typeof k === 'number' ? k : String(k));

/** Server-only fields present on a document (a device must not send them for a new report). */
export function serverFieldsIn(doc: Record<string, unknown>): string[] {
	return REPORT_SERVER_FIELDS.filter((k) => doc[k] !== undefined);
}

/** Category and ward must exist in the tenant's configuration, in its code-set. */
export function checkTenantRefs(
	config: TenantConfig,
	id: string,
	r: { categoryCode: string; wardCode: string; wardCodeSet: string }
): Rejection | null {
	if (!config.categories.some((c) => c.code === r.categoryCode))
		return reject(id, 'unknown_category', r.categoryCode, ['categoryCode']);
	if (r.wardCodeSet !== config.codeSet || !config.adminUnits.some((u) => u.code === r.wardCode && u.codeSet === r.wardCodeSet))
		return reject(id, 'unknown_ward', `${r.wardCode} (${r.wardCodeSet})`, ['wardCode']);
	return null;
}

/** Whether a point agrees with a ward's boundary (domain/geo.ts `wardMatcher`); null: the ward has no shape. */
export type WardMatches = (wardCode: string, lat: number, lng: number) => boolean | null;

/**
 * What the form checks before "Gửi", checked again: the category's fewest photos, and coordinates
 * that agree with the ward (inside it, or near its edge: a phone's fix in another place, e.g. one
 * kept after the ward was picked by hand, would show handlers and the public a wrong position).
 */
export function checkPhotosAndPlace(
	config: TenantConfig,
	wardMatches: WardMatches | undefined,
	id: string,
	r: Pick<ReportInput, 'categoryCode' | 'wardCode' | 'location' | 'photoIds'>
): Rejection | null {
	const need = photosRequiredFor(config.categories.find((c) => c.code === r.categoryCode));
	if (r.photoIds.length < need) return reject(id, 'too_few_photos', `${r.photoIds.length} < ${need}`, ['photoIds']);
	if (r.location.source !== 'ward' && wardMatches?.(r.wardCode, r.location.lat, r.location.lng) === false)
		return reject(id, 'location_outside_ward', `${r.location.lat}, ${r.location.lng} / ${r.wardCode}`, ['location']);
	return null;
}

/**
 * Every unit an event names (the unit acted for, the targets of a transfer) must be one of the
 * tenant's: a report handed to a unit that does not exist would sit where nobody can see it.
 */
export function checkEventUnits(config: TenantConfig, id: string, e: { unitId?: string; unitIds?: string[] }): Rejection | null {
	const known = (u: string) => config.units.some((x) => x.id === u);
	if (e.unitId !== undefined && !known(e.unitId)) return reject(id, 'unknown_unit', e.unitId, ['unitId']);
	const i = (e.unitIds ?? []).findIndex((u) => !known(u));
	if (i >= 0) return reject(id, 'unknown_unit', e.unitIds![i], ['unitIds', i]);
	return null;
}

/** JSON with sorted keys, undefined dropped: two states are "the same" when these are equal. */
export function canonical(v: unknown): string {
	return JSON.stringify(v, (_k, val) =>
		val && typeof val === 'object' && !Array.isArray(val)
			? Object.fromEntries(Object.keys(val).sort().map((k) => [k, (val as Record<string, unknown>)[k]]))
			: val
	);
}

/** A pushed state as the store would hold it (RxDB may leave `_deleted` out when false). */
export function normalized(doc: Record<string, unknown>): Record<string, unknown> {
	return { ...doc, _deleted: doc._deleted === true };
}

export const sameState = (a: Record<string, unknown>, b: Record<string, unknown>) =>
	canonical(normalized(a)) === canonical(normalized(b));

/** The author fields of two report states differ (what the author wrote is written once). */
export function authorFieldsDiffer(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
	for (const k of Object.keys(reportAuthorFields)) if (canonical(a[k]) !== canonical(b[k])) return true;
	return (a._deleted === true) !== (b._deleted === true);
}
