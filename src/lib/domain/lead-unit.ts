import type { EventType } from './event';

/**
 * The lead unit (đơn vị chủ trì) of a report and its coordinating units (đơn vị phối hợp), as
 * Vietnamese administrative practice names them: routing says which unit leads (the `assigned`
 * event the server writes at intake names it in `unitId`); only the lead's result — resolved or
 * invalid — closes the report. A coordinating unit's `resolved` / `rejected_invalid` is the same
 * event, kept as the report of its part: the report stays open for the lead. No new event type, so
 * nothing a phone stores changes shape, and who led is always derived from the events in order.
 *
 * Plain code over a few event fields, so the public timeline (public events) derives it too.
 */

/** The fields of an event the lead follows. */
export interface LeadEventFields {
	id: string;
	type: EventType;
	unitId?: string;
	unitIds?: string[];
	scope?: 'whole';
}

export type UnitRole = 'lead' | 'coordinating';

const RESULT_TYPES: readonly EventType[] = ['resolved', 'rejected_invalid'];

/**
 * The lead once `e` is applied, given the units assigned after it. It stays while its unit is on the
 * report; the intake's `assigned` names it (reports stored before it did: the first unit assigned);
 * a transfer that moves the lead's part — or a leader's whole-report move — hands the lead to the
 * first unit the transfer names that is on the report. Adding a unit never moves it.
 */
export function nextLead(lead: string | undefined, e: LeadEventFields, unitsAfter: ReadonlySet<string>): string | undefined {
	// Routing's word: an `assigned` listing its units and naming one of them.
	if (e.type === 'assigned' && e.unitIds && e.unitId && unitsAfter.has(e.unitId)) return e.unitId;
	if (lead && unitsAfter.has(lead)) return lead;
	const named = (e.unitIds ?? (e.unitId ? [e.unitId] : [])).filter((u) => unitsAfter.has(u));
	if (e.type === 'assigned' || e.type === 'received') return named[0] ?? lead;
	if (e.type === 'transferred') return named[0] ?? [...unitsAfter].sort()[0];
	return lead;
}

/**
 * A transfer's effect on the report's units: a unit hands its part over (`unitId`); a leader's
 * whole-report transfer replaces all (as did a transfer without a unit before the scope was
 * required: stored history derives as it did). Public events carry no scope: a whole-report
 * transfer never names a unit, so they derive the same.
 */
export function applyTransfer(units: Set<string>, e: Pick<LeadEventFields, 'unitId' | 'unitIds' | 'scope'>): void {
	if (e.unitId && e.scope !== 'whole') units.delete(e.unitId);
	else units.clear();
	for (const u of e.unitIds ?? []) units.add(u);
}

/**
 * Whether a result event closes the report: the lead's does, and a leader's (who acts for no unit,
 * above the units). A report with no lead known (nothing assigned yet) closes on any result.
 */
export function closesReport(lead: string | undefined, e: Pick<LeadEventFields, 'type' | 'unitId'>): boolean {
	return RESULT_TYPES.includes(e.type) && (!e.unitId || !lead || e.unitId === lead);
}

/** Whether a result event is a coordinating unit's report of its part (it does not close). */
export function isPartReport(lead: string | undefined, e: Pick<LeadEventFields, 'type' | 'unitId'>): boolean {
	return RESULT_TYPES.includes(e.type) && !closesReport(lead, e);
}

/** What following a report's events in server order needs to know of its lead (plain JSON: a device keeps it). */
export interface LeadTrack {
	lead?: string;
	units: string[];
}

/**
 * Follows one more event of a report, in server order, as `deriveReport` does: true when it is a
 * coordinating unit's report of its part. Lets a device that sees a report's events a page at a time
 * (the home page's notice check) tell a part from the result without the whole history at hand.
 */
export function trackLead(track: LeadTrack, e: LeadEventFields): boolean {
	if (isPartReport(track.lead, e)) return true;
	const units = new Set(track.units);
	if (e.type === 'received') for (const u of e.unitIds ?? []) units.add(u);
	if (e.type === 'assigned') for (const u of e.unitIds ?? (e.unitId ? [e.unitId] : [])) units.add(u);
	if (e.type === 'transferred') applyTransfer(units, e);
	track.lead = nextLead(track.lead, e, units);
	track.units = [...units];
	return false;
}

/**
 * For the timeline: the role of the acting unit of each staff step, as it was when the step was
 * taken (events in server order). Steps without a unit (leader, system, resident) are left out, and
 * so are steps taken while the report had one unit only (no one to coordinate with).
 */
export function stepRoles(ordered: readonly LeadEventFields[]): Map<string, UnitRole> {
	const roles = new Map<string, UnitRole>();
	const units = new Set<string>();
	let lead: string | undefined;
	for (const e of ordered) {
		if (e.unitId && units.size > 1 && e.type !== 'assigned' && e.type !== 'received')
			roles.set(e.id, e.unitId === lead || !lead ? 'lead' : 'coordinating');
		if (e.type === 'received' || e.type === 'assigned') for (const u of e.unitIds ?? (e.unitId ? [e.unitId] : [])) units.add(u);
		if (e.type === 'transferred') applyTransfer(units, e);
		lead = nextLead(lead, e, units);
	}
	return roles;
}

/**
 * The lead of a report as stored: its `leadUnitId` while that unit is on it; a report stored before
 * leads existed has none, and its first assigned unit leads (routing listed them sorted).
 */
export function leadOf(report: { leadUnitId?: string; assignedUnitIds?: readonly string[] }): string | undefined {
	const assigned = report.assignedUnitIds ?? [];
	return report.leadUnitId && assigned.includes(report.leadUnitId) ? report.leadUnitId : [...assigned].sort()[0];
}

/** The role of one unit on the report, or undefined when it is not on it. */
export function unitRole(
	report: { leadUnitId?: string; assignedUnitIds?: readonly string[] },
	unitId: string | undefined
): UnitRole | undefined {
	if (!unitId || !(report.assignedUnitIds ?? []).includes(unitId)) return undefined;
	return leadOf(report) === unitId ? 'lead' : 'coordinating';
}
