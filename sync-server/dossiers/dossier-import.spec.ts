import { describe, expect, it } from 'vitest';
import type { Dossier } from '$lib/domain/dossier';
import { mergeOnline } from './dossier-import';

const APP = '01900000-0000-7000-8000-000000000001';
const online: Dossier = {
	code: 'LAM-VIEN-261231-0001',
	tenantId: 'lam-dong',
	procedureCode: '1.004873',
	applicantName: 'Nguyễn Thị Lan',
	applicantPhone: '0912345678',
	receivedAt: '2026-12-30T02:00:00.000Z',
	dueAt: '2027-01-06T10:00:00.000Z',
	status: 'accepted',
	steps: [
		{ at: '2026-12-30T02:00:00.000Z', status: 'submitted' },
		{ at: '2026-12-31T03:00:00.000Z', status: 'accepted' }
	],
	source: 'online',
	officeId: 'lam-vien',
	applicationId: APP,
	updatedAt: '2026-12-31T03:00:00.000Z'
};
/** What the feed's row becomes on its own: an import, no office, no application, no phone. */
const fed = (extra: Partial<Dossier>): Dossier => {
	const { applicantPhone: _p, officeId: _o, applicationId: _a, ...rest } = online;
	return { ...rest, applicantName: 'NGUYEN THI LAN', receivedAt: '2026-12-30T00:00:00.000Z', dueAt: '2027-01-05T10:00:00.000Z', source: 'import', updatedAt: '2027-01-04T03:00:00.000Z', ...extra };
};
const now = new Date('2027-01-04T03:00:00.000Z');
const stepsAndDue = { steps: true, dueAt: false };

describe('an online dossier reported by the one-stop system', () => {
	it('stays online with its office, application, applicant and receipt, and takes only the later steps', () => {
		const later = { at: '2027-01-04T02:30:00.000Z', status: 'result_ready' as const, noteVi: 'Mời nhận kết quả' };
		const out = mergeOnline(online, fed({ status: 'result_ready', steps: [{ at: '2026-12-31T03:00:00.000Z', status: 'accepted' }, later] }), stepsAndDue, now);
		expect(out).toEqual({
			dossier: { ...online, status: 'result_ready', steps: [...online.steps, later], updatedAt: '2027-01-04T03:00:00.000Z' }
		});
	});

	it("takes a due date the feed states (an extension), never one it left to be counted", () => {
		const ext = fed({ dueAt: '2027-01-08T10:00:00.000Z' });
		expect(mergeOnline(online, ext, stepsAndDue, now)).toMatchObject({ dossier: { dueAt: online.dueAt } });
		expect(mergeOnline(online, ext, { steps: true, dueAt: true }, now)).toMatchObject({ dossier: { dueAt: '2027-01-08T10:00:00.000Z' } });
	});

	it('dates a new status from a feed without steps now, and the same status again adds nothing', () => {
		const noSteps = fed({ status: 'processing', steps: [{ at: '2026-12-30T00:00:00.000Z', status: 'processing' }] });
		const first = mergeOnline(online, noSteps, { steps: false, dueAt: false }, now);
		expect(first).toMatchObject({ dossier: { status: 'processing', steps: [...online.steps, { at: now.toISOString(), status: 'processing' }] } });
		const again = mergeOnline((first as { dossier: Dossier }).dossier, noSteps, { steps: false, dueAt: false }, now);
		expect((again as { dossier: Dossier }).dossier.steps).toHaveLength(3);
	});

	it('does not repeat a status the dossier has just had, but keeps a new progress note', () => {
		const steps = [{ at: '2027-01-02T03:00:00.000Z', status: 'accepted' as const }, { at: '2027-01-03T03:00:00.000Z', status: 'processing' as const }, { at: '2027-01-04T01:00:00.000Z', status: 'processing' as const, noteVi: 'Đang thẩm định' }];
		const out = mergeOnline(online, fed({ status: 'processing', steps }), stepsAndDue, now) as { dossier: Dossier };
		expect(out.dossier.steps.map((s) => s.status)).toEqual(['submitted', 'accepted', 'processing', 'processing']);
	});

	it('refuses a row that names another procedure', () => {
		expect(mergeOnline(online, fed({ procedureCode: '1.001193' }), stepsAndDue, now)).toEqual({ reason: expect.stringMatching(/^procedureCode:/) });
	});
});
