import { actorRoleOf, type EventType, type ReportEvent } from '../domain/event';
import { leadOf } from '../domain/lead-unit';
import { toPublicEvent, type PublicEvent } from '../domain/public';
import type { Report } from '../domain/report';
import { ACTED_TYPES, canAppend, deriveReport, orderEvents, type Actor, type AppendDecision, type EventDetails, type ReportStateView } from '../domain/report-state';
import type { TenantConfig } from '../domain/tenant';
import { uuidv7 } from '../domain/uuid';
import type { SessionUser } from '../sync/local-db';

/**
 * What a handler or a leader may do on a report, as pure functions over the report and its events
 * on this device — the server's stored ones and this device's pending ones (not sent yet). The
 * buttons follow the same state machine the server judges with (`canAppend`), applied to the state
 * the report will have once the pending events arrive, so a handler offline can accept and then
 * resolve, and is not offered to resolve twice.
 */

/** `reopen`: a leader's decision on a contested report — back to its units (upholding is `invalid`). */
const HANDLING_ACTIONS = ['accept', 'progress', 'info', 'transfer', 'addUnit', 'resolve', 'invalid', 'reopen', 'directive'] as const;
export type HandlingAction = (typeof HANDLING_ACTIONS)[number];

const ACTION_EVENT: Record<HandlingAction, EventType> = {
	accept: 'accepted',
	progress: 'progress',
	info: 'info_requested',
	transfer: 'transferred',
	addUnit: 'transferred',
	resolve: 'resolved',
	invalid: 'rejected_invalid',
	reopen: 'reopened',
	directive: 'directive'
};

/** Steps that may carry photos (0–5): progress and the result. */
export const PHOTO_ACTIONS: readonly HandlingAction[] = ['progress', 'resolve'];
/** Steps that say nothing without words: the question, the result, the reason, the directive. */
export const NOTE_REQUIRED: readonly HandlingAction[] = ['info', 'resolve', 'invalid', 'reopen', 'directive'];
/** Steps that name other units. */
export const UNIT_ACTIONS: readonly HandlingAction[] = ['transfer', 'addUnit'];
export const MAX_STEP_PHOTOS = 5;

export type StaffUser = Pick<SessionUser, 'sub' | 'role' | 'unitIds' | 'tenantId' | 'personId'>;

function actorOf(user: StaffUser): Actor {
	return { role: actorRoleOf(user.role), unitIds: user.unitIds, id: user.sub, ...(user.personId ? { personId: user.personId } : {}) };
}

/**
 * The unit a handler acts for on this report: their first unit the report is assigned to. A leader
 * acts as a leader (no unit): their steps count for no unit, and their transfers are whole-report
 * ones (`scope: 'whole'`) that replace the units.
 */
export function actingUnitFor(user: StaffUser, assignedUnitIds: readonly string[]): string | undefined {
	if (user.role !== 'handler') return undefined;
	return user.unitIds.find((u) => assignedUnitIds.includes(u));
}

/** The state the buttons and the unit panel work from. */
export interface LocalView extends ReportStateView {
	assignedUnitIds: string[];
	seenByUnitIds: string[];
	infoRequestPending: boolean;
	/** The lead unit (chủ trì): its result closes the report; the others report their part. */
	leadUnitId?: string;
}

const NO_SLA: Pick<TenantConfig, 'sla'> = { sla: { default: { onSite: 1, report: 1 }, byCategory: {} } };

/**
 * Events in the order the server will have them: stored ones by server time (ties by id), then this
 * device's pending ones in the order they were made (UUIDv7 ids are time-ordered). `excluded` are
 * events the server refused: they will never count.
 */
export function orderedEvents(events: readonly ReportEvent[], excluded: ReadonlySet<string> = new Set()): ReportEvent[] {
	const live = events.filter((e) => !e._deleted && !excluded.has(e.id));
	const pending = live.filter((e) => !e.serverAt).sort((a, b) => (a.id < b.id ? -1 : 1));
	return [...orderEvents(live), ...pending];
}

/**
 * The report as it will be once this device's pending events are stored: derived from the events
 * with the same `deriveReport` the server runs, the pending ones after everything stored. Until the
 * report's events have arrived (they replicate apart from it), the server's derived fields stand.
 */
