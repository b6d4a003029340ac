import type { ErrorCode } from './errors';
import { CONTEST_REASON_MAX, WITHDRAW_REASON_MAX } from './limits';
import { applyTransfer, isPartReport, nextLead } from './lead-unit';
import type { ActorRole, EventType, ReportEvent } from './event';
import type { ReportStatus } from './report';
import { OFFICIAL_ROLES, type Role } from './principal';
import { dueAt, onSiteDueAt, type SlaConfig } from './routing';

/** The steps that answer a report (its first one starts no clock, it stops "time to first response"). */
const FIRST_RESPONSES: ReadonlySet<EventType> = new Set(['accepted', 'progress', 'info_requested', 'resolved', 'rejected_invalid']);

/**
 * The steps by which a unit "has acted" on a report (its desk's unit list, the operations centre's
 * "who has not acted"): accepted, progress, a question, a result, "invalid", or a transfer.
 */
export const ACTED_TYPES: readonly EventType[] = ['accepted', 'progress', 'info_requested', 'resolved', 'rejected_invalid', 'transferred'];

/**
 * The report's life cycle as pure functions, shared by the server (which refuses an event and
 * writes the derived fields) and the app (which greys out what the user may not do).
 */

/** Who wants to append. `id` is needed only to recognise the report's author. */
export interface Actor {
	role: ActorRole;
	unitIds: string[];
	id?: string;
	/** A resident verified by phone: the reports linked to this person are theirs too. */
	personId?: string;
}

/** What `canAppend` needs to know about the report, mostly from `deriveReport`. */
export interface ReportStateView {
	/** Undefined before the server has received the report. */
	status?: ReportStatus;
	assignedUnitIds: string[];
	authorId?: string;
	/** The verified resident the report is linked to (server field). */
	personId?: string;
	/** A handler asked the author for information that has not been provided yet. */
	infoRequestPending?: boolean;
	/** The author has contested an "invalid" decision already (once per report: `contestedBy`). */
	contested?: boolean;
	/** Coordinating units that reported their part since the report last (re)opened (`deriveReport`). */
	partUnitIds?: readonly string[];
}

/** The parts of the event being appended that the rules look at. */
export interface EventDetails {
	/** The unit the actor acts for. */
	unitId?: string;
	/** Target units of a transfer (or assigned units of a system event). */
	unitIds?: string[];
	/** A leader's transfer of the whole report (see ReportEvent.scope). */
	scope?: 'whole';
	note?: string;
	satisfied?: boolean;
}

export type AppendDecision = { ok: true } | { ok: false; code: ErrorCode; reason: string };

const OK: AppendDecision = { ok: true };
const deny = (code: ErrorCode, reason: string): AppendDecision => ({ ok: false, code, reason });

/** Written by the server only: devices never push them. */
const SYSTEM_EVENTS: readonly EventType[] = ['received', 'assigned', 'overdue', 'reopened'];
const RESIDENT_EVENTS: readonly EventType[] = ['info_provided', 'feedback', 'withdrawn', 'contested'];
/** What the volunteer who filed a villager's report may do as its author: not answer or rate for them. */
const VOLUNTEER_EVENTS: readonly EventType[] = ['withdrawn', 'contested'];

const CLOSED: readonly ReportStatus[] = ['resolved', 'invalid', 'withdrawn'];
export function isClosed(status: ReportStatus | undefined): boolean {
	return status !== undefined && CLOSED.includes(status);
}

/** The state machine of who may append which event when. Tenant scope is checked by the caller. */
export function canAppend(
	actor: Actor,
	report: ReportStateView,
	eventType: EventType,
	target: EventDetails = {}
): AppendDecision {
	if (target.scope !== undefined && eventType !== 'transferred')
		return deny('validation_failed', 'only a transfer names a scope');
	// A leader's decision on a contest: reopen it to its units (the other decision, upholding, is a
	// `rejected_invalid`). Any other reopening is the server's (after an unsatisfied rating).
	if (eventType === 'reopened' && actor.role === 'leader' && report.status === 'contested') return OK;
	if (SYSTEM_EVENTS.includes(eventType)) return systemRule(actor, report, eventType);
	if (actor.role === 'system') return deny('forbidden_scope', `"${eventType}" is a person's action, not the system's`);
	if (RESIDENT_EVENTS.includes(eventType)) return residentRule(actor, report, eventType, target);
	if (eventType === 'directive') {
		if (actor.role !== 'leader') return deny('forbidden_scope', 'only a leader gives directives');
		if (isClosed(report.status)) return deny('report_closed', 'the report is closed');
		if (!target.note?.trim()) return deny('validation_failed', 'a directive needs a note');
		return OK;
	}
	return handlerRule(actor, report, eventType, target);
}

