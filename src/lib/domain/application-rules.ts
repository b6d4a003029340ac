import type { ApplicationStatus, DossierApplication } from './dossier-application';
import { MEDIA_LIMITS } from './limits';
import { canonicalPhone } from './phone';
import type { Procedure, ProcedureField } from './procedure';
import { isRealDate } from './work-calendar';

/**
 * The rules of an online application without zod (dossier-application.ts has its schemas): the
 * filing page checks what the resident types with them on a cheap phone without loading zod, and
 * the server runs the very same functions (the schemas are built on them).
 */

/** Files of one application: pages are photos (re-encoded like report photos) or PDF files, kept as sent. */
export const DOSSIER_FILE_LIMITS = {
	/** A page photo or a PDF, as uploaded. */
	maxBytes: 10 * 1024 * 1024,
	/** Pages (files) of one document. */
	maxPagesPerDocument: 10,
	/** Files of one application, answers included. */
	maxFiles: 60,
	allowedMime: [...MEDIA_LIMITS.allowedMime, 'application/pdf'] as readonly string[]
} as const;

/** A PDF is known by its bytes, never by its name or declared type: `%PDF-` at the start, `%%EOF` near the end. */
export function looksLikePdf(head: Uint8Array, tail: Uint8Array): boolean {
	const ascii = (b: Uint8Array) => String.fromCharCode(...b);
	return ascii(head.subarray(0, 5)) === '%PDF-' && ascii(tail).includes('%%EOF');
}


/** Which statuses allow which move; anything else is `application_state`. */
export const APPLICATION_MOVES: Record<ApplicationStatus, readonly ('ask' | 'accept' | 'refuse' | 'answer' | 'withdraw')[]> = {
	submitted: ['ask', 'accept', 'refuse', 'withdraw'],
	needs_documents: ['answer', 'refuse', 'withdraw'],
	accepted: [],
	refused: [],
	withdrawn: []
};

/** Whether a value fits its field (a required field may not be empty; an optional one is checked when given). */
export function fieldValueOk(f: ProcedureField, raw: string | undefined): boolean {
	const value = (raw ?? '').trim();
	if (!value) return !f.required;
	switch (f.kind) {
		case 'text':
			return value.length <= 200;
		case 'longtext':
			return value.length <= 2000;
		case 'number':
			// Whole or with a decimal part, as people write it here: "120,5" or "120.5" (m², metres).
			return /^\d{1,12}([.,]\d{1,3})?$/.test(value);
		case 'date':
			return /^\d{4}-\d{2}-\d{2}$/.test(value) && isRealDate(value);
		case 'id_number':
			// The citizen identity card (CCCD) has 12 digits; the old identity card (CMND) 9.
			return /^(\d{9}|\d{12})$/.test(value);
		case 'phone':
			return canonicalPhone(value) !== null;
		case 'select':
			return (f.options ?? []).some((o) => o.value === value);
	}
}

/** The keys of the form that do not fit the procedure: a field's value that does not fit, or a key the procedure has not. */
export function formProblems(fields: readonly ProcedureField[], form: Record<string, string | undefined>): string[] {
	const known = new Set(fields.map((f) => f.key));
	return [...fields.filter((f) => !fieldValueOk(f, form[f.key])).map((f) => f.key), ...Object.keys(form).filter((k) => !known.has(k))];
}

/** Why an application cannot go to the office as it is: each problem a code the device words. */
export type ApplicationProblem =
	| { code: 'procedure_not_online' }
	| { code: 'form_invalid'; fields: string[] }
	| { code: 'document_missing'; indexes: number[] }
	| { code: 'validation_failed'; message: string };

/** Documents the resident must give: those the procedure asks for in every case (no `whenVi`). */
export function requiredDocumentIndexes(p: Pick<Procedure, 'documents'>): number[] {
	return p.documents.flatMap((d, i) => (d.whenVi ? [] : [i]));
}


/**
 * Checks an application against its procedure, the same on the phone (before it is queued) and on the
 * server (before it is stored): filed online at all, the form's fields, the documents' indexes, every
 * required document given, each file once, not too many files.
 */
export function checkApplication(a: Pick<DossierApplication, 'form' | 'documents'>, p: Procedure): ApplicationProblem[] {
	if (p.online === 'none') return [{ code: 'procedure_not_online' }];
	const problems: ApplicationProblem[] = [];
	const fields = formProblems(p.fields, a.form);
	if (fields.length) problems.push({ code: 'form_invalid', fields });
	const given = new Set(a.documents.map((d) => d.index));
	if (a.documents.some((d) => d.index >= p.documents.length)) problems.push({ code: 'validation_failed', message: 'a document the procedure does not ask for' });
	if (given.size !== a.documents.length) problems.push({ code: 'validation_failed', message: 'a document listed twice' });
	const missing = requiredDocumentIndexes(p).filter((i) => !given.has(i));
	if (missing.length) problems.push({ code: 'document_missing', indexes: missing });
	const files = a.documents.flatMap((d) => d.fileIds);
	if (new Set(files).size !== files.length) problems.push({ code: 'validation_failed', message: 'a file listed twice' });
	if (files.length > DOSSIER_FILE_LIMITS.maxFiles) problems.push({ code: 'validation_failed', message: 'too many files' });
	return problems;
}


/** Every file id of an application, in document order. */
export const applicationFileIds = (a: Pick<DossierApplication, 'documents'>): string[] => a.documents.flatMap((d) => d.fileIds);


/**
 * The dossier code an accepted application gets: the office's prefix (tenant data, else its id), the
 * day of acceptance and the day's sequence number — "LAM-VIEN-261205-0007". Matches `DossierCode`.
 */
export function onlineDossierCode(prefix: string, localDay: string, seq: number): string {
	return `${prefix.toUpperCase()}-${localDay.slice(2).replaceAll('-', '')}-${String(seq).padStart(4, '0')}`;
}

