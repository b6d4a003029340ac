import { describe, expect, it } from 'vitest';
import type { EventType, ReportEvent } from './event';
import { canAppend, deriveReport, orderEvents, type Actor, type ReportStateView } from './report-state';
import type { TenantConfig } from './tenant';

const config: Pick<TenantConfig, 'sla'> = {
	sla: { default: { onSite: 2, report: 6 }, byCategory: { 'food-safety': { onSite: 4, report: 24 } } }
};

const author: Actor = { role: 'resident', unitIds: [], id: 'resident-1' };
const stranger: Actor = { role: 'resident', unitIds: [], id: 'resident-2' };
const handler: Actor = { role: 'handler', unitIds: ['ubnd-cam-ly'], id: 'h1' };
const otherHandler: Actor = { role: 'handler', unitIds: ['police'], id: 'h2' };
const leader: Actor = { role: 'leader', unitIds: ['province'], id: 'l1' };
const system: Actor = { role: 'system', unitIds: [], id: 'server' };

const open: ReportStateView = { status: 'assigned', assignedUnitIds: ['ubnd-cam-ly'], authorId: 'resident-1' };
const withStatus = (status: ReportStateView['status'], extra: Partial<ReportStateView> = {}) => ({
	...open,
	status,
	...extra
});

describe('canAppend: handlers', () => {
	const actions: EventType[] = ['seen', 'accepted', 'progress', 'info_requested'];
	it.each(actions)('lets a handler of an assigned unit append "%s"', (type) => {
		expect(canAppend(handler, open, type, { unitId: 'ubnd-cam-ly' })).toEqual({ ok: true });
	});
	it('lets a handler resolve or reject only with a note', () => {
		expect(canAppend(handler, open, 'resolved', { unitId: 'ubnd-cam-ly', note: 'Đã dọn rác' }).ok).toBe(true);
		expect(canAppend(handler, open, 'resolved', { unitId: 'ubnd-cam-ly' })).toMatchObject({
			ok: false,
			code: 'validation_failed'
		});
		expect(canAppend(handler, open, 'rejected_invalid', { note: 'Trùng phản ánh khác' }).ok).toBe(true);
		expect(canAppend(handler, open, 'rejected_invalid', { note: '  ' })).toMatchObject({ code: 'validation_failed' });
	});
	it('lets a handler transfer only to another unit', () => {
		expect(canAppend(handler, open, 'transferred', { unitId: 'ubnd-cam-ly', unitIds: ['police'] }).ok).toBe(true);
		expect(canAppend(handler, open, 'transferred', { unitId: 'ubnd-cam-ly', unitIds: ['ubnd-cam-ly'] })).toMatchObject({
			code: 'validation_failed'
		});
		expect(canAppend(handler, open, 'transferred', { unitId: 'ubnd-cam-ly' })).toMatchObject({ code: 'validation_failed' });
	});
	it('lets a handler transfer only their own unit’s part: the event names it as the source', () => {
		const shared = { ...open, assignedUnitIds: ['ubnd-cam-ly', 'environment'] };
		// Without a source the transfer would drop every unit of the report.
		expect(canAppend(handler, shared, 'transferred', { unitIds: ['police'] })).toMatchObject({ code: 'transfer_source_required' });
		expect(canAppend(handler, shared, 'transferred', { unitId: 'environment', unitIds: ['police'] })).toMatchObject({
			code: 'forbidden_scope'
		});
		expect(canAppend(handler, shared, 'transferred', { scope: 'whole', unitIds: ['police'] })).toMatchObject({
			code: 'forbidden_scope'
		});
	});
	it('refuses a scope on anything but a transfer', () => {
		expect(canAppend(leader, open, 'progress', { scope: 'whole', note: 'x' })).toMatchObject({ code: 'validation_failed' });
	});
	it.each([...actions, 'resolved', 'rejected_invalid', 'transferred'] as EventType[])(
		'refuses "%s" from a handler whose units are not assigned',
		(type) => {
			expect(canAppend(otherHandler, open, type, { note: 'x', unitIds: ['environment'] })).toMatchObject({
				ok: false,
				code: 'forbidden_scope'
			});
		}
	);
	it('refuses a handler acting for a unit that is not theirs, even if it is assigned', () => {
		const shared = { ...open, assignedUnitIds: ['ubnd-cam-ly', 'police'] };
		expect(canAppend(otherHandler, shared, 'accepted', { unitId: 'ubnd-cam-ly' })).toMatchObject({
			code: 'forbidden_scope'
		});
		expect(canAppend(otherHandler, shared, 'accepted', { unitId: 'police' }).ok).toBe(true);
	});
	it('refuses resolving a report already invalid or resolved', () => {
		for (const status of ['invalid', 'resolved'] as const)
			expect(canAppend(handler, withStatus(status), 'resolved', { note: 'xong' })).toMatchObject({
				ok: false,
				code: 'report_closed'
			});
	});
	it('still records "seen" on a closed report, but no other handling', () => {
		expect(canAppend(handler, withStatus('invalid'), 'seen').ok).toBe(true);
		expect(canAppend(handler, withStatus('resolved'), 'progress')).toMatchObject({ code: 'report_closed' });
	});
	it('lets handlers work again on a reopened report', () => {
		expect(canAppend(handler, withStatus('reopened'), 'progress').ok).toBe(true);
	});
	it('refuses handling before the server received the report', () => {
		expect(canAppend(handler, withStatus(undefined), 'accepted')).toMatchObject({ code: 'transition_forbidden' });
	});
	it('refuses handler actions and directives from residents, admins and volunteers', () => {
		for (const actor of [author, { role: 'admin', unitIds: [] }, { role: 'volunteer', unitIds: [] }] as Actor[]) {
			expect(canAppend(actor, open, 'resolved', { note: 'x' })).toMatchObject({ code: 'forbidden_scope' });
			expect(canAppend(actor, open, 'directive', { note: 'x' })).toMatchObject({ code: 'forbidden_scope' });
		}
	});
});

