import { describe, expect, it } from 'vitest';
import { WITHDRAW_REASON_MAX, type ReportEvent } from './event';
import { canAppend, deriveReport, isClosed, type Actor, type ReportStateView } from './report-state';
import { toPublicEvent } from './public';

/**
 * A resident withdraws a report they no longer need handled (rút phản ánh): an author's event that
 * closes it as withdrawn. Its reason is for the units only.
 */

const author: Actor = { role: 'resident', unitIds: [], id: 'device:ana' };
const linkedPerson: Actor = { role: 'resident', unitIds: [], id: 'device:ana-new-phone', personId: 'person-1' };
const stranger: Actor = { role: 'resident', unitIds: [], id: 'device:binh' };
const volunteer: Actor = { role: 'volunteer', unitIds: [], id: 'staff:tcns-lang-biang' };
const otherVolunteer: Actor = { role: 'volunteer', unitIds: [], id: 'staff:tcns-xuan-truong' };
const handler: Actor = { role: 'handler', unitIds: ['ubnd-cam-ly'], id: 'staff:h1' };
const leader: Actor = { role: 'leader', unitIds: ['province'], id: 'staff:l1' };

const open: ReportStateView = { status: 'in_progress', assignedUnitIds: ['ubnd-cam-ly'], authorId: 'device:ana', personId: 'person-1' };
const assisted: ReportStateView = { ...open, authorId: 'staff:tcns-lang-biang', personId: undefined };

describe('canAppend: withdrawn', () => {
	it('lets the author withdraw an open report, with or without a reason', () => {
		for (const status of ['received', 'assigned', 'in_progress', 'reopened'] as const) {
			expect(canAppend(author, { ...open, status }, 'withdrawn').ok).toBe(true);
			expect(canAppend(author, { ...open, status }, 'withdrawn', { note: 'Đã tự dọn xong' }).ok).toBe(true);
		}
		expect(canAppend(linkedPerson, open, 'withdrawn').ok).toBe(true);
	});
	it('lets the volunteer who filed it withdraw it, not another volunteer', () => {
		expect(canAppend(volunteer, assisted, 'withdrawn').ok).toBe(true);
		expect(canAppend(otherVolunteer, assisted, 'withdrawn')).toMatchObject({ ok: false, code: 'not_owner' });
	});
	it('refuses another resident, and staff', () => {
		expect(canAppend(stranger, open, 'withdrawn')).toMatchObject({ ok: false, code: 'not_owner' });
		expect(canAppend(handler, open, 'withdrawn', { unitId: 'ubnd-cam-ly' })).toMatchObject({ ok: false, code: 'forbidden_scope' });
		expect(canAppend(leader, open, 'withdrawn')).toMatchObject({ ok: false, code: 'forbidden_scope' });
	});
	it('refuses withdrawing a closed report, or one withdrawn already', () => {
		for (const status of ['resolved', 'invalid', 'withdrawn'] as const)
			expect(canAppend(author, { ...open, status }, 'withdrawn')).toMatchObject({ ok: false, code: 'report_closed' });
		expect(canAppend(author, { ...open, status: undefined }, 'withdrawn')).toMatchObject({ ok: false, code: 'transition_forbidden' });
	});
	it(`refuses a reason longer than ${WITHDRAW_REASON_MAX} characters`, () => {
		expect(canAppend(author, open, 'withdrawn', { note: 'x'.repeat(WITHDRAW_REASON_MAX) }).ok).toBe(true);
		expect(canAppend(author, open, 'withdrawn', { note: 'x'.repeat(WITHDRAW_REASON_MAX + 1) })).toMatchObject({
			ok: false,
			code: 'validation_failed'
		});
	});
	it('closes the report to handling: no step after a withdrawal but "seen"', () => {
		const withdrawn = { ...open, status: 'withdrawn' as const };
		expect(isClosed('withdrawn')).toBe(true);
		expect(canAppend(handler, withdrawn, 'resolved', { unitId: 'ubnd-cam-ly', note: 'xong' })).toMatchObject({ code: 'report_closed' });
		expect(canAppend(handler, withdrawn, 'seen', { unitId: 'ubnd-cam-ly' }).ok).toBe(true);
		expect(canAppend(author, withdrawn, 'feedback', { satisfied: false })).toMatchObject({ ok: false });
	});
});

describe('deriveReport: withdrawn', () => {
	const config = { sla: { default: { onSite: 2, report: 6 }, byCategory: {} } };
	const base = { reportId: 'r1', tenantId: 'lam-dong', at: '2030-01-01T00:00:00.000Z', _deleted: false };
	const received: ReportEvent = { ...base, id: 'e1', type: 'received', actorId: 'server', actorRole: 'system', unitIds: ['ubnd-cam-ly'], serverAt: '2026-11-24T01:00:00.000Z' };
	const withdrawn: ReportEvent = { ...base, id: 'e2', type: 'withdrawn', actorId: 'device:ana', actorRole: 'resident', note: 'Hàng xóm đã tự dọn', serverAt: '2026-11-24T02:00:00.000Z' };
	const lateResolve: ReportEvent = { ...base, id: 'e3', type: 'resolved', actorId: 'staff:h1', actorRole: 'handler', unitId: 'ubnd-cam-ly', note: 'x', serverAt: '2026-11-24T03:00:00.000Z' };

	it('derives status withdrawn, never overdue afterwards, and a later step does not reopen it', () => {
		const d = deriveReport([received, withdrawn, lateResolve], config, 'environment', new Date('2026-12-30T00:00:00.000Z'));
		expect(d.status).toBe('withdrawn');
		expect(d.overdue).toBe(false);
		expect(d.assignedUnitIds).toEqual(['ubnd-cam-ly']);
	});
	it('publishes that the resident withdrew it, never the reason', () => {
		const pub = toPublicEvent(withdrawn);
		expect(pub).toMatchObject({ type: 'withdrawn', actorRole: 'resident' });
		expect(JSON.stringify(pub)).not.toContain('Hàng xóm');
	});
});
