import { z } from 'zod';
import { DOSSIER_FILE_LIMITS, fieldValueOk } from './application-rules';
import { Id } from './common';
import type { PublicDossier } from './dossier';
import type { ProcedureField } from './procedure';
import { ProcedureCode } from './procedure';

/** The rules without zod, for the phone's light pages; the same functions here for everyone else. */
export * from './application-rules';

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


/**
 * The zod schema of a procedure's form: every value a string, checked by `fieldValueOk` (the same rule
 * the phone runs without zod); an optional field left empty is left out.
 */
export function applicationFormSchema(fields: readonly ProcedureField[]) {
	const shape: Record<string, z.ZodType<string | undefined>> = {};
	for (const f of fields) {
		const value = z.string().max(2000).refine((v) => fieldValueOk(f, v));
		shape[f.key] = f.required ? value : z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), value.optional());
	}
	return z.strictObject(shape);
}