describe('canAppend: leaders', () => {
	it('lets a leader give a directive on any open report of the tenant, with a note', () => {
		expect(canAppend(leader, open, 'directive', { note: 'Xử lý trong ngày' }).ok).toBe(true);
		expect(canAppend(leader, open, 'directive')).toMatchObject({ code: 'validation_failed' });
		expect(canAppend(leader, withStatus('resolved'), 'directive', { note: 'x' })).toMatchObject({
			code: 'report_closed'
		});
	});
	it('refuses a directive from a handler', () => {
		expect(canAppend(handler, open, 'directive', { note: 'x' })).toMatchObject({ code: 'forbidden_scope' });
	});
	it.each(['seen', 'accepted', 'progress', 'info_requested', 'resolved', 'rejected_invalid'] as EventType[])(
		'lets a leader "%s" a report none of their units is assigned to',
		(type) => {
			expect(canAppend(leader, open, type, { note: 'ghi chú' }).ok).toBe(true);
		}
	);
	it('lets a leader transfer the whole report only explicitly, or one unit’s part', () => {
		expect(canAppend(leader, open, 'transferred', { scope: 'whole', unitIds: ['police'] }).ok).toBe(true);
		expect(canAppend(leader, open, 'transferred', { unitId: 'ubnd-cam-ly', unitIds: ['police'] }).ok).toBe(true);
		expect(canAppend(leader, open, 'transferred', { unitIds: ['police'] })).toMatchObject({ code: 'transfer_source_required' });
		expect(canAppend(leader, open, 'transferred', { unitId: 'police', unitIds: ['environment'] })).toMatchObject({
			code: 'forbidden_scope'
		});
		expect(canAppend(leader, open, 'transferred', { scope: 'whole', unitId: 'ubnd-cam-ly', unitIds: ['police'] })).toMatchObject({
			code: 'validation_failed'
		});
	});
	it('still refuses a leader resolving an invalid report', () => {
		expect(canAppend(leader, withStatus('invalid'), 'resolved', { note: 'x' })).toMatchObject({
			code: 'report_closed'
		});
	});
});

