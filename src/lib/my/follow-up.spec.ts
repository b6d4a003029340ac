import { beforeEach, describe, expect, it } from 'vitest';
import type { ReportEvent } from '../domain/event';
import { followUp } from './follow-up';

const REPORT = 'r-1';
let n = 0;
function ev(type: ReportEvent['type'], extra: Partial<ReportEvent> = {}): ReportEvent {
	n++;
	return {
		id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
		reportId: REPORT,
		tenantId: 'lam-dong',
		type,
		actorId: extra.actorRole === 'resident' ? 'device:me' : 'staff:h',
		actorRole: 'handler',
		at: '2025-07-01T01:00:00.000Z',
		serverAt: `2025-07-01T01:${String(n).padStart(2, '0')}:00.000Z`,
		_deleted: false,
		...extra
	};
}
const received = () => [ev('received', { actorRole: 'system' }), ev('assigned', { actorRole: 'system', unitIds: ['u'] })];

describe('followUp: what the resident may do on their report', () => {
	it('offers to answer while the handler\'s question is pending, then shows the answer as not sent', () => {
		const question = ev('info_requested', { note: 'Số nhà nào?' });
		const events = [...received(), ev('accepted'), question];
		const before = followUp({ status: 'in_progress', categoryCode: 'environment' }, events);
		expect(before.question?.id).toBe(question.id);
		expect(before.canAnswer).toBe(true);

		const answer = ev('info_provided', { actorRole: 'resident', note: 'Số 12', serverAt: undefined });
		const after = followUp({ status: 'in_progress', categoryCode: 'environment' }, [...events, answer]);
		expect(after.canAnswer).toBe(false);
		expect(after.answerPending?.id).toBe(answer.id);

		// Stored by the server: no question left.
		const stored = followUp({ status: 'in_progress', categoryCode: 'environment' }, [...events, { ...answer, serverAt: '2025-07-01T02:00:00.000Z' }]);
		expect(stored.question).toBeUndefined();
		expect(stored.canAnswer).toBe(false);
	});

	it('offers the question again when the server refused the answer', () => {
		const answer = ev('info_provided', { actorRole: 'resident', note: 'Số 12', serverAt: undefined });
		const events = [...received(), ev('info_requested', { note: '?' }), answer];
		const state = followUp({ status: 'assigned', categoryCode: 'environment' }, events, { rejectedIds: new Set([answer.id]) });
		expect(state.canAnswer).toBe(true);
	});

	it('offers a rating once resolved, and not again after one is given (sent or on its way)', () => {
		const resolved = ev('resolved', { note: 'Đã thu gom' });
		const events = [...received(), ev('accepted'), resolved];
		const state = followUp({ status: 'resolved', categoryCode: 'environment' }, events);
		expect(state.canRate).toBe(true);
		expect(state.result?.note).toBe('Đã thu gom');

		const rating = ev('feedback', { actorRole: 'resident', satisfied: true, serverAt: undefined });
		const rated = followUp({ status: 'resolved', categoryCode: 'environment' }, [...events, rating]);
		expect(rated.canRate).toBe(false);
		expect(rated.rating?.satisfied).toBe(true);
	});

	it('asks again for a rating when a reopened report is resolved a second time', () => {
		const events = [
			...received(),
			ev('resolved', { note: 'lần 1' }),
			ev('feedback', { actorRole: 'resident', satisfied: false, note: 'Chưa sạch' }),
			ev('resolved', { note: 'lần 2' })
		];
		const state = followUp({ status: 'resolved', categoryCode: 'environment' }, events);
		expect(state.canRate).toBe(true);
		expect(state.result?.note).toBe('lần 2');
	});

	it('shows a reopened report as reopened, with the resident\'s reason, and the old result only as the previous one', () => {
		const first = ev('resolved', { note: 'Đã thu gom' });
		const rating = ev('feedback', { actorRole: 'resident', satisfied: false, note: 'Rác vẫn còn' });
		const events = [...received(), first, rating];
		for (const list of [events, [...events, ev('reopened', { actorRole: 'system' })]]) {
			const state = followUp({ status: 'reopened', categoryCode: 'environment' }, list);
			expect(state.status).toBe('reopened');
			expect(state.result).toBeUndefined();
			expect(state.reopening?.note).toBe('Rác vẫn còn');
			expect(state.previousResult?.id).toBe(first.id);
			expect(state.canRate).toBe(false);
		}
		// Handled again and resolved: the new result is the result, the reopening is history.
		const again = followUp({ status: 'resolved', categoryCode: 'environment' }, [...events, ev('resolved', { note: 'lần 2' })]);
		expect(again.result?.note).toBe('lần 2');
		expect(again.reopening).toBeUndefined();
	});

	it('offers nothing on a report under way, nor on one found invalid', () => {
		const open = followUp({ status: 'in_progress', categoryCode: 'environment' }, [...received(), ev('accepted')]);
		expect(open).toMatchObject({ canAnswer: false, canRate: false });
		const invalid = followUp({ status: 'invalid', categoryCode: 'environment' }, [
			...received(),
			ev('info_requested'),
			ev('rejected_invalid', { note: 'Không đúng' })
		]);
		expect(invalid).toMatchObject({ canAnswer: false, canRate: false, question: undefined });
	});
});

