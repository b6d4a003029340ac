import { z } from 'zod';
import { canonicalPhone, Id } from './common';
import type { PublicDossier } from './dossier';
import { MEDIA_LIMITS } from './media';
import type { Procedure, ProcedureField } from './procedure';
import { ProcedureCode } from './procedure';

/**
 * An online application (nộp hồ sơ trực tuyến): what a resident prepares on the phone, offline if need
 * be, and sends when the link returns. The device makes its id (UUIDv7) and the ids of the files (one
 * per page photographed, or a PDF), pushes the application first, then uploads the files against it
 * (`/api/dossier-files/uploads`, tus, like report photos): a file id belongs to the application that
 * listed it first and to its author.
 *
 * The one-stop office checks it, asks for what is missing (the resident answers from the app), and
 * accepts it — it then gets its official code and due date and becomes a `Dossier` (dossier.ts) that
 * anyone holding the code can follow — or refuses it with a reason.
 *
 *   submitted ─ask─▶ needs_documents ─resident answers─▶ submitted ─accept─▶ accepted (code, due date)
 *       │                                                     └─refuse─▶ refused
 *       └─resident withdraws─▶ withdrawn
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

/** The pages given for one of the procedure's documents (its index in `procedure.documents`). */
export const ApplicationDocument = z.strictObject({
	index: z.number().int().min(0).max(39),
	fileIds: z.array(Id).min(1).max(DOSSIER_FILE_LIMITS.maxPagesPerDocument)
});
export type ApplicationDocument = z.infer<typeof ApplicationDocument>;

const Name = z.string().trim().min(1).max(120);
const Note = z.string().trim().min(1).max(1000);
const Iso = z.iso.datetime({ offset: true });

/** What the device sends (`POST /api/dossier-applications`). The form's values are checked against the procedure. */
export const DossierApplication = z.strictObject({
	id: Id,
	procedureCode: ProcedureCode,
	/** The one-stop office it is filed at (tenant.json `office.offices[].id`): its staff receive it. */
	officeId: z.string().regex(/^[a-z0-9-]{1,40}$/),
	applicantName: Name,
	/** Canonical (`canonicalPhone`): the office may call; never public. */
	applicantPhone: z.string().regex(/^0\d{9,10}$/).optional(),
	/** The procedure's fields (`ProcedureField.key` → value as typed). */
	form: z.record(z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/), z.string().max(2000)),
	documents: z.array(ApplicationDocument).max(40),
	/** Anything the resident wants the office to know. */
	note: Note.optional(),
	createdAt: Iso
});
export type DossierApplication = z.infer<typeof DossierApplication>;

export const APPLICATION_STATUSES = ['submitted', 'needs_documents', 'accepted', 'refused', 'withdrawn'] as const;
export const ApplicationStatus = z.enum(APPLICATION_STATUSES);
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;

export const ApplicationStep = z.strictObject({
	at: Iso,
	status: ApplicationStatus,
	/** The office's words (what is missing, why refused) or the resident's answer. Shown to the applicant. */
	note: Note.optional(),
	/** Who: `resident` or the official's display name. */
	by: z.string().max(120)
});
export type ApplicationStep = z.infer<typeof ApplicationStep>;

/** An application as the server keeps it: what the device sent, and what the office did. */
export const StoredApplication = DossierApplication.extend({
	tenantId: z.string(),
	/** The token's subject that sent it (device or volunteer): only it and the office's staff read it. */
	authorId: z.string(),
	/** A verified resident: their other devices see it too. */
	personId: z.string().optional(),
	receivedAt: Iso,
	status: ApplicationStatus,
	steps: z.array(ApplicationStep).min(1).max(100),
	/** Set on acceptance: the dossier's official code and due date. */
	dossierCode: z.string().optional(),
	dueAt: Iso.optional(),
	updatedAt: Iso
});
export type StoredApplication = z.infer<typeof StoredApplication>;

/** Whether one of an application's files has arrived and been checked on the server. */
export type ApplicationFileState = { status: 'waiting' | 'ready' | 'rejected'; mime?: string; bytes?: number };

/**
 * An application as the server shows it to its author and to the office's staff: the stored
 * application, which of its files have arrived, and the names of its procedure and office, so a list
 * needs no catalogue to be read.
 */
export type ApplicationView = StoredApplication & {
	files: Record<string, ApplicationFileState>;
	/**
	 * Once accepted: the dossier as it stands now (its later steps come from the office's staff or
	 * from the one-stop system's import), as anyone holding the code sees it.
	 */
	dossier?: PublicDossier;
	procedureNameVi: string;
	procedureNameEn: string;
	officeNameVi: string;
	officeNameEn: string;
};

/** The resident's answer to a request for documents: more pages for some documents, and a word. */
export const ApplicationAnswer = z.strictObject({ documents: z.array(ApplicationDocument).max(40), note: Note.optional() });
export type ApplicationAnswer = z.infer<typeof ApplicationAnswer>;

/** What the office's staff do with an application (`POST /api/dossier-applications/:id/actions`). */
export const ApplicationAction = z.discriminatedUnion('action', [
	z.strictObject({ action: z.literal('ask'), note: Note }),
	z.strictObject({ action: z.literal('accept'), note: Note.optional() }),
	z.strictObject({ action: z.literal('refuse'), note: Note })
]);
export type ApplicationAction = z.infer<typeof ApplicationAction>;

/** Which statuses allow which move; anything else is `application_state`. */
export const APPLICATION_MOVES: Record<ApplicationStatus, readonly ('ask' | 'accept' | 'refuse' | 'answer' | 'withdraw')[]> = {
	submitted: ['ask', 'accept', 'refuse', 'withdraw'],
	needs_documents: ['answer', 'refuse', 'withdraw'],
	accepted: [],
	refused: [],
	withdrawn: []
};

/** The zod schema of a procedure's form: every value a string; an optional field may be left empty (then left out). */
export function applicationFormSchema(fields: readonly ProcedureField[]) {
	const shape: Record<string, z.ZodType<string | undefined>> = {};
	for (const f of fields) {
		const value = fieldValue(f);
		shape[f.key] = f.required ? value : z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), value.optional());
	}
	return z.strictObject(shape);
}

function fieldValue(f: ProcedureField): z.ZodType<string> {
	const text = (max: number) => z.string().trim().min(1).max(max);
	switch (f.kind) {
		case 'text':
			return text(200);
		case 'longtext':
			return text(2000);
		case 'number':
			return z.string().trim().regex(/^\d{1,12}$/);
		case 'date':
			return z.iso.date();
		case 'id_number':
			// The citizen identity card (CCCD) has 12 digits; the old identity card (CMND) 9.
			return z.string().trim().regex(/^(\d{9}|\d{12})$/);
		case 'phone':
			return z.string().refine((v) => canonicalPhone(v) !== null);
		case 'select':
			return z.enum((f.options ?? []).map((o) => o.value) as [string, ...string[]]);
	}
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
	const form = applicationFormSchema(p.fields).safeParse(a.form);
	if (!form.success) problems.push({ code: 'form_invalid', fields: [...new Set(form.error.issues.map((i) => String(i.path[0] ?? '')))] });
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
