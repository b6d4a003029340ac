import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	applicationFormSchema,
	checkApplication,
	DossierApplication,
	looksLikePdf,
	onlineDossierCode,
	requiredDocumentIndexes
} from './dossier-application';
import { normalizeDossierCode } from './dossier';
import { ProcedureCatalogue, type Procedure } from './procedure';

const catalogue = ProcedureCatalogue.parse(JSON.parse(readFileSync(new URL('../../../data/tenants/lam-dong/procedures.json', import.meta.url), 'utf8')));
const birth = catalogue.procedures.find((p) => p.code === '1.001193')!;
const id = (n: number) => `0193a6f2-0000-7000-8000-${String(n).padStart(12, '0')}`;

const goodForm = {
	childName: 'Nguyễn Minh An',
	birthDate: '2026-11-30',
	sex: 'nam',
	birthPlace: 'Bệnh viện Đa khoa Lâm Đồng',
	motherName: 'Trần Thị Hoa',
	applicantIdNumber: '068190001234',
	relation: 'me'
};
const allRequired = requiredDocumentIndexes(birth).map((index, i) => ({ index, fileIds: [id(i * 2 + 1), id(i * 2 + 2)] }));

describe("a procedure's online form", () => {
	it('accepts what a resident types, an optional field left empty', () => {
		const parsed = applicationFormSchema(birth.fields).safeParse({ ...goodForm, fatherName: '  ' });
		expect(parsed.success).toBe(true);
		expect(parsed.data?.fatherName).toBeUndefined();
	});

	it('names each field that is empty or not valid', () => {
		const parsed = applicationFormSchema(birth.fields).safeParse({ ...goodForm, childName: '', birthDate: '30/11/2026', sex: 'x', applicantIdNumber: '12345' });
		expect(parsed.success).toBe(false);
		expect(new Set(parsed.error!.issues.map((i) => i.path[0]))).toEqual(new Set(['childName', 'birthDate', 'sex', 'applicantIdNumber']));
	});

	it('refuses a field the procedure does not have (nothing extra is stored)', () => {
		expect(applicationFormSchema(birth.fields).safeParse({ ...goodForm, religion: 'x' }).success).toBe(false);
	});

	it('reads numbers whole or with a decimal comma or point, and nothing else', () => {
		const fields: Procedure['fields'] = [{ key: 'area', labelVi: 'Diện tích', labelEn: 'Area', kind: 'number', required: true }];
		const schema = applicationFormSchema(fields);
		for (const ok of ['120', '120,5', '120.25']) expect(schema.safeParse({ area: ok }).success, ok).toBe(true);
		for (const bad of ['12a', '-3', '1,2,3', '']) expect(schema.safeParse({ area: bad }).success, bad).toBe(false);
	});

	it('reads phones in any spelling and identity numbers of 9 or 12 digits', () => {
		const fields: Procedure['fields'] = [
			{ key: 'phone', labelVi: 'Điện thoại', labelEn: 'Phone', kind: 'phone', required: true },
			{ key: 'idNo', labelVi: 'Số CCCD', labelEn: 'ID', kind: 'id_number', required: true }
		];
		const schema = applicationFormSchema(fields);
		expect(schema.safeParse({ phone: '0912 345 678', idNo: '123456789' }).success).toBe(true);
		expect(schema.safeParse({ phone: '+84912345678', idNo: '068190001234' }).success).toBe(true);
		expect(schema.safeParse({ phone: '12345', idNo: '0681900012' }).success).toBe(false);
	});
});

describe('an application checked against its procedure', () => {
	it('passes with the form and every required document', () => {
		expect(checkApplication({ form: goodForm, documents: allRequired }, birth)).toEqual([]);
	});

	it('lists the required documents missing, by their place in the procedure', () => {
		const problems = checkApplication({ form: goodForm, documents: allRequired.slice(1) }, birth);
		expect(problems).toEqual([{ code: 'document_missing', indexes: [allRequired[0].index] }]);
	});

	it('refuses a procedure that is filed at the office only', () => {
		const offline = catalogue.procedures.find((p) => p.online === 'none')!;
		expect(checkApplication({ form: {}, documents: [] }, offline)).toEqual([{ code: 'procedure_not_online' }]);
	});

	it('refuses one file under two documents, and a document the procedure does not ask for', () => {
		const twice = [allRequired[0], { index: allRequired[1].index, fileIds: [allRequired[0].fileIds[0]] }, ...allRequired.slice(2)];
		expect(checkApplication({ form: goodForm, documents: twice }, birth).map((p) => p.code)).toContain('validation_failed');
		const beyond = [...allRequired, { index: birth.documents.length, fileIds: [id(99)] }];
		expect(checkApplication({ form: goodForm, documents: beyond }, birth).map((p) => p.code)).toContain('validation_failed');
	});

	it('takes at most ten pages per document', () => {
		const app = {
			id: id(100),
			procedureCode: birth.code,
			officeId: 'lam-vien',
			applicantName: 'Trần Thị Hoa',
			form: goodForm,
			documents: [{ index: 0, fileIds: Array.from({ length: 11 }, (_, i) => id(200 + i)) }],
			createdAt: '2026-12-05T08:00:00+07:00'
		};
		expect(DossierApplication.safeParse(app).success).toBe(false);
		app.documents[0].fileIds.length = 10;
		expect(DossierApplication.safeParse(app).success).toBe(true);
	});
});

describe('what a dossier file is, by its bytes', () => {
	const bytes = (s: string) => new TextEncoder().encode(s);
	it('knows a PDF by its header and its end marker, never by its name', () => {
		expect(looksLikePdf(bytes('%PDF-1.7\n'), bytes('startxref\n123\n%%EOF\n'))).toBe(true);
		expect(looksLikePdf(bytes('Hello'), bytes('%%EOF'))).toBe(false);
		// Cut off on the way (no end marker): not taken as a document.
		expect(looksLikePdf(bytes('%PDF-1.4'), bytes('stream\nxxxxx'))).toBe(false);
	});
});

describe('the code an accepted application gets', () => {
	it("is the office's prefix, the day and the day's sequence, a code the look-up reads", () => {
		const code = onlineDossierCode('lam-vien', '2026-12-05', 7);
		expect(code).toBe('LAM-VIEN-261205-0007');
		expect(normalizeDossierCode(code)).toBe(code);
		expect(normalizeDossierCode(onlineDossierCode('000.00.12.H38', '2026-12-31', 1234))).toBe('000.00.12.H38-261231-1234');
	});
});
