import { describe, expect, it } from 'vitest';
import type { ReportEvent } from './event';
import { CONTEST_REASON_MAX } from './limits';
import { toPublicEvent } from './public';
import { canAppend, deriveReport, isClosed, type Actor, type ReportStateView } from './report-state';

/**
 * A resident may contest (không đồng ý với kết luận) an "invalid" decision once, with a reason: the
 * report goes to a leader, whose decision is final — uphold (invalid again, closed for good) or
 * reopen it to its units.
 */

const author: Actor = { role: 'resident', unitIds: [], id: 'device:ana' };
const linkedPerson: Actor = { role: 'resident', unitIds: [], id: 'device:ana-new-phone', personId: 'person-1' };
const stranger: Actor = { role: 'resident', unitIds: [], id: 'device:binh' };
const volunteer: Actor = { role: 'volunteer', unitIds: [], id: 'staff:tcns-lang-biang' };
const handler: Actor = { role: 'handler', unitIds: ['ubnd-cam-ly'], id: 'staff:h1' };
const leader: Actor = { role: 'leader', unitIds: ['province'], id: 'staff:l1' };
const REASON = 'Bãi rác vẫn còn, tôi gửi thêm ảnh hôm nay';

const invalid: ReportStateView = { status: 'invalid', assignedUnitIds: ['ubnd-cam-ly'], authorId: 'device:ana', personId: 'person-1' };
const contested: ReportStateView = { ...invalid, status: 'contested', contested: true };

describe('canAppend: contested', () => {
	it('lets the author, the linked person and the filing volunteer contest an invalid decision with a reason', () => {
		expect(canAppend(author, invalid, 'contested', { note: REASON }).ok).toBe(true);
		expect(canAppend(linkedPerson, invalid, 'contested', { note: REASON }).ok).toBe(true);
		const assisted = { ...invalid, authorId: volunteer.id, personId: undefined };
		expect(canAppend(volunteer, assisted, 'contested', { note: REASON }).ok).toBe(true);
	});
	it('refuses anyone else', () => {
		expect(canAppend(stranger, invalid, 'contested', { note: REASON })).toMatchObject({ ok: false, code: 'not_owner' });
		expect(canAppend(handler, invalid, 'contested', { unitId: 'ubnd-cam-ly', note: REASON })).toMatchObject({ ok: false, code: 'forbidden_scope' });
		expect(canAppend(leader, invalid, 'contested', { note: REASON })).toMatchObject({ ok: false, code: 'forbidden_scope' });
	});
	it('only an invalid decision, only once, only with a reason of at most the limit', () => {
		for (const status of ['received', 'assigned', 'in_progress', 'resolved', 'reopened', 'withdrawn'] as const)
			expect(canAppend(author, { ...invalid, status }, 'contested', { note: REASON })).toMatchObject({ ok: false, code: 'transition_forbidden' });
		expect(canAppend(author, contested, 'contested', { note: REASON })).toMatchObject({ ok: false, code: 'already_contested' });
		// Upheld by the leader: invalid again, and contested already.
		expect(canAppend(author, { ...invalid, contested: true }, 'contested', { note: REASON })).toMatchObject({ ok: false, code: 'already_contested' });
		expect(canAppend(author, invalid, 'contested')).toMatchObject({ ok: false, code: 'validation_failed' });
		expect(canAppend(author, invalid, 'contested', { note: '   ' })).toMatchObject({ ok: false, code: 'validation_failed' });
		expect(canAppend(author, invalid, 'contested', { note: 'x'.repeat(CONTEST_REASON_MAX) }).ok).toBe(true);
		expect(canAppend(author, invalid, 'contested', { note: 'x'.repeat(CONTEST_REASON_MAX + 1) })).toMatchObject({ ok: false, code: 'validation_failed' });
	});
	it('while contested, only a leader acts: uphold (invalid, with a reason) or reopen; units wait', () => {
		expect(isClosed('contested')).toBe(false);
		expect(canAppend(leader, contested, 'rejected_invalid', { note: 'Đã kiểm tra lại' }).ok).toBe(true);
		expect(canAppend(leader, contested, 'rejected_invalid')).toMatchObject({ ok: false, code: 'validation_failed' });
		expect(canAppend(leader, contested, 'reopened', { note: 'Giao lại cho phường' }).ok).toBe(true);
		expect(canAppend(leader, contested, 'resolved', { note: 'xong' })).toMatchObject({ ok: false, code: 'contest_pending' });
		for (const type of ['accepted', 'progress', 'resolved', 'rejected_invalid', 'info_requested'] as const)
			expect(canAppend(handler, contested, type, { unitId: 'ubnd-cam-ly', note: 'x' })).toMatchObject({ ok: false, code: 'contest_pending' });
		expect(canAppend(handler, contested, 'seen', { unitId: 'ubnd-cam-ly' }).ok).toBe(true);
		expect(canAppend(handler, contested, 'reopened', { unitId: 'ubnd-cam-ly' })).toMatchObject({ ok: false, code: 'forbidden_scope' });
	});
	it('a leader reopens only a contested report; the system still reopens only a resolved one', () => {
		expect(canAppend(leader, invalid, 'reopened')).toMatchObject({ ok: false, code: 'forbidden_scope' });
		expect(canAppend(leader, { ...invalid, status: 'resolved' }, 'reopened')).toMatchObject({ ok: false, code: 'forbidden_scope' });
		expect(canAppend({ role: 'system', unitIds: [] }, contested, 'reopened')).toMatchObject({ ok: false, code: 'transition_forbidden' });
	});
});