describe('followUp: contesting an "invalid" decision', () => {
	// Server times are minutes of one hour: count from the start again, under 60 events.
	beforeEach(() => (n = 0));
	const decision = () => ev('rejected_invalid', { unitId: 'u', note: 'Không thấy rác' });
	it('offers to contest an invalid decision once; a contest on its way or stored is shown, not offered again', () => {
		const base = [...received(), decision()];
		const before = followUp({ status: 'invalid', categoryCode: 'environment' }, base);
		expect(before.canContest).toBe(true);
		expect(before.decision?.note).toBe('Không thấy rác');

		const mine = ev('contested', { actorRole: 'resident', note: 'Rác vẫn còn', serverAt: undefined });
		const pending = followUp({ status: 'invalid', categoryCode: 'environment' }, [...base, mine]);
		expect(pending.canContest).toBe(false);
		expect(pending.contest?.id).toBe(mine.id);

		const stored = { ...mine, serverAt: '2025-07-01T02:00:00.000Z' };
		const waiting = followUp({ status: 'contested', categoryCode: 'environment' }, [...base, stored]);
		expect(waiting.canContest).toBe(false);
		expect(waiting.contest?.id).toBe(mine.id);
		expect(waiting.contestFinal).toBe(false);
	});
	it('after the leader upholds, the decision is final: nothing to contest', () => {
		const before = [...received(), decision()];
		const contest = ev('contested', { actorRole: 'resident', note: 'Rác vẫn còn' });
		const uphold = ev('rejected_invalid', { actorRole: 'leader', note: 'Giữ nguyên' });
		const fu = followUp({ status: 'invalid', categoryCode: 'environment' }, [...before, contest, uphold]);
		expect(fu.canContest).toBe(false);
		expect(fu.contestFinal).toBe(true);
		expect(fu.decision?.id).toBe(uphold.id);
	});
	it('a contest the server refused may be made again', () => {
		const before = [...received(), decision()];
		const refused = ev('contested', { actorRole: 'resident', note: 'x', serverAt: undefined });
		const fu = followUp({ status: 'invalid', categoryCode: 'environment' }, [...before, refused], { rejectedIds: new Set([refused.id]) });
		expect(fu.canContest).toBe(true);
	});
});

describe('followUp: withdrawing a report (rút phản ánh) from /my', () => {
	it('offers it on an open report, shows a withdrawal on its way instead, and nothing once closed', () => {
		const events = [...received(), ev('accepted')];
		expect(followUp({ status: 'in_progress', categoryCode: 'environment' }, events).canWithdraw).toBe(true);
		expect(followUp({ status: 'assigned', categoryCode: 'environment' }, received()).canWithdraw).toBe(true);

		const withdrawal = ev('withdrawn', { actorRole: 'resident', note: 'Đã tự dọn', serverAt: undefined });
		const pending = followUp({ status: 'in_progress', categoryCode: 'environment' }, [...events, withdrawal]);
		expect(pending.canWithdraw).toBe(false);
		expect(pending.withdrawal?.id).toBe(withdrawal.id);

		// Refused by the server (say the unit had just closed it): not on its way any more.
		expect(followUp({ status: 'in_progress', categoryCode: 'environment' }, [...events, withdrawal], { rejectedIds: new Set([withdrawal.id]) }).canWithdraw).toBe(true);

		for (const status of ['resolved', 'invalid', 'withdrawn'] as const)
			expect(followUp({ status, categoryCode: 'environment' }, events).canWithdraw, status).toBe(false);
		// Not received by the server yet: nothing to withdraw there (the outbox handles it).
		expect(followUp({ status: undefined, categoryCode: 'environment' }, []).canWithdraw).toBe(false);
	});
});
