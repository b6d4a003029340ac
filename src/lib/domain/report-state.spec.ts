import { describe, expect, it } from 'vitest';
import type { EventType } from './event';
import { canAppend, type Actor, type ReportStateView } from './report-state';

/** Who may append which handling step to a report in which state (the derivation: report-derive.spec.ts). */

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