function systemRule(actor: Actor, report: ReportStateView, eventType: EventType): AppendDecision {
	if (actor.role !== 'system') return deny('forbidden_scope', `only the server writes "${eventType}"`);
	switch (eventType) {
		case 'received':
			return report.status === undefined ? OK : deny('transition_forbidden', 'the report was already received');
		case 'reopened':
			return report.status === 'resolved' ? OK : deny('transition_forbidden', 'only a resolved report reopens');
		default:
			return isClosed(report.status) ? deny('report_closed', 'the report is closed') : OK;
	}
}

function residentRule(
	actor: Actor,
	report: ReportStateView,
	eventType: EventType,
	target: EventDetails
): AppendDecision {
	// A volunteer files for a villager as the report's author: they may withdraw it or contest its decision.
	const byVolunteer = actor.role === 'volunteer' && VOLUNTEER_EVENTS.includes(eventType);
	if (actor.role !== 'resident' && !byVolunteer)
		return deny('forbidden_scope', `only the report's author may append "${eventType}"`);
	const isAuthor = !!actor.id && actor.id === report.authorId;
	const isPerson = !!actor.personId && actor.personId === report.personId;
	if (!isAuthor && !isPerson)
		return deny('not_owner', 'only the author of the report may answer on it');
	if (eventType === 'info_provided') {
		if (isClosed(report.status)) return deny('report_closed', 'the report is closed');
		if (!report.infoRequestPending) return deny('transition_forbidden', 'no information was requested');
		return OK;
	}
	if (eventType === 'withdrawn') {
		if (report.status === undefined) return deny('transition_forbidden', 'the report has not been received yet');
		if (isClosed(report.status)) return deny('report_closed', 'the report is closed');
		if ((target.note?.length ?? 0) > WITHDRAW_REASON_MAX)
			return deny('validation_failed', `a withdrawal reason is at most ${WITHDRAW_REASON_MAX} characters`);
		return OK;
	}
	if (eventType === 'contested') {
		// Once per report: the leader's decision on it is final, whichever it was.
		if (report.contested) return deny('already_contested', 'the report was contested once already');
		if (report.status !== 'invalid') return deny('transition_forbidden', 'only an "invalid" decision may be contested');
		if (!target.note?.trim()) return deny('validation_failed', 'a contest gives a reason');
		if (target.note.length > CONTEST_REASON_MAX)
			return deny('validation_failed', `a contest reason is at most ${CONTEST_REASON_MAX} characters`);
		return OK;
	}
	// feedback
	if (report.status !== 'resolved') return deny('transition_forbidden', 'feedback comes after resolution');
	if (typeof target.satisfied !== 'boolean') return deny('validation_failed', 'feedback says satisfied or not');
	return OK;
}

function handlerRule(
	actor: Actor,
	report: ReportStateView,
	eventType: EventType,
	target: EventDetails
): AppendDecision {
	if (actor.role !== 'handler' && actor.role !== 'leader')
		return deny('forbidden_scope', `only a handler or a leader may append "${eventType}"`);
	if (actor.role === 'handler') {
		// A handler acts for one of their own units, and that unit must be assigned to the report.
		const acting = target.unitId
			? [target.unitId].filter((u) => actor.unitIds.includes(u))
			: actor.unitIds;
		if (!acting.some((u) => report.assignedUnitIds.includes(u)))
			return deny('forbidden_scope', 'none of your units is assigned to this report');
	}
	// Opening a closed report is still recorded as "seen": it harms nothing and shows who looked.
	if (eventType === 'seen') return OK;
	if (report.status === undefined) return deny('transition_forbidden', 'the report has not been received yet');
	if (isClosed(report.status)) return deny('report_closed', 'the report is closed');
	// Contested: a leader decides first (upholds with a reason, or reopens: see canAppend); units wait.
	if (report.status === 'contested' && !(actor.role === 'leader' && eventType === 'rejected_invalid'))
		return deny('contest_pending', 'the author contested the decision: a leader decides first');
	if ((eventType === 'resolved' || eventType === 'rejected_invalid') && !target.note?.trim())
		return deny('validation_failed', `"${eventType}" needs a note saying what was done or why`);
	// A coordinating unit's result is the report of its part, once per opening: a second one would
	// only repeat (or contradict) it on the timeline and ring the resident again. Progress stays open.
	if ((eventType === 'resolved' || eventType === 'rejected_invalid') && target.unitId && report.partUnitIds?.includes(target.unitId))
		return deny('part_already_reported', 'this unit has reported its part already; the lead unit reports the result');
	if (eventType === 'transferred') {
		const source = transferSource(actor, report, target);
		if (!source.ok) return source;
		const to = (target.unitIds ?? []).filter((u) => !report.assignedUnitIds.includes(u));
		if (to.length === 0) return deny('validation_failed', 'a transfer names at least one other unit');
	}
	return OK;
}

