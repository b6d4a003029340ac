import { describe, expect, it } from 'vitest';
import type { EventType, ReportEvent } from './event';
import { deriveReport, orderEvents } from './report-state';
import type { TenantConfig } from './tenant';
import { storedEventMaker } from '../../../tests/support/fixed-documents';

/** What the server derives from a report's events: status, units, seen, due and overdue times. */

const config: Pick<TenantConfig, 'sla'> = {
	sla: { default: { onSite: 2, report: 6 }, byCategory: { 'food-safety': { onSite: 4, report: 24 } } }
};

// Device clocks are wrong on purpose (storedEventMaker): derivation must ignore them.
const ev = storedEventMaker();
const vn = (local: string) => new Date(`${local}+07:00`).toISOString();

describe('deriveReport', () => {
	// As routing lists them (sorted): with no lead named, the first one leads (lead-unit.ts), so
	// police's result below closes the report.
	const received = ev('received', vn('2026-11-24T22:30:00'), {
		actorRole: 'system',
		unitIds: ['police', 'ubnd-cam-ly']
	});

	it('keeps what the operations centre counts: the first official answer, the resolution, reopenings, the latest rating', () => {
		const seen = ev('seen', vn('2026-11-24T23:00:00'), { unitId: 'police' });
		// A resident's words are no answer; the system's `assigned` neither.
		const info = ev('info_provided', vn('2026-11-24T23:10:00'), { actorRole: 'resident' });
		const accepted = ev('accepted', vn('2026-11-25T01:00:00'), { unitId: 'police' });
		const resolved = ev('resolved', vn('2026-11-25T03:00:00'), { unitId: 'police' });
		const unhappy = ev('feedback', vn('2026-11-25T05:00:00'), { actorRole: 'resident', satisfied: false });
		const again = ev('resolved', vn('2026-11-25T09:00:00'), { unitId: 'police' });
		const happy = ev('feedback', vn('2026-11-25T10:00:00'), { actorRole: 'resident', satisfied: true });
		const at = new Date(vn('2026-11-26T00:00:00'));
		const before = deriveReport([received, seen, info], config, 'environment', at);
		expect(before.firstResponseAt).toBeUndefined();
		expect(before.satisfied).toBeUndefined();
		const reopened = deriveReport([received, seen, info, accepted, resolved, unhappy], config, 'environment', at);
		expect(reopened).toMatchObject({ firstResponseAt: vn('2026-11-25T01:00:00'), satisfied: false, status: 'reopened', resolvedAt: undefined });
		expect(reopened.reopenedBy).toHaveLength(1);
		const fixed = deriveReport([received, seen, info, accepted, resolved, unhappy, again, happy], config, 'environment', at);
		expect(fixed).toMatchObject({ firstResponseAt: vn('2026-11-25T01:00:00'), satisfied: true, status: 'resolved', resolvedAt: vn('2026-11-25T09:00:00') });
	});


	it('names the units that have acted since the last opening; seeing is not acting, a leader’s step counts for no unit', () => {
		const at = new Date(vn('2026-11-26T00:00:00'));
		const seen = ev('seen', vn('2026-11-24T23:00:00'), { unitId: 'ubnd-cam-ly' });
		const directive = ev('directive', vn('2026-11-24T23:05:00'), { actorRole: 'leader', note: 'Xử lý ngay' });
		const accepted = ev('accepted', vn('2026-11-25T01:00:00'), { unitId: 'police' });
		expect(deriveReport([received, seen, directive], config, 'environment', at).actedByUnitIds).toEqual([]);
		expect(deriveReport([received, seen, directive, accepted], config, 'environment', at).actedByUnitIds).toEqual(['police']);
		const asked = ev('info_requested', vn('2026-11-25T02:00:00'), { unitId: 'ubnd-cam-ly', note: 'Ở đâu?' });
		const resolved = ev('resolved', vn('2026-11-25T03:00:00'), { unitId: 'police' });
		expect(deriveReport([received, accepted, asked, resolved], config, 'environment', at).actedByUnitIds).toEqual(['police', 'ubnd-cam-ly']);
		// Reopened after an unsatisfied rating: every unit has to act again.
		const unhappy = ev('feedback', vn('2026-11-25T05:00:00'), { actorRole: 'resident', satisfied: false });
		expect(deriveReport([received, accepted, asked, resolved, unhappy], config, 'environment', at).actedByUnitIds).toEqual([]);
		// A unit that handed its part over is no longer on the report: it is not listed.
		const handedOver = ev('transferred', vn('2026-11-25T06:00:00'), { unitId: 'ubnd-cam-ly', unitIds: ['env-office'] });
		const after = deriveReport([received, accepted, asked, handedOver], config, 'environment', at);
		expect(after.assignedUnitIds).toEqual(['env-office', 'police']);
		expect(after.actedByUnitIds).toEqual(['police']);
	});
	it('starts the SLA clock at the server receipt, across the day boundary (fake clock)', () => {
		const d = deriveReport([received], config, 'environment', new Date(vn('2026-11-25T04:29:00')));
		expect(d.status).toBe('received');
		expect(d.assignedUnitIds).toEqual(['police', 'ubnd-cam-ly']);
		expect(d.dueAt).toBe(vn('2026-11-25T04:30:00'));
		expect(d.onSiteDueAt).toBe(vn('2026-11-25T00:30:00'));
		expect(d.overdue).toBe(false);
		expect(deriveReport([received], config, 'environment', new Date(vn('2026-11-25T04:31:00'))).overdue).toBe(true);
	});

	it('counts a working-hours category on the tenant calendar, at receipt and at a reopening', () => {
		const withCalendar: Pick<TenantConfig, 'sla' | 'calendar'> = {
			sla: { default: { onSite: 2, report: 6, hours: 'working' }, byCategory: {} },
			calendar: {
				timeZone: 'Asia/Ho_Chi_Minh',
				utcOffset: '+07:00',
				week: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], periods: [{ from: '07:30', to: '11:30' }, { from: '13:30', to: '17:00' }] }],
				holidays: []
			}
		};
		// Tuesday 22:30: due Wednesday 07:30 + 4 h to 11:30, + 2 h from 13:30; on site by 09:30.
		const d = deriveReport([received], withCalendar, 'environment', new Date(vn('2026-11-25T04:31:00')));
		expect(d).toMatchObject({ dueAt: vn('2026-11-25T15:30:00'), onSiteDueAt: vn('2026-11-25T09:30:00'), overdue: false });
		// Reopened on Friday 16:00: 1 h that day, the weekend skipped, 5 h on Monday.
		const resolved = ev('resolved', vn('2026-11-25T10:00:00'), { unitId: 'police', note: 'Xong' });
		const unhappy = ev('feedback', vn('2026-11-27T16:00:00'), { actorRole: 'resident', satisfied: false, note: 'Vẫn còn' });
		const reopened = deriveReport([received, resolved, unhappy], withCalendar, 'environment', new Date(vn('2026-11-29T12:00:00')));
		expect(reopened).toMatchObject({ status: 'reopened', dueAt: vn('2026-11-30T14:30:00'), overdue: false });
	});

	it('takes the category SLA override', () => {
		const d = deriveReport([received], config, 'food-safety', new Date(vn('2026-11-25T04:31:00')));
		expect(d.dueAt).toBe(vn('2026-11-25T22:30:00'));
		expect(d.onSiteDueAt).toBe(vn('2026-11-25T02:30:00'));
		expect(d.overdue).toBe(false);
	});

	it('gives the same result whatever order the events arrive in', () => {
		const events = [
			received,
			ev('seen', vn('2026-11-24T23:00:00'), { unitId: 'police' }),
			ev('accepted', vn('2026-11-24T23:05:00'), { unitId: 'police' }),
			ev('info_requested', vn('2026-11-24T23:06:00'), { unitId: 'police' }),
			ev('info_provided', vn('2026-11-24T23:30:00'), { actorRole: 'resident' }),
			ev('resolved', vn('2026-11-25T01:00:00'), { unitId: 'police', note: 'Đã xử lý' })
		];
		const now = new Date(vn('2026-11-25T09:00:00'));
		const inOrder = deriveReport(events, config, 'environment', now);
		expect(inOrder).toMatchObject({
			status: 'resolved',
			resolvedAt: vn('2026-11-25T01:00:00'),
			seenByUnitIds: ['police'],
			infoRequestPending: false,
			overdue: false
		});
		for (const shuffled of [[...events].reverse(), [events[3], events[5], events[0], events[2], events[4], events[1]]])
			expect(deriveReport(shuffled, config, 'environment', now)).toEqual(inOrder);
	});

	it('orders by server time only, ties by id, and ignores events not stored by the server yet', () => {
		const late = ev('resolved', vn('2026-11-25T01:00:00'), { note: 'x', at: '2020-01-01T00:00:00.000Z' });
		const pending = ev('rejected_invalid', '', { note: 'x' });
		delete pending.serverAt;
		const d = deriveReport([late, pending, received], config, 'environment', new Date(vn('2026-11-25T02:00:00')));
		expect(d.status).toBe('resolved');
		const a = ev('seen', vn('2026-11-24T23:00:00'), { id: '0190-b', unitId: 'police' });
		const b = ev('seen', vn('2026-11-24T23:00:00'), { id: '0190-a', unitId: 'ubnd-cam-ly' });
		expect(orderEvents([a, b, received]).map((e) => e.id)).toEqual([received.id, '0190-a', '0190-b']);
	});

	it('keeps both of two handlers concurrent events, in server order', () => {
		const fromCamLy = ev('progress', vn('2026-11-24T23:10:00'), { unitId: 'ubnd-cam-ly', at: vn('2026-11-24T23:50:00') });
		const fromPolice = ev('progress', vn('2026-11-24T23:09:00'), { unitId: 'police', at: vn('2026-11-24T23:00:00') });
		const seenA = ev('seen', vn('2026-11-24T23:01:00'), { unitId: 'ubnd-cam-ly' });
		const seenB = ev('seen', vn('2026-11-24T23:01:00'), { unitId: 'police' });
		const events = [fromCamLy, seenA, fromPolice, received, seenB];
		expect(orderEvents(events).map((e) => e.id)).toEqual([received.id, seenA.id, seenB.id, fromPolice.id, fromCamLy.id]);
		const d = deriveReport(events, config, 'environment', new Date(vn('2026-11-25T00:00:00')));
		expect(d.status).toBe('in_progress');
		expect(d.seenByUnitIds).toEqual(['police', 'ubnd-cam-ly']);
	});

	it('moves units on transfer and keeps who has seen it among the units that remain', () => {
		const events = [
			received,
			ev('seen', vn('2026-11-24T23:00:00'), { unitId: 'police' }),
			ev('seen', vn('2026-11-24T23:01:00'), { unitId: 'ubnd-cam-ly' }),
			ev('transferred', vn('2026-11-24T23:30:00'), { unitId: 'police', unitIds: ['environment'] })
		];
		const d = deriveReport(events, config, 'environment', new Date(vn('2026-11-25T00:00:00')));
		expect(d.assignedUnitIds).toEqual(['environment', 'ubnd-cam-ly']);
		expect(d.seenByUnitIds).toEqual(['ubnd-cam-ly']);
	});

	it('replaces every unit on a leader’s whole-report transfer', () => {
		const events = [
			received,
			ev('transferred', vn('2026-11-24T23:30:00'), { actorRole: 'leader', scope: 'whole', unitIds: ['environment'] })
		];
		expect(deriveReport(events, config, 'environment', new Date(vn('2026-11-25T00:00:00'))).assignedUnitIds).toEqual(['environment']);
	});

	it('adds units on "assigned" and leaves status "assigned"', () => {
		const d = deriveReport(
			[received, ev('assigned', vn('2026-11-24T22:31:00'), { actorRole: 'system', unitIds: ['environment'] })],
			config,
			'environment',
			new Date(vn('2026-11-24T23:00:00'))
		);
		expect(d.status).toBe('assigned');
		expect(d.assignedUnitIds).toEqual(['environment', 'police', 'ubnd-cam-ly']);
	});

	it('closes on "rejected_invalid" and is then never overdue', () => {
		const d = deriveReport(
			[received, ev('rejected_invalid', vn('2026-11-24T23:00:00'), { note: 'Không đúng' }),
				ev('progress', vn('2026-11-24T23:30:00'))],
			config,
			'environment',
			new Date(vn('2026-11-26T00:00:00'))
		);
		expect(d.status).toBe('invalid');
		expect(d.overdue).toBe(false);
	});

	it('reopens on unsatisfied feedback with a new due time, units unchanged; satisfied feedback keeps it closed', () => {
		const resolved = ev('resolved', vn('2026-11-25T01:00:00'), { unitId: 'police', note: 'Xong' });
		const unhappy = ev('feedback', vn('2026-11-25T08:00:00'), {
			actorRole: 'resident',
			satisfied: false,
			note: 'Vẫn còn'
		});
		const systemReopen = ev('reopened', vn('2026-11-25T08:00:01'), { actorRole: 'system' });
		const d = deriveReport([received, resolved, unhappy, systemReopen], config, 'environment', new Date(vn('2026-11-25T13:59:00')));
		expect(d.status).toBe('reopened');
		expect(d.resolvedAt).toBeUndefined();
		expect(d.assignedUnitIds).toEqual(['police', 'ubnd-cam-ly']);
		expect(d.dueAt).toBe(vn('2026-11-25T14:00:00'));
		expect(d.overdue).toBe(false);
		expect(deriveReport([received, resolved, unhappy], config, 'environment', new Date(vn('2026-11-25T14:01:00'))).overdue).toBe(true);

		const happy = ev('feedback', vn('2026-11-25T08:00:00'), { actorRole: 'resident', satisfied: true });
		const kept = deriveReport([received, resolved, happy], config, 'environment', new Date(vn('2026-11-26T00:00:00')));
		expect(kept.status).toBe('resolved');
		expect(kept.overdue).toBe(false);
	});
});

