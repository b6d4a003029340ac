import { describe, expect, it } from 'vitest';
import type { EventType, ReportEvent } from './event';
import { leadOf, stepRoles, unitRole } from './lead-unit';
import { deriveReport, orderEvents } from './report-state';
import type { TenantConfig } from './tenant';
import { storedEventMaker } from '../../../tests/support/fixed-documents';

/** The lead unit (chủ trì) closes a report; a coordinating unit (phối hợp) reports its part only. */

const config: Pick<TenantConfig, 'sla'> = { sla: { default: { onSite: 2, report: 6 }, byCategory: {} } };

const stored = storedEventMaker();
/** An event the server stored `minute` minutes after 08:00 UTC. */
const ev = (type: EventType, minute: number, extra: Partial<ReportEvent> = {}) => stored(type, new Date(Date.UTC(2026, 10, 24, 8, minute)).toISOString(), extra);
const now = new Date(Date.UTC(2026, 10, 24, 9));
const derive = (events: ReportEvent[]) => deriveReport(events, config, 'environment', now);

const intake = (lead?: string) => [
	ev('received', 0, { actorRole: 'system' }),
	ev('assigned', 0, { actorRole: 'system', unitIds: ['environment', 'ubnd-cam-ly'], ...(lead ? { unitId: lead } : {}) })
];

describe('deriveReport: lead and coordinating units', () => {
	it('takes the lead from the intake’s "assigned" event', () => {
		expect(derive(intake('ubnd-cam-ly')).leadUnitId).toBe('ubnd-cam-ly');
	});

	it('lets the first assigned unit lead a report stored before leads existed', () => {
		expect(derive(intake()).leadUnitId).toBe('environment');
	});

	it.each([
		['resolved', 'resolved'],
		['rejected_invalid', 'invalid']
	] as const)('keeps the report open on a coordinating unit’s "%s", closes it on the lead’s', (type, closed) => {
		const part = ev(type, 5, { unitId: 'environment', note: 'Phần việc của Sở' });
		const afterPart = derive([...intake('ubnd-cam-ly'), part]);
		expect(afterPart.status).toBe('in_progress');
		expect(afterPart.resolvedAt).toBeUndefined();
		expect(afterPart.partUnitIds).toEqual(['environment']);

		const lead = ev(type, 10, { unitId: 'ubnd-cam-ly', note: 'Đã xong' });
		expect(derive([...intake('ubnd-cam-ly'), part, lead]).status).toBe(closed);
	});

	it('closes on a leader’s result (no unit: above the units)', () => {
		expect(derive([...intake('ubnd-cam-ly'), ev('resolved', 5, { actorRole: 'leader', note: 'x' })]).status).toBe('resolved');
	});

	it('moves the lead with a transfer of the lead’s part, to the first unit named', () => {
		const t = ev('transferred', 5, { unitId: 'ubnd-cam-ly', unitIds: ['police', 'food-safety'] });
		const d = derive([...intake('ubnd-cam-ly'), t]);
		expect(d.leadUnitId).toBe('police');
		// The new lead closes; the old one is off the report.
		expect(derive([...intake('ubnd-cam-ly'), t, ev('resolved', 9, { unitId: 'environment', note: 'x' })]).status).toBe('in_progress');
		expect(derive([...intake('ubnd-cam-ly'), t, ev('resolved', 9, { unitId: 'police', note: 'x' })]).status).toBe('resolved');
	});

	it('keeps the lead when a coordinating unit hands its part over or a unit is added', () => {
		const handOver = ev('transferred', 5, { unitId: 'environment', unitIds: ['police'] });
		expect(derive([...intake('ubnd-cam-ly'), handOver]).leadUnitId).toBe('ubnd-cam-ly');
		const addByLead = ev('transferred', 5, { unitId: 'ubnd-cam-ly', unitIds: ['ubnd-cam-ly', 'police'] });
		expect(derive([...intake('ubnd-cam-ly'), addByLead]).leadUnitId).toBe('ubnd-cam-ly');
		const addByLeader = ev('transferred', 5, {
			actorRole: 'leader',
			scope: 'whole',
			unitIds: ['environment', 'ubnd-cam-ly', 'police']
		});
		expect(derive([...intake('ubnd-cam-ly'), addByLeader]).leadUnitId).toBe('ubnd-cam-ly');
	});

	it('sets the new lead on a leader’s whole-report move', () => {
		const move = ev('transferred', 5, { actorRole: 'leader', scope: 'whole', unitIds: ['police', 'environment'] });
		expect(derive([...intake('ubnd-cam-ly'), move]).leadUnitId).toBe('police');
	});

	it('marks each unit’s step on the timeline as the lead’s or a coordinating unit’s, as it was then', () => {
		const part = ev('resolved', 5, { unitId: 'environment', note: 'x' });
		const t = ev('transferred', 6, { unitId: 'ubnd-cam-ly', unitIds: ['police'] });
		const lead = ev('resolved', 7, { unitId: 'police', note: 'x' });
		const roles = stepRoles(orderEvents([...intake('ubnd-cam-ly'), part, t, lead]));
		expect([roles.get(part.id), roles.get(t.id), roles.get(lead.id)]).toEqual(['coordinating', 'lead', 'lead']);
	});
});

describe('leadOf / unitRole: the lead of a stored report', () => {
	it('reads the stored lead, and lets the first assigned unit lead a report stored without one', () => {
		expect(leadOf({ leadUnitId: 'police', assignedUnitIds: ['environment', 'police'] })).toBe('police');
		expect(leadOf({ assignedUnitIds: ['police', 'environment'] })).toBe('environment');
		expect(unitRole({ leadUnitId: 'police', assignedUnitIds: ['environment', 'police'] }, 'environment')).toBe('coordinating');
		expect(unitRole({ leadUnitId: 'police', assignedUnitIds: ['environment', 'police'] }, 'police')).toBe('lead');
		expect(unitRole({ leadUnitId: 'police', assignedUnitIds: ['police'] }, 'food-safety')).toBeUndefined();
	});
});

describe('deriveReport: routing’s lead wins over an earlier guess', () => {
	it('takes the lead the "assigned" event names even when "received" listed the units first', () => {
		const events = [
			ev('received', 0, { actorRole: 'system', unitIds: ['environment', 'ubnd-cam-ly'] }),
			ev('assigned', 0, { actorRole: 'system', unitIds: ['environment', 'ubnd-cam-ly'], unitId: 'ubnd-cam-ly' })
		];
		expect(derive(events).leadUnitId).toBe('ubnd-cam-ly');
	});
});