describe('canAppend: residents', () => {
	it('lets the author provide information only while a request is pending', () => {
		expect(canAppend(author, withStatus('in_progress', { infoRequestPending: true }), 'info_provided').ok).toBe(true);
		expect(canAppend(author, withStatus('in_progress'), 'info_provided')).toMatchObject({
			code: 'transition_forbidden'
		});
		expect(canAppend(author, withStatus('resolved', { infoRequestPending: true }), 'info_provided')).toMatchObject({
			code: 'report_closed'
		});
	});
	it('lets the author give feedback only after resolution, saying satisfied or not', () => {
		expect(canAppend(author, withStatus('resolved'), 'feedback', { satisfied: false, note: 'Vẫn còn rác' }).ok).toBe(
			true
		);
		expect(canAppend(author, withStatus('resolved'), 'feedback', { satisfied: true }).ok).toBe(true);
		expect(canAppend(author, withStatus('resolved'), 'feedback', { note: 'ok' })).toMatchObject({
			code: 'validation_failed'
		});
		for (const status of ['received', 'assigned', 'in_progress', 'reopened', 'invalid'] as const)
			expect(canAppend(author, withStatus(status), 'feedback', { satisfied: true })).toMatchObject({
				ok: false,
				code: 'transition_forbidden'
			});
	});
	it('refuses another resident answering on a report that is not theirs', () => {
		expect(canAppend(stranger, withStatus('resolved'), 'feedback', { satisfied: true })).toMatchObject({
			code: 'not_owner'
		});
		expect(canAppend(stranger, withStatus('assigned', { infoRequestPending: true }), 'info_provided')).toMatchObject({
			code: 'not_owner'
		});
	});
	it('refuses a handler or leader writing the resident answers', () => {
		expect(canAppend(handler, withStatus('resolved'), 'feedback', { satisfied: true })).toMatchObject({
			code: 'forbidden_scope'
		});
		expect(canAppend(leader, withStatus('in_progress', { infoRequestPending: true }), 'info_provided')).toMatchObject({
			code: 'forbidden_scope'
		});
	});
	it.each(['seen', 'accepted', 'progress', 'resolved', 'transferred'] as EventType[])(
		'refuses the author appending "%s"',
		(type) => {
			expect(canAppend(author, open, type, { note: 'x', unitIds: ['police'] })).toMatchObject({
				code: 'forbidden_scope'
			});
		}
	);
});

describe('canAppend: system events', () => {
	it.each(['received', 'assigned', 'overdue', 'reopened'] as EventType[])(
		'refuses "%s" from anyone but the server',
		(type) => {
			for (const actor of [author, handler, leader])
				expect(canAppend(actor, withStatus('resolved'), type)).toMatchObject({ code: 'forbidden_scope' });
		}
	);
	it('lets the server receive once, assign, mark overdue while open, and reopen only a resolved report', () => {
		expect(canAppend(system, withStatus(undefined), 'received').ok).toBe(true);
		expect(canAppend(system, open, 'received')).toMatchObject({ code: 'transition_forbidden' });
		expect(canAppend(system, open, 'assigned').ok).toBe(true);
		expect(canAppend(system, open, 'overdue').ok).toBe(true);
		expect(canAppend(system, withStatus('resolved'), 'overdue')).toMatchObject({ code: 'report_closed' });
		expect(canAppend(system, withStatus('resolved'), 'reopened').ok).toBe(true);
		expect(canAppend(system, withStatus('invalid'), 'reopened')).toMatchObject({ code: 'transition_forbidden' });
	});
	it('refuses the server faking a person action', () => {
		expect(canAppend(system, open, 'resolved', { note: 'x' })).toMatchObject({ code: 'forbidden_scope' });
	});
});

let seq = 0;
function ev(type: EventType, serverAt: string, extra: Partial<ReportEvent> = {}): ReportEvent {
	seq += 1;
	return {
		id: `0190-${String(seq).padStart(4, '0')}`,
		reportId: 'r1',
		tenantId: 'lam-dong',
		type,
		actorId: 'x',
		actorRole: 'handler',
		// Device clocks are wrong on purpose: derivation must ignore them.
		at: '2030-01-01T00:00:00.000Z',
		serverAt,
		_deleted: false,
		...extra
	};
}
const vn = (local: string) => new Date(`${local}+07:00`).toISOString();

describe('deriveReport', () => {
	const received = ev('received', vn('2026-11-24T22:30:00'), {
		actorRole: 'system',
		unitIds: ['ubnd-cam-ly', 'police']
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