export function localView(
	report: Report,
	events: readonly ReportEvent[],
	opts: { tenant?: Pick<TenantConfig, 'sla'> | null; excluded?: ReadonlySet<string>; now?: Date } = {}
): LocalView {
	const fromServer: LocalView = {
		status: report.status,
		assignedUnitIds: report.assignedUnitIds ?? [],
		seenByUnitIds: report.seenByUnitIds ?? [],
		...(leadOf(report) ? { leadUnitId: leadOf(report) } : {}),
		authorId: report.authorId,
		...(report.personId ? { personId: report.personId } : {}),
		infoRequestPending: false
	};
	const ordered = orderedEvents(events, opts.excluded);
	const stored = ordered.filter((e) => e.serverAt);
	if (!stored.some((e) => e.type === 'received')) return fromServer;
	const now = opts.now ?? new Date();
	const last = Math.max(now.getTime(), ...stored.map((e) => Date.parse(e.serverAt!)));
	const stamped = ordered.filter((e) => !e.serverAt).map((e, i) => ({ ...e, serverAt: new Date(last + 1 + i).toISOString() }));
	const d = deriveReport([...stored, ...stamped], opts.tenant ?? NO_SLA, report.categoryCode, now);
	// The server may mark a unit seen without a `seen` event naming it (a handler of several units).
	const seen = new Set([...d.seenByUnitIds, ...(report.seenByUnitIds ?? []).filter((u) => d.assignedUnitIds.includes(u))]);
	return {
		...fromServer,
		status: d.status ?? report.status,
		assignedUnitIds: d.assignedUnitIds,
		seenByUnitIds: [...seen].sort(),
		...(d.leadUnitId ? { leadUnitId: d.leadUnitId } : {}),
		partUnitIds: d.partUnitIds,
		infoRequestPending: d.infoRequestPending
	};
}

/** Events since the report was last (re)opened: what counts for "has acted" and "has accepted". */
function sinceOpening(ordered: readonly ReportEvent[]): ReportEvent[] {
	let from = 0;
	ordered.forEach((e, i) => {
		if (e.type === 'reopened' || (e.type === 'feedback' && e.satisfied === false)) from = i + 1;
	});
	return ordered.slice(from);
}

/**
 * Units that have acted on the report since it was last (re)opened, from its events in order. A
 * step without a unit (a leader's) cannot be attributed: it counts for no unit.
 */
export function unitsActed(ordered: readonly ReportEvent[]): Set<string> {
	return new Set(sinceOpening(ordered).flatMap((e) => (e.unitId && ACTED_TYPES.includes(e.type) ? [e.unitId] : [])));
}

export interface UnitProgress {
	unitId: string;
	seen: boolean;
	/** Accepted, posted progress, asked, resolved, found invalid or transferred since the report (re)opened. */
	acted: boolean;
}

/** Per assigned unit: has it seen the report, has it acted on it. */
export function unitProgress(view: LocalView, events: readonly ReportEvent[], excluded?: ReadonlySet<string>): UnitProgress[] {
	const acted = unitsActed(orderedEvents(events, excluded));
	return view.assignedUnitIds.map((unitId) => ({ unitId, seen: view.seenByUnitIds.includes(unitId), acted: acted.has(unitId) }));
}

/** Units the report could be transferred to or shared with: the tenant's units not already on it. */
export function candidateUnits(tenant: Pick<TenantConfig, 'units'> | null, view: LocalView): string[] {
	return (tenant?.units ?? []).map((u) => u.id).filter((u) => !view.assignedUnitIds.includes(u));
}

/** What `canAppend` is asked for an action, with placeholders for what the form will still ask. */
function detailsFor(user: StaffUser, action: HandlingAction, unitId: string | undefined, candidates: string[]): EventDetails {
	return {
		...(unitId ? { unitId } : {}),
		...(UNIT_ACTIONS.includes(action) && !unitId && user.role === 'leader' ? { scope: 'whole' as const } : {}),
		...(NOTE_REQUIRED.includes(action) ? { note: '…' } : {}),
		...(UNIT_ACTIONS.includes(action) ? { unitIds: candidates.slice(0, 1) } : {})
	};
}

export function decide(user: StaffUser, view: LocalView, action: HandlingAction, details: EventDetails): AppendDecision {
	return canAppend(actorOf(user), view, ACTION_EVENT[action], details);
}

/**
 * The actions to offer: allowed by the state machine, and useful — not accepting twice, not asking
 * again while an answer is awaited, not transferring when no other unit exists.
 */
export function availableActions(
	user: StaffUser,
	view: LocalView,
	events: readonly ReportEvent[],
	tenant: Pick<TenantConfig, 'units'> | null,
	excluded?: ReadonlySet<string>
): HandlingAction[] {
	const unitId = actingUnitFor(user, view.assignedUnitIds);
	const candidates = candidateUnits(tenant, view);
	const recent = sinceOpening(orderedEvents(events, excluded));
	const accepted = recent.some((e) => e.type === 'accepted' && e.actorId === user.sub && e.unitId === unitId);
	return HANDLING_ACTIONS.filter((action) => {
		if (action === 'accept' && accepted) return false;
		if (action === 'info' && view.infoRequestPending) return false;
		if (UNIT_ACTIONS.includes(action) && !candidates.length) return false;
		return decide(user, view, action, detailsFor(user, action, unitId, candidates)).ok;
	});
}