/**
 * Whose part a transfer moves. A handler moves only their own unit's part, so the event names it
 * (`unitId`) and the other units stay. A leader either names the unit whose part moves, or says
 * explicitly that the whole report moves (`scope: 'whole'`, no unit): an event that names neither
 * would silently drop every unit, so it is refused rather than guessed.
 */
function transferSource(actor: Actor, report: ReportStateView, target: EventDetails): AppendDecision {
	if (target.scope === 'whole') {
		if (actor.role !== 'leader') return deny('forbidden_scope', 'only a leader transfers the whole report');
		if (target.unitId) return deny('validation_failed', 'a whole-report transfer names no source unit');
		return OK;
	}
	if (!target.unitId)
		return deny('transfer_source_required', 'a transfer names the unit handing its part over (or a leader says "whole")');
	if (!report.assignedUnitIds.includes(target.unitId))
		return deny('forbidden_scope', 'the unit handing over is not on this report');
	return OK;
}

/** Derived fields of a report: what the server writes, and what the app shows. */
export interface DerivedReport {
	status: ReportStatus | undefined;
	assignedUnitIds: string[];
	seenByUnitIds: string[];
	receivedAt?: string;
	dueAt?: string;
	onSiteDueAt?: string;
	/** By the clock passed in: open and past its due time (what a page may show before the server flags it). */
	overdue: boolean;
	/**
	 * Server time of the overdue job's `overdue` event for the current due time: set while the report
	 * is open past due; cleared when it is reopened (a new due time, which may be missed again);
	 * kept once it is resolved or found invalid, so the history still shows it was handled late.
	 */
	overdueAt?: string;
	resolvedAt?: string;
	/**
	 * Server time of the first answer by an official (accepted, a progress step, a question, a result
	 * or "invalid"): the operations centre's "time to first response" (issue 15). A `seen` is not an
	 * answer: the resident learns nothing from it.
	 */
	firstResponseAt?: string;
	/** The author's latest rating (a `feedback` event): satisfied or not; none while unrated. */
	satisfied?: boolean;
	infoRequestPending: boolean;
	/**
	 * The events that reopened the report, oldest first: a resident's unsatisfied rating, or the
	 * system's `reopened` (which the server writes after such a rating, so every timeline shows it).
	 */
	reopenedBy?: string[];
	/** The lead unit (chủ trì): its result closes the report (domain/lead-unit.ts). */
	leadUnitId?: string;
	/** Coordinating units that reported their part since the report was last (re)opened. */
	partUnitIds: string[];
	/**
	 * Assigned units that took a step (ACTED_TYPES) since the report was last (re)opened; a step
	 * without a unit (a leader's) counts for none. The others "have not acted" (issue 15).
	 */
	actedByUnitIds: string[];
	/** The author's `contested` event, once one counted: a report is contested once, ever. */
	contestedBy?: string;
}

/**
 * Events in server order: by `serverAt`, ties broken by id. Events the server has not stored yet
 * (no `serverAt`) and deleted ones are left out: device clocks never order anything.
 */
export function orderEvents(events: readonly ReportEvent[]): ReportEvent[] {
	return events
		.filter((e) => e.serverAt && !e._deleted)
		.sort((a, b) => cmp(Date.parse(a.serverAt!), Date.parse(b.serverAt!)) || cmp(a.id, b.id));
}
function cmp<T extends number | string>(a: T, b: T): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

