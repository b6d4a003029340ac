import { z } from 'zod';
import { DossierStatus, type PublicDossier } from '$lib/domain/dossier';
import { StoredApplication, type ApplicationFileState, type ApplicationView } from '$lib/domain/dossier-application';
import type { Describes } from '../http/openapi';
import type { ImportReport } from './dossier-import';

/**
 * The dossier APIs' answers as zod schemas (dossiers.routes.ts, applications.routes.ts): the API's
 * document shows them, and the serializer sends exactly these fields. Each is checked against the
 * type its service returns (`Describes`), so a field added there and not here fails the build.
 */

/** As anyone holding the code sees it: the applicant's name masked, no phone. */
export const PublicDossierAnswer = z.object({
	code: z.string(),
	procedureCode: z.string(),
	applicant: z.string(),
	receivedAt: z.string(),
	dueAt: z.string(),
	status: DossierStatus,
	timeliness: z.enum(['on_time', 'overdue', 'done_on_time', 'done_late']),
	steps: z.array(z.object({ at: z.string(), status: DossierStatus, noteVi: z.string().optional(), noteEn: z.string().optional() }))
});

const FileState = z.object({ status: z.enum(['waiting', 'ready', 'rejected']), mime: z.string().optional(), bytes: z.number().optional() });

export const ApplicationViewAnswer = StoredApplication.extend({
	files: z.record(z.string(), FileState),
	dossier: PublicDossierAnswer.optional(),
	procedureNameVi: z.string(),
	procedureNameEn: z.string(),
	officeNameVi: z.string(),
	officeNameEn: z.string()
});

export const ApplicationListAnswer = z.object({ applications: z.array(ApplicationViewAnswer) });

export const ImportReportAnswer = z.object({
	imported: z.number().int(),
	unchanged: z.number().int(),
	rejected: z.array(z.object({ row: z.number().int(), code: z.string().optional(), reason: z.string() }))
});

// Compile-time: each schema has every field of the type it sends (see Describes).
const checks: [
	Describes<typeof PublicDossierAnswer, PublicDossier>,
	Describes<typeof FileState, ApplicationFileState>,
	Describes<typeof ApplicationViewAnswer, ApplicationView>,
	Describes<typeof ImportReportAnswer, ImportReport>
] = [true, true, true, true];
void checks;
