import { Contact } from '../domain/contact';
import { uuidv7 } from '../domain/uuid';
import type { ErrorCode } from '../domain/errors';
import { MAX_PHOTOS, photosRequiredFor } from '../domain/limits';
import { ReportInput } from '../domain/report';
import type { TenantConfig } from '../domain/tenant';
import type { Draft } from '../sync/local-db';

/**
 * Turns the form's draft into the documents the server will receive, checked with the very zod
 * schemas the server uses. Loaded when the resident taps "Gửi" (zod stays off the first load).
 */

/** What the form shows next to a field: an error code, or 'phone_invalid' for a mistyped number. */
export type FieldError = ErrorCode | 'phone_invalid';
export type FieldErrors = Partial<Record<'category' | 'location' | 'photos' | 'description' | 'phone' | 'name', FieldError>>;

export interface BuiltReport {
	report?: ReportInput;
	contact?: Contact;
	errors: FieldErrors;
}

/** Builds the documents a draft becomes and checks them with the shared schemas; nothing is saved. */
export function buildReport(
	draft: Draft,
	ctx: { tenant: Pick<TenantConfig, 'id' | 'codeSet' | 'categories' | 'adminUnits'>; authorId: string; now?: number }
): BuiltReport {
	const errors: FieldErrors = {};
	const createdAt = new Date(ctx.now ?? Date.now()).toISOString();
	const candidate = {
		id: draft.id,
		tenantId: ctx.tenant.id,
		authorId: ctx.authorId,
		categoryCode: draft.categoryCode,
		description: draft.description,
		location: draft.location,
		wardCode: draft.wardCode,
		wardCodeSet: ctx.tenant.codeSet,
		photoIds: draft.photoIds,
		createdAt,
		...(draft.assistedBy ? { assistedBy: draft.assistedBy } : {})
	};
	const parsed = ReportInput.safeParse(candidate);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const field = issue.path[0];
			if (field === 'categoryCode') errors.category ??= 'missing_category';
			else if (field === 'location' || field === 'wardCode') errors.location ??= 'missing_location';
			else if (field === 'photoIds') errors.photos ??= 'too_many_photos';
			else if (field === 'description') errors.description ??= 'validation_failed';
			else errors.description ??= 'validation_failed';
		}
	}
	// The schema knows the shape; the tenant knows which categories and wards exist.
	if (draft.categoryCode && !ctx.tenant.categories.some((c) => c.code === draft.categoryCode)) errors.category = 'unknown_category';
	if (draft.wardCode && !ctx.tenant.adminUnits.some((u) => u.code === draft.wardCode)) errors.location = 'unknown_ward';
	if (draft.photoIds.length > MAX_PHOTOS) errors.photos = 'too_many_photos';
	// The category says how many photos it needs (tenant data); the server refuses fewer.
	const category = ctx.tenant.categories.find((c) => c.code === draft.categoryCode);
	if (category && draft.photoIds.length < photosRequiredFor(category)) errors.photos = 'too_few_photos';

	let contact: Contact | undefined;
	const name = draft.name.trim();
	const phone = draft.phone.trim();
	if (name || phone) {
		const c = Contact.safeParse({
			id: uuidv7(ctx.now),
			reportId: draft.id,
			tenantId: ctx.tenant.id,
			authorId: ctx.authorId,
			...(name ? { name } : {}),
			...(phone ? { phone } : {})
		});
		if (c.success) contact = c.data;
		else if (c.error.issues.some((i) => i.path[0] === 'phone')) errors.phone = 'phone_invalid';
		else errors.name = 'validation_failed';
	}
	if (Object.keys(errors).length || !parsed.success) return { errors };
	return { report: parsed.data, contact, errors };
}

