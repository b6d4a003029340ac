import { describe, expect, it } from 'vitest';
import type { DossierPushPayload } from '$lib/domain/notice-rules';
import { dossierNoticeText } from '$lib/i18n/areas/dossier-push';
import { laterStepAllowed, mergeAnswer, refusalOf, sameContent } from './application-rules';

const A = '01900000-0000-7000-8000-000000000001';
const B = '01900000-0000-7000-8000-000000000002';
const C = '01900000-0000-7000-8000-000000000003';

describe('an answer to a request for documents', () => {
	it('adds pages to the document they belong to and new documents in index order', () => {
		const merged = mergeAnswer([{ index: 3, fileIds: [A] }, { index: 0, fileIds: [B] }], { documents: [{ index: 0, fileIds: [C] }, { index: 1, fileIds: [A] }] });
		expect(merged).toEqual([
			{ index: 0, fileIds: [B, C] },
			{ index: 1, fileIds: [A] },
			{ index: 3, fileIds: [A] }
		]);
	});
});

describe('the refusal of an application', () => {
	it('names the fields and documents the device shows, the first problem first', () => {
		const form = refusalOf([{ code: 'form_invalid', fields: ['birthDate'] }, { code: 'document_missing', indexes: [3] }]);
		expect([form?.status, form?.toBody()]).toEqual([422, { error: expect.objectContaining({ code: 'form_invalid', fields: ['birthDate'] }) }]);
		expect(refusalOf([{ code: 'document_missing', indexes: [0, 3] }])?.toBody().error).toMatchObject({ indexes: [0, 3] });
		expect(refusalOf([{ code: 'validation_failed', message: 'a file listed twice' }])?.status).toBe(400);
		expect(refusalOf([])).toBeNull();
	});
});

describe('the same application sent again', () => {
	const app = { id: A, procedureCode: '1.004873', officeId: 'lam-vien', applicantName: 'Lan', form: { a: '1', b: '2' }, documents: [{ index: 0, fileIds: [B] }], createdAt: '2026-12-31T03:00:00Z' };
	it('is the same whatever the order of its keys, and not with another word', () => {
		expect(sameContent(app, Object.fromEntries(Object.entries(app).reverse()) as typeof app)).toBe(true);
		expect(sameContent(app, { ...app, note: 'khác' })).toBe(false);
	});
});

describe('later steps of an online dossier', () => {
	it('go forward only; processing may be said again', () => {
		expect(laterStepAllowed('accepted', 'processing')).toBe(true);
		expect(laterStepAllowed('accepted', 'returned')).toBe(true);
		expect(laterStepAllowed('processing', 'processing')).toBe(true);
		expect(laterStepAllowed('result_ready', 'processing')).toBe(false);
		expect(laterStepAllowed('returned', 'returned')).toBe(false);
		expect(laterStepAllowed('refused', 'processing')).toBe(false);
	});
});

describe('a dossier notice', () => {
	const p: DossierPushPayload = { kind: 'dossier', applicationId: A, type: 'accepted', procedureVi: 'Đăng ký khai sinh', procedureEn: 'Birth registration', dossierCode: 'LAM-VIEN-261231-0001', dueAt: '2027-01-06T10:00:00.000Z', at: '2026-12-31T03:00:00Z' };
	it('reads in Vietnamese and in English', () => {
		expect(dossierNoticeText(p, 'vi', '06/01/2027')).toBe('Hồ sơ Đăng ký khai sinh đã được tiếp nhận, mã LAM-VIEN-261231-0001, hẹn trả 06/01/2027');
		expect(dossierNoticeText({ ...p, type: 'result_ready' }, 'en')).toBe('Dossier LAM-VIEN-261231-0001: the result is ready');
	});
});
