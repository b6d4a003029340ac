import { z } from 'zod';
import { ProcedureCode } from './procedure';
import { redactPhones } from './redact';
import { localDate, workingPeriodsOn, type WorkCalendar } from './work-calendar';

/**
 * A dossier (hồ sơ thủ tục hành chính): what a resident filed for a procedure at the one-stop office,
 * received, processed and returned. It comes from the province's one-stop system (imported) or, later,
 * from an online submission. Anyone may follow it by its official code (tra cứu hồ sơ), but what the
 * public sees is chosen here field by field (`publicDossier`), the applicant's name masked.
 */

export const DOSSIER_STATUSES = ['submitted', 'needs_documents', 'accepted', 'processing', 'result_ready', 'returned', 'refused', 'withdrawn'] as const;
export const DossierStatus = z.enum(DOSSIER_STATUSES);
export type DossierStatus = z.infer<typeof DossierStatus>;

/** Statuses after which nothing is pending on the office's side. */
export const FINISHED: ReadonlySet<DossierStatus> = new Set(['result_ready', 'returned', 'refused', 'withdrawn']);

/**
 * The official code, as printed on the receipt (e.g. "000.00.12.H38-251205-0001"): letters, digits,
 * dots and dashes. Typed codes are normalised the same way everywhere (`normalizeDossierCode`), so a
 * lookup, its rate limit and the stored key agree.
 */
export const DossierCode = z.string().regex(/^[A-Z0-9][A-Z0-9.-]{4,47}$/);
export type DossierCode = z.infer<typeof DossierCode>;

const Iso = z.iso.datetime({ offset: true });

export const DossierStep = z.strictObject({
	at: Iso,
	status: DossierStatus,
	/** What the office says about this step (a missing document, the reason of a refusal): public. */
	noteVi: z.string().trim().max(500).optional(),
	noteEn: z.string().trim().max(500).optional()
});
export type DossierStep = z.infer<typeof DossierStep>;

export const Dossier = z.strictObject({
	code: DossierCode,
	tenantId: z.string().min(1),
	procedureCode: ProcedureCode,
	/** Private: shown to the public masked (`maskName`). */
	applicantName: z.string().trim().min(1).max(120),
	/** Private: never shown publicly, used to notify the applicant. */
	applicantPhone: z.string().trim().max(20).optional(),
	receivedAt: Iso,
	dueAt: Iso,
	status: DossierStatus,
	/** The steps so far, oldest first; the last one's status is `status`. */
	steps: z.array(DossierStep).min(1).max(100),
	source: z.enum(['import', 'online']),
	/** An online application's: the office that accepted it (its staff add the later steps) and the application. */
	officeId: z.string().optional(),
	applicationId: z.uuid().optional(),
	updatedAt: Iso
});
export type Dossier = z.infer<typeof Dossier>;

/**
 * A code as typed or scanned, in its stored form; null when it cannot be one. Accepts a link whose
 * `code` parameter holds it (the QR code on a receipt may carry the look-up page's address).
 */
export function normalizeDossierCode(raw: unknown): string | null {
	if (typeof raw !== 'string') return null;
	let text = raw.trim();
	if (/^https?:\/\//i.test(text)) {
		try {
			text = new URL(text).searchParams.get('code') ?? '';
		} catch {
			return null;
		}
	}
	const code = text.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
	return DossierCode.safeParse(code).success ? code : null;
}

/** "Nguyễn Thị Lan" → "N***** T** L**": each word's first letter, the rest hidden. */
export function maskName(name: string): string {
	return name
		.trim()
		.split(/\s+/)
		.filter(Boolean)
		.map((w) => {
			const letters = [...w];
			return letters[0] + '*'.repeat(Math.max(letters.length - 1, 2));
		})
		.join(' ');
}

/**
 * When the result is due: the end of the `days`-th working day after the day of receipt (the day
 * received does not count), on the tenant's calendar — weekends and holidays skipped, its own
 * make-up days worked. 0 days: the end of the day of receipt's working hours (or of the next working
 * day when it came after hours or on a day off).
 */
export function dueDate(cal: WorkCalendar, received: Date, days: number): Date {
	let date = localDate(cal, received);
	let counted = 0;
	const next = (d: string) => new Date(Date.parse(`${d}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
	if (days === 0) {
		for (let i = 0; i < 400; i++, date = next(date)) {
			const periods = workingPeriodsOn(cal, date);
			if (periods.length && periods[periods.length - 1].to > received) return periods[periods.length - 1].to;
		}
		throw new Error('dueDate: no working day within 400 days');
	}
	for (let i = 0; i < 800; i++) {
		date = next(date);
		const periods = workingPeriodsOn(cal, date);
		if (!periods.length) continue;
		if (++counted === days) return periods[periods.length - 1].to;
	}
	throw new Error('dueDate: no working day within 800 days');
}

export type Timeliness = 'on_time' | 'overdue' | 'done_on_time' | 'done_late';

/** On time or not: a finished dossier by when it finished, an open one by now. */
export function timeliness(d: Pick<Dossier, 'status' | 'steps' | 'dueAt'>, now: Date): Timeliness {
	const due = Date.parse(d.dueAt);
	if (FINISHED.has(d.status)) {
		const done = Date.parse(d.steps[d.steps.length - 1].at);
		return done <= due ? 'done_on_time' : 'done_late';
	}
	return now.getTime() <= due ? 'on_time' : 'overdue';
}

/** What anyone holding the code sees: chosen field by field, never a copy of the private record. */
export interface PublicDossier {
	code: string;
	procedureCode: string;
	applicant: string;
	receivedAt: string;
	dueAt: string;
	status: DossierStatus;
	timeliness: Timeliness;
	steps: { at: string; status: DossierStatus; noteVi?: string; noteEn?: string }[];
}

export function publicDossier(d: Dossier, now: Date): PublicDossier {
	return {
		code: d.code,
		procedureCode: d.procedureCode,
		applicant: maskName(d.applicantName),
		receivedAt: d.receivedAt,
		dueAt: d.dueAt,
		status: d.status,
		timeliness: timeliness(d, now),
		// A note comes from the office's system as typed: a phone number in it is masked, whatever its spelling.
		steps: d.steps.map((s) => ({
			at: s.at,
			status: s.status,
			...(s.noteVi ? { noteVi: redactPhones(s.noteVi) } : {}),
			...(s.noteEn ? { noteEn: redactPhones(s.noteEn) } : {})
		}))
	};
}
