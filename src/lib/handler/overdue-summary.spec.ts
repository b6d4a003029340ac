import { describe, expect, it } from 'vitest';
import type { EventType, ReportEvent } from '../domain/event';
import type { Report } from '../domain/report';
import { wardReport } from '../../../tests/support/fixed-documents';
import { isFlaggedOverdue, overdueByUnit, overdueFirst } from './overdue-summary';

const report = (id: string, extra: Partial<Report> = {}): Report =>
	wardReport(id, '2026-11-24T15:30:00.000Z', { dueAt: '2026-11-24T21:30:00.000Z', assignedUnitIds: ['police', 'ubnd-lam-vien'], ...extra });
const late = (id: string, extra: Partial<Report> = {}) => report(id, { overdueAt: '2026-11-24T21:31:00.000Z', ...extra });

let n = 0;
function ev(reportId: string, type: EventType, serverAt: string | undefined, extra: Partial<ReportEvent> = {}): ReportEvent {
	n += 1;
	return {
		id: `e-${String(n).padStart(4, '0')}`,
		reportId,
		tenantId: 'lam-dong',
		type,
		actorId: 'h',
		actorRole: 'handler',
		at: '2026-11-24T16:00:00.000Z',
		serverAt,
		_deleted: false,
		...extra
	};
}

describe('overdue flags in the inbox', () => {
	it('comes from the server’s overdueAt only, and only while the report is open', () => {
		// Due long ago by any clock, but the server has not flagged it: not shown as overdue.
		expect(isFlaggedOverdue(report('a'))).toBe(false);
		expect(isFlaggedOverdue(late('b'))).toBe(true);
		expect(isFlaggedOverdue(late('c', { status: 'resolved' }))).toBe(false);
		expect(isFlaggedOverdue(late('d', { status: 'invalid' }))).toBe(false);
	});

	it('puts overdue reports first, longest overdue on top, the rest in their order', () => {
		const list = [
			report('new'),
			late('recent', { overdueAt: '2026-11-25T02:00:00.000Z' }),
			report('old'),
			late('oldest', { overdueAt: '2026-11-24T21:31:00.000Z' }),
			late('closed', { status: 'resolved' })
		];
		expect(overdueFirst(list).map((r) => r.id)).toEqual(['oldest', 'recent', 'new', 'old', 'closed']);
	});
});

describe('overdue by unit (the leader’s summary)', () => {
	it('counts per unit the overdue reports it has not acted on, and how many it has not opened', () => {
		const reports = [
			late('r1', { seenByUnitIds: ['police'] }),
			late('r2'),
			report('r3'), // not flagged by the server
			late('r4', { status: 'resolved' })
		];
		const events = [
			ev('r1', 'seen', '2026-11-24T16:00:00.000Z', { unitId: 'police' }),
			ev('r2', 'accepted', '2026-11-24T16:05:00.000Z', { unitId: 'ubnd-lam-vien' })
		];
		expect(overdueByUnit(reports, events)).toEqual([
			{ unitId: 'police', overdue: 2, unseen: 1, reportIds: ['r1', 'r2'] },
			{ unitId: 'ubnd-lam-vien', overdue: 1, unseen: 1, reportIds: ['r1'] }
		]);
	});

	it('forgets the steps taken before a reopening, and steps the server has not stored yet', () => {
		const reopened = late('r1', { status: 'reopened', assignedUnitIds: ['police'] });
		const events = [
			ev('r1', 'accepted', '2026-11-24T16:00:00.000Z', { unitId: 'police' }),
			ev('r1', 'resolved', '2026-11-24T17:00:00.000Z', { unitId: 'police', note: 'xong' }),
			ev('r1', 'feedback', '2026-11-24T18:00:00.000Z', { actorRole: 'resident', satisfied: false }),
			ev('r1', 'progress', undefined, { unitId: 'police' })
		];
		expect(overdueByUnit([reopened], events).map((u) => [u.unitId, u.overdue])).toEqual([['police', 1]]);
		const acted = [...events, ev('r1', 'progress', '2026-11-25T01:00:00.000Z', { unitId: 'police' })];
		expect(overdueByUnit([reopened], acted)).toEqual([]);
	});

	it('counts only the units still assigned after a transfer', () => {
		const moved = late('r1', { assignedUnitIds: ['environment'] });
		const events = [ev('r1', 'transferred', '2026-11-24T16:00:00.000Z', { unitId: 'police', unitIds: ['environment'] })];
		expect(overdueByUnit([moved], events).map((u) => u.unitId)).toEqual(['environment']);
	});
});
