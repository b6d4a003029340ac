import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dueDate, maskName, normalizeDossierCode, publicDossier, timeliness, type Dossier } from './dossier';
import type { WorkCalendar } from './work-calendar';

const calendar = JSON.parse(readFileSync(new URL('../../../data/tenants/lam-dong/tenant.json', import.meta.url), 'utf8')).calendar as WorkCalendar;
/** A wall time in Đà Lạt (UTC+7) as an instant. */
const vn = (wall: string) => new Date(`${wall}+07:00`);

describe('due dates on the working calendar', () => {
	it('counts working days after the day of receipt, to the end of the last one', () => {
		// Received Monday 7 December 2026 at 09:00; 3 working days: Tue, Wed, Thu → Thursday 17:00.
		expect(dueDate(calendar, vn('2026-12-07T09:00:00'), 3)).toEqual(vn('2026-12-10T17:00:00'));
		// Received on Friday: the weekend is skipped.
		expect(dueDate(calendar, vn('2026-12-11T16:00:00'), 2)).toEqual(vn('2026-12-15T17:00:00'));
	});

	it('skips public holidays (Tết 2026: 16-20 February)', () => {
		// Received Friday 13 February; 2 working days: Mon 16 … Fri 20 are Tết → Mon 23, Tue 24.
		expect(dueDate(calendar, vn('2026-02-13T10:00:00'), 2)).toEqual(vn('2026-02-24T17:00:00'));
	});

	it('0 days: the same working day, or the next one when received after hours or on a day off', () => {
		expect(dueDate(calendar, vn('2026-12-07T09:00:00'), 0)).toEqual(vn('2026-12-07T17:00:00'));
		expect(dueDate(calendar, vn('2026-12-07T18:00:00'), 0)).toEqual(vn('2026-12-08T17:00:00'));
		expect(dueDate(calendar, vn('2026-12-12T09:00:00'), 0)).toEqual(vn('2026-12-14T17:00:00'));
	});
});

describe('dossier codes as typed or scanned', () => {
	it('normalises case and spaces, and reads a look-up link', () => {
		expect(normalizeDossierCode(' 000.00.12.h38-251205-0001 ')).toBe('000.00.12.H38-251205-0001');
		expect(normalizeDossierCode('000.00.12.H38 - 251205 - 0001')).toBe('000.00.12.H38-251205-0001');
		expect(normalizeDossierCode('https://lamdong.example/dossier?code=h38-251205-0001')).toBe('H38-251205-0001');
	});

	it('refuses what cannot be a code: too short, other characters, a link without one', () => {
		for (const bad of ['ab', 'H38/251205', 'https://example.com/not-ours', '', 42, null]) expect(normalizeDossierCode(bad), String(bad)).toBeNull();
	});
});

describe('what the public sees', () => {
	const dossier: Dossier = {
		code: 'H38-251205-0001',
		tenantId: 'lam-dong',
		procedureCode: '1.001193',
		applicantName: 'Nguyễn Thị Lan',
		applicantPhone: '0912345678',
		receivedAt: '2026-12-07T02:00:00.000Z',
		dueAt: '2026-12-10T10:00:00.000Z',
		status: 'needs_documents',
		steps: [
			{ at: '2026-12-07T02:00:00.000Z', status: 'submitted' },
			{ at: '2026-12-08T02:00:00.000Z', status: 'needs_documents', noteVi: 'Bổ sung bản sao CCCD, gọi 0912 345 678 nếu cần' }
		],
		source: 'import',
		updatedAt: '2026-12-08T02:00:00.000Z'
	};

	it('masks the applicant, leaves out the phone, masks a phone number in a note', () => {
		const pub = publicDossier(dossier, new Date('2026-12-09T00:00:00Z'));
		expect(pub.applicant).toBe('N***** T** L**');
		const text = JSON.stringify(pub);
		expect(text).not.toContain('Nguyễn');
		expect(text).not.toContain('0912345678');
		expect(text).not.toContain('0912 345 678');
		expect(pub.steps[1].noteVi).toContain('Bổ sung bản sao CCCD');
	});

	it('says on time or overdue by now, and by the finishing step once finished', () => {
		expect(timeliness(dossier, new Date('2026-12-09T00:00:00Z'))).toBe('on_time');
		expect(timeliness(dossier, new Date('2026-12-11T00:00:00Z'))).toBe('overdue');
		const done = { ...dossier, status: 'result_ready' as const, steps: [...dossier.steps, { at: '2026-12-10T09:00:00.000Z', status: 'result_ready' as const }] };
		expect(timeliness(done, new Date('2027-01-01T00:00:00Z'))).toBe('done_on_time');
		const late = { ...done, steps: [...dossier.steps, { at: '2026-12-11T01:00:00.000Z', status: 'result_ready' as const }] };
		expect(timeliness(late, new Date('2027-01-01T00:00:00Z'))).toBe('done_late');
	});

	it('masks a name of one letter words and odd spacing too', () => {
		expect(maskName('  Y  Bih ')).toBe('Y** B**');
	});
});