export function deriveReport(
	events: readonly ReportEvent[],
	config: SlaConfig,
	categoryCode: string,
	now: Date
): DerivedReport {
	const s: DerivedReport = {
		status: undefined,
		assignedUnitIds: [],
		seenByUnitIds: [],
		overdue: false,
		infoRequestPending: false,
		partUnitIds: [],
		actedByUnitIds: []
	};
	const units = new Set<string>();
	const parts = new Set<string>();
	const acted = new Set<string>();
	const seen = new Set<string>();
	// The SLA clock (re)starts at receipt and at each reopening, on the server's clock.
	const startClock = (at: string) => {
		// In clock or working hours, as the category's SLA says (the tenant's calendar).
		s.dueAt = dueAt(config, categoryCode, new Date(at)).toISOString();
		s.onSiteDueAt = onSiteDueAt(config, categoryCode, new Date(at)).toISOString();
	};
	const reopen = (at: string, by: string) => {
		// Unsatisfied feedback and the system "reopened" are one reopening; a leader reopens a contested one.
		if (s.status !== 'resolved' && s.status !== 'contested') return;
		(s.reopenedBy ??= []).push(by);
		s.status = 'reopened';
		s.resolvedAt = undefined;
		s.overdueAt = undefined; // a new due time: not overdue until the job says so again
		parts.clear();
		acted.clear();
		startClock(at);
	};
	const targetUnits = (e: ReportEvent) => e.unitIds ?? (e.unitId ? [e.unitId] : []);

	for (const e of orderEvents(events)) {
		const at = e.serverAt!;
		if (!s.firstResponseAt && FIRST_RESPONSES.has(e.type) && OFFICIAL_ROLES.includes(e.actorRole as Role)) s.firstResponseAt = at;
		if (e.type === 'feedback' && e.satisfied !== undefined) s.satisfied = e.satisfied;
		if (e.unitId && ACTED_TYPES.includes(e.type)) acted.add(e.unitId);
		// A coordinating unit's result reports its part: the report stays open for the lead.
		if (isPartReport(s.leadUnitId, e)) {
			if (!isClosed(s.status)) {
				parts.add(e.unitId!);
				s.status = 'in_progress';
			}
			continue;
		}
		switch (e.type) {
			case 'received':
				if (s.receivedAt) break;
				s.receivedAt = at;
				s.status ??= 'received';
				for (const u of e.unitIds ?? []) units.add(u);
				startClock(at);
				break;
			case 'assigned':
				for (const u of targetUnits(e)) units.add(u);
				if (s.status === undefined || s.status === 'received') s.status = 'assigned';
				break;
			case 'seen':
				if (e.unitId) seen.add(e.unitId);
				break;
			case 'accepted':
			case 'progress':
				if (!isClosed(s.status)) s.status = 'in_progress';
				break;
			case 'info_requested':
				if (!isClosed(s.status)) s.infoRequestPending = true;
				break;
			case 'info_provided':
				s.infoRequestPending = false;
				break;
			case 'resolved':
				if (isClosed(s.status)) break;
				s.status = 'resolved';
				s.resolvedAt = at;
				s.infoRequestPending = false;
				break;
			case 'rejected_invalid':
				if (isClosed(s.status)) break;
				s.status = 'invalid';
				s.infoRequestPending = false;
				break;
			case 'withdrawn':
				// The author closed it: no result, no due time to keep, nothing left to answer.
				if (isClosed(s.status)) break;
				s.status = 'withdrawn';
				s.infoRequestPending = false;
				break;
			case 'contested':
				// Only the first contest of an invalid decision counts. The leader's decision is due on the
				// category's clock, as the report was: a contest left undecided shows as overdue.
				if (s.status !== 'invalid' || s.contestedBy) break;
				s.status = 'contested';
				s.contestedBy = e.id;
				s.overdueAt = undefined;
				startClock(at);
				break;
			case 'transferred': {
				applyTransfer(units, e);
				for (const u of [...seen]) if (!units.has(u)) seen.delete(u);
				for (const u of [...parts]) if (!units.has(u)) parts.delete(u);
				if (s.status === 'received') s.status = 'assigned';
				break;
			}
			case 'feedback':
				if (e.satisfied === false) reopen(at, e.id);
				break;
			case 'reopened':
				reopen(at, e.id);
				break;
			case 'overdue':
				// Counts for the due time in force only: the job writes it while the report is open and
				// at or after that due time. One written after a resolution, or stamped before the due
				// time set by a reopening (a job that read the report just before), stays history only.
				if (!isClosed(s.status) && s.dueAt && Date.parse(at) >= Date.parse(s.dueAt)) s.overdueAt = at;
				break;
			case 'directive':
				break; // recorded for history
		}
		s.leadUnitId = nextLead(s.leadUnitId, e, units);
	}
	s.partUnitIds = [...parts].filter((u) => units.has(u) && u !== s.leadUnitId).sort();
	s.assignedUnitIds = [...units].sort();
	s.actedByUnitIds = [...acted].filter((u) => units.has(u)).sort();
	s.seenByUnitIds = [...seen].filter((u) => units.has(u)).sort();
	s.overdue = !!s.dueAt && !isClosed(s.status) && now.getTime() > Date.parse(s.dueAt);
	return s;
}
