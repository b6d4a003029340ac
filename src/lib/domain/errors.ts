/**
 * Error codes the server answers with and the device shows. The words for each are in
 * `$lib/i18n/error-messages.ts` and `error-messages.en.ts` (errors.<code>); both sides import this list, so a code cannot drift.
 */
export const ERROR_CODES = [
	'validation_failed',
	'unknown_field',
	'missing_category',
	'unknown_category',
	'missing_location',
	'unknown_ward',
	'too_many_photos',
	'not_owner',
	'forbidden_scope',
	'read_only_collection',
	'report_immutable',
	'report_closed',
	'transition_forbidden',
	'server_field',
	'unknown_collection',
	'not_found',
	'unauthenticated',
	'token_expired',
	'token_invalid',
	'bad_credentials',
	'rate_limited',
	'media_not_image',
	'media_too_large',
	'media_too_many_pixels',
	'media_unknown_report',
	'otp_invalid',
	'otp_expired',
	'otp_used',
	'otp_locked',
	'consent_required',
	'photo_taken',
	'media_quota',
	'transfer_source_required',
	'unknown_unit',
	'unknown_tenant',
	'location_outside_ward',
	'too_few_photos',
	'tracking_code_invalid',
	'tracking_code_unknown',
	'already_contested',
	'contest_pending',
	'part_already_reported',
	'office_closed',
	'service_not_offered',
	'slot_unavailable',
	'slot_full',
	'ticket_limit',
	'tickets_sold_out',
	'counter_not_signed_in',
	'counter_taken',
	'queue_empty',
	'ticket_state',
	'ticket_not_finished',
	'already_rated',
	'rating_reason_required',
	'settings_changed',
	'settings_break_tickets',
	'dossier_code_invalid',
	'dossier_unknown',
	'import_invalid',
	'procedure_not_online',
	'form_invalid',
	'document_missing',
	'application_unknown',
	'application_state',
	'file_not_document',
	'api_key_invalid',
	'zoning_none',
	'parcel_unknown',
	'zoning_import_rejected',
	'storage_full',
	'storage_evicted',
	'server_error',
	'network'
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(x: unknown): x is ErrorCode {
	return typeof x === 'string' && (ERROR_CODES as readonly string[]).includes(x);
}

/** The body of every error response: `{ error: { code, message, details? } }`. */
export interface ApiError {
	code: ErrorCode;
	message: string;
	details?: unknown;
}

/**
 * A document the server refused, answered per document in a push: part of the push answer, so its
 * schema lives with the protocol. Only the type comes here, so this file stays free of zod for the
 * service worker (which imports isErrorCode).
 */
export type { Rejection } from './sync-protocol';