describe('deriveReport: contested', () => {
	const config = { sla: { default: { onSite: 2, report: 6 }, byCategory: {} } };
	const base = { reportId: 'r1', tenantId: 'lam-dong', at: '2030-01-01T00:00:00.000Z', _deleted: false };
	let n = 0;
	const ev = (type: ReportEvent['type'], hour: number, extra: Partial<ReportEvent> = {}): ReportEvent => ({
		...base,
		id: `e${String(++n).padStart(2, '0')}`,
		type,
		actorId: 'x',
		actorRole: 'handler',
		serverAt: `2026-11-24T${String(hour).padStart(2, '0')}:00:00.000Z`,
		...extra
	});
	const received = ev('received', 1, { actorRole: 'system', unitIds: ['ubnd-cam-ly'] });
	const invalidated = ev('rejected_invalid', 2, { unitId: 'ubnd-cam-ly', note: 'Không thấy rác' });
	const contest = ev('contested', 3, { actorRole: 'resident', actorId: 'device:ana', note: REASON });
	const now = new Date('2026-11-24T04:00:00.000Z');

	it('a contest turns invalid into contested, with a new due time for the decision', () => {
		const d = deriveReport([received, invalidated, contest], config, 'environment', now);
		expect(d.status).toBe('contested');
		expect(d.contestedBy).toBe(contest.id);
		expect(d.dueAt).toBe('2026-11-24T09:00:00.000Z');
	});
	it('the leader upholds: invalid again, and the contest is spent', () => {
		const uphold = ev('rejected_invalid', 4, { actorRole: 'leader', note: 'Giữ nguyên' });
		const d = deriveReport([received, invalidated, contest, uphold], config, 'environment', now);
		expect(d.status).toBe('invalid');
		expect(d.contestedBy).toBe(contest.id);
	});
	it('the leader reopens: the units handle it again on a new clock; a later invalid cannot be contested again', () => {
		const reopen = ev('reopened', 5, { actorRole: 'leader', note: 'Giao lại' });
		const d = deriveReport([received, invalidated, contest, reopen], config, 'environment', now);
		expect(d.status).toBe('reopened');
		expect(d.reopenedBy).toEqual([reopen.id]);
		expect(d.dueAt).toBe('2026-11-24T11:00:00.000Z');
		const again = ev('rejected_invalid', 6, { unitId: 'ubnd-cam-ly', note: 'Vẫn không thấy' });
		const after = deriveReport([received, invalidated, contest, reopen, again], config, 'environment', now);
		expect(after.status).toBe('invalid');
		expect(after.contestedBy).toBe(contest.id);
	});
	it('a contest of a report that is not invalid changes nothing', () => {
		const early = { ...contest, serverAt: '2026-11-24T01:30:00.000Z' };
		expect(deriveReport([received, early], config, 'environment', now).status).toBe('received');
	});
	it('publishes that the reporter contested, never the reason', () => {
		const pub = toPublicEvent(contest);
		expect(pub).toMatchObject({ type: 'contested', actorRole: 'resident' });
		expect(JSON.stringify(pub)).not.toContain('Bãi rác');
	});
});