/** Whether opening the report should record "seen" for the handler's unit (once, not on every render). */
export function needsSeen(user: StaffUser, view: LocalView, events: readonly ReportEvent[], excluded?: ReadonlySet<string>): string | null {
	const unitId = actingUnitFor(user, view.assignedUnitIds);
	if (!unitId || view.seenByUnitIds.includes(unitId)) return null;
	// One already waiting to be sent counts.
	if (events.some((e) => e.type === 'seen' && e.unitId === unitId && !e.serverAt && !excluded?.has(e.id))) return null;
	return canAppend(actorOf(user), view, 'seen', { unitId }).ok ? unitId : null;
}

export interface StepInput {
	/** The event's id, made when the form opened (its photos are stored under it). */
	id?: string;
	note?: string;
	/** What the handler chose to publish with the step (shown to them, masked, before sending). */
	publicNote?: string;
	/** Units picked for a transfer or an added unit. */
	unitIds?: string[];
	photoIds?: string[];
}

/**
 * The event an action appends. A transfer by a handler hands their unit's part to the targets
 * (`unitId` = own unit leaves); adding a unit names the own unit among the targets, so it stays.
 * A leader acts for no unit: their transfer replaces the units, and adding keeps the current ones —
 * both say so explicitly (`scope: 'whole'`), as the server refuses a transfer that names no source.
 */
export function buildStep(
	user: StaffUser,
	report: Pick<Report, 'id' | 'tenantId'>,
	view: LocalView,
	action: HandlingAction,
	input: StepInput = {},
	now = new Date()
): ReportEvent {
	const unitId = actingUnitFor(user, view.assignedUnitIds);
	const note = input.note?.trim();
	// Accepting is one click with no form: it publishes no words.
	const publicNote = action === 'accept' ? undefined : input.publicNote?.trim();
	const targets = [...new Set(input.unitIds ?? [])].filter((u) => !view.assignedUnitIds.includes(u));
	let unitIds: string[] | undefined;
	if (action === 'transfer') unitIds = targets;
	else if (action === 'addUnit') unitIds = unitId ? [unitId, ...targets] : [...view.assignedUnitIds, ...targets];
	const photoIds = PHOTO_ACTIONS.includes(action) ? (input.photoIds ?? []).slice(0, MAX_STEP_PHOTOS) : [];
	return {
		id: input.id ?? uuidv7(now.getTime()),
		reportId: report.id,
		tenantId: report.tenantId,
		type: ACTION_EVENT[action],
		actorId: user.sub,
		actorRole: actorRoleOf(user.role),
		...(unitId ? { unitId } : {}),
		...(unitIds ? { unitIds } : {}),
		...(unitIds && !unitId && user.role === 'leader' ? { scope: 'whole' as const } : {}),
		...(note ? { note } : {}),
		...(publicNote ? { publicNote } : {}),
		...(photoIds.length ? { photoIds } : {}),
		at: now.toISOString(),
		_deleted: false
	};
}

/**
 * What anyone will read of the step once it is stored: the step built from the form as it stands,
 * through the same public projection the server answers the public pages with (the words masked,
 * never the private note). The form shows it before the handler sends.
 */
export function publicPreview(
	user: StaffUser,
	report: Pick<Report, 'id' | 'tenantId'>,
	view: LocalView,
	action: HandlingAction,
	input: StepInput,
	now = new Date()
): PublicEvent {
	return toPublicEvent(buildStep(user, report, view, action, input, now));
}

export function buildSeen(user: StaffUser, report: Pick<Report, 'id' | 'tenantId'>, unitId: string, now = new Date()): ReportEvent {
	return {
		id: uuidv7(now.getTime()),
		reportId: report.id,
		tenantId: report.tenantId,
		type: 'seen',
		actorId: user.sub,
		actorRole: actorRoleOf(user.role),
		unitId,
		at: now.toISOString(),
		_deleted: false
	};
}

export type StepProblem = 'note_required' | 'note_or_photo' | 'units_required' | 'too_many_photos';

/** What the form must still get before the step can be sent (the state machine is checked apart). */
export function checkStep(action: HandlingAction, input: StepInput): StepProblem | null {
	const note = input.note?.trim() ?? '';
	const photos = input.photoIds?.length ?? 0;
	if (photos > MAX_STEP_PHOTOS) return 'too_many_photos';
	if (NOTE_REQUIRED.includes(action) && !note) return 'note_required';
	if (action === 'progress' && !note && !photos) return 'note_or_photo';
	if (UNIT_ACTIONS.includes(action) && !(input.unitIds ?? []).length) return 'units_required';
	return null;
}