describe('deriveReport: the overdue flag (fake clock across the day boundary)', () => {
	// Received 22:30 on the 24th (Vietnam time): due 04:30 on the 25th with the 6-hour default.
	const received = ev('received', vn('2026-11-24T22:30:00'), { actorRole: 'system', unitIds: ['police'] });
	const overdue = (serverAt: string) =>
		ev('overdue', serverAt, { actorId: 'system', actorRole: 'system', unitIds: ['police'] });

	it('is not flagged before the job writes its event, however late the clock', () => {
		const d = deriveReport([received], config, 'environment', new Date(vn('2026-11-25T09:00:00')));
		expect(d.overdue).toBe(true);
		expect(d.overdueAt).toBeUndefined();
	});

	it('takes the time of the job’s event past midnight as overdueAt', () => {
		const d = deriveReport([received, overdue(vn('2026-11-25T04:31:00'))], config, 'environment', new Date(vn('2026-11-25T04:32:00')));
		expect(d.dueAt).toBe(vn('2026-11-25T04:30:00'));
		expect(d.overdueAt).toBe(vn('2026-11-25T04:31:00'));
		expect(d.status).toBe('received');
	});

	it('ignores an overdue event stamped before the due time in force', () => {
		const early = overdue(vn('2026-11-25T04:29:59'));
		expect(deriveReport([received, early], config, 'environment', new Date(vn('2026-11-25T05:00:00'))).overdueAt).toBeUndefined();
	});

	it('keeps overdueAt once resolved late, so the history shows it; an event after the resolution does not count', () => {
		const resolved = ev('resolved', vn('2026-11-25T06:00:00'), { unitId: 'police', note: 'Xong' });
		const late = deriveReport(
			[received, overdue(vn('2026-11-25T04:31:00')), resolved],
			config,
			'environment',
			new Date(vn('2026-11-25T07:00:00'))
		);
		expect(late).toMatchObject({ status: 'resolved', overdueAt: vn('2026-11-25T04:31:00'), overdue: false });

		const onTime = ev('resolved', vn('2026-11-25T04:00:00'), { unitId: 'police', note: 'Xong' });
		const raced = deriveReport([received, onTime, overdue(vn('2026-11-25T04:31:00'))], config, 'environment', new Date(vn('2026-11-25T07:00:00')));
		expect(raced.status).toBe('resolved');
		expect(raced.overdueAt).toBeUndefined();
	});

	it('clears the flag on reopening with a new due time, and flags it again when that one passes', () => {
		const first = overdue(vn('2026-11-25T04:31:00'));
		const resolved = ev('resolved', vn('2026-11-25T06:00:00'), { unitId: 'police', note: 'Xong' });
		const unhappy = ev('feedback', vn('2026-11-25T20:00:00'), { actorRole: 'resident', satisfied: false, note: 'Vẫn còn' });
		const reopened = deriveReport([received, first, resolved, unhappy], config, 'environment', new Date(vn('2026-11-26T01:00:00')));
		expect(reopened).toMatchObject({ status: 'reopened', dueAt: vn('2026-11-26T02:00:00'), overdue: false });
		expect(reopened.overdueAt).toBeUndefined();

		// The first event again (a replay) and a stale one from before the reopening change nothing.
		const stale = overdue(vn('2026-11-25T20:00:30'));
		expect(deriveReport([received, first, resolved, unhappy, stale], config, 'environment', new Date(vn('2026-11-26T01:00:00'))).overdueAt).toBeUndefined();

		const second = overdue(vn('2026-11-26T02:01:00'));
		const again = deriveReport([received, first, resolved, unhappy, second], config, 'environment', new Date(vn('2026-11-26T02:02:00')));
		expect(again).toMatchObject({ status: 'reopened', overdueAt: vn('2026-11-26T02:01:00'), overdue: true });
	});

	it('gives the same overdueAt whatever order the events arrive in', () => {
		const events = [received, ev('seen', vn('2026-11-24T23:00:00'), { unitId: 'police' }), overdue(vn('2026-11-25T04:31:00'))];
		const now = new Date(vn('2026-11-25T05:00:00'));
		const d = deriveReport(events, config, 'environment', now);
		expect(d.overdueAt).toBe(vn('2026-11-25T04:31:00'));
		expect(deriveReport([...events].reverse(), config, 'environment', now)).toEqual(d);
	});
});
