import { z } from 'zod';

/**
 * Administrative procedures (thủ tục hành chính) as tenant data: the province's catalogue, what a
 * resident reads before the trip to the office — what to bring, which forms, the fee, how long it
 * takes, the legal basis, where to file, and whether it can be filed online. One file per tenant
 * (`procedures.json`, named in tenant.json), checked by the tenant loader, served to devices and
 * kept on them for offline reading. Nothing here is a province's rule in code.
 */

const Text = (max: number) => z.string().trim().min(1).max(max);

/** The national catalogue's code (e.g. "1.001193"), or the province's own when it has none. */
export const ProcedureCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.\-_]{0,39}$/);
export type ProcedureCode = z.infer<typeof ProcedureCode>;

/** Where it is settled: the commune (ward) one-stop office, or the province's (its departments). */
export const ProcedureLevel = z.enum(['commune', 'province']);
export type ProcedureLevel = z.infer<typeof ProcedureLevel>;

/**
 * How far it can be done online (the national portal's levels): `full` — filed, paid and received
 * online (toàn trình); `partial` — filed online, the result or the originals at the office (một phần);
 * `none` — at the office only.
 */
export const OnlineLevel = z.enum(['full', 'partial', 'none']);
export type OnlineLevel = z.infer<typeof OnlineLevel>;

export const ProcedureDocument = z.strictObject({
	nameVi: Text(300),
	nameEn: Text(300),
	/** How many copies, and whether the original is to be shown (bản chính) or a certified copy is enough. */
	copies: z.number().int().min(1).max(10).default(1),
	original: z.boolean().default(false),
	/** Only in some cases (e.g. "if the applicant is represented"): said with the document. */
	whenVi: Text(200).optional(),
	whenEn: Text(200).optional()
});
export type ProcedureDocument = z.infer<typeof ProcedureDocument>;

/**
 * One field of a procedure's online form (nộp trực tuyến), as tenant data: what the resident types
 * besides their name and phone. Values travel as strings; `applicationFormSchema` (dossier-application.ts)
 * turns a procedure's fields into the zod schema the device and the server both check.
 */
export const FIELD_KINDS = ['text', 'longtext', 'date', 'number', 'phone', 'id_number', 'select'] as const;
export const ProcedureField = z.strictObject({
	/** The value's name in the form (`childName`): letters and digits, unique in the procedure. */
	key: z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/),
	labelVi: Text(120),
	labelEn: Text(120),
	kind: z.enum(FIELD_KINDS),
	required: z.boolean().default(true),
	/** The choices of a `select`, in order. */
	options: z.array(z.strictObject({ value: z.string().regex(/^[a-z0-9-]{1,40}$/), labelVi: Text(120), labelEn: Text(120) })).min(1).max(50).optional(),
	hintVi: Text(200).optional(),
	hintEn: Text(200).optional()
});
export type ProcedureField = z.infer<typeof ProcedureField>;

export const ProcedureForm = z.strictObject({
	/** The form's official name or number, e.g. "Mẫu số 01/ĐK". */
	nameVi: Text(200),
	nameEn: Text(200)
});

export const Procedure = z.strictObject({
	code: ProcedureCode,
	nameVi: Text(300),
	nameEn: Text(300),
	/** The field (lĩnh vực), e.g. "Hộ tịch": the catalogue is browsed by it. */
	fieldVi: Text(120),
	fieldEn: Text(120),
	level: ProcedureLevel,
	/** What the resident brings or uploads. */
	documents: z.array(ProcedureDocument).min(1).max(40),
	forms: z.array(ProcedureForm).max(20).default([]),
	/** The fee in đồng (0: free); `feeNoteVi/En` when it depends on the case. */
	feeVnd: z.number().int().min(0).max(1_000_000_000),
	feeNoteVi: Text(300).optional(),
	feeNoteEn: Text(300).optional(),
	/** Working days from a complete dossier to the result (0: the same day). */
	processingDays: z.number().int().min(0).max(365),
	processingNoteVi: Text(300).optional(),
	processingNoteEn: Text(300).optional(),
	/** Laws, decrees and circulars it rests on, as cited. */
	legalBasis: z.array(Text(300)).min(1).max(20),
	whereVi: Text(300),
	whereEn: Text(300),
	online: OnlineLevel,
	/**
	 * Other ways people say it (abbreviations, everyday words: "làm giấy khai sinh", "cấp phép xd"):
	 * searched with the name, never shown.
	 */
	aliases: z.array(Text(120)).max(20).default([]),
	/** The online form's fields (none: the name, the phone and the documents are the whole form). */
	fields: z.array(ProcedureField).max(40).default([])
});
export type Procedure = z.infer<typeof Procedure>;
export type ProcedureInput = z.input<typeof Procedure>;

/** A tenant's catalogue file: its procedures, each code once. */
export const ProcedureCatalogue = z
	.strictObject({
		/** Where the catalogue comes from (SOURCES.md says more). */
		source: Text(300),
		procedures: z.array(Procedure).min(1).max(5_000)
	})
	.superRefine((c, ctx) => {
		const seen = new Set<string>();
		c.procedures.forEach((p, i) => {
			if (seen.has(p.code)) ctx.addIssue({ code: 'custom', path: ['procedures', i, 'code'], message: `code "${p.code}" twice` });
			seen.add(p.code);
			const keys = new Set<string>();
			p.fields.forEach((f, j) => {
				if (keys.has(f.key)) ctx.addIssue({ code: 'custom', path: ['procedures', i, 'fields', j, 'key'], message: `field "${f.key}" twice` });
				keys.add(f.key);
				if ((f.kind === 'select') !== Boolean(f.options))
					ctx.addIssue({ code: 'custom', path: ['procedures', i, 'fields', j, 'options'], message: 'options go with a select, and only with it' });
			});
		});
	});
export type ProcedureCatalogue = z.infer<typeof ProcedureCatalogue>;
