import { Contact } from '$lib/domain/contact';
import type { Rejection } from '$lib/domain/errors';
import { ReportEvent } from '$lib/domain/event';
import { Report, ReportInput } from '$lib/domain/report';
import { isPartReport, leadOf } from '$lib/domain/lead-unit';
import { canAppend, deriveReport } from '$lib/domain/report-state';
import type { PushResponse, PushRow, SyncCollection } from '$lib/domain/sync-protocol';
import type { TenantConfig } from '$lib/domain/tenant';
import type { Principal } from '$lib/domain/principal';
import type { PhotoClaims } from '../media/photo-claims';
import type { ReportIntake } from '../reports/report-intake.service';
import type { Store, StoredDoc, Versioned } from '../storage/storage';
import {
	authorFieldsDiffer,
	checkEventUnits,
	checkPhotosAndPlace,
	checkTenantRefs,
	pushedId,
	reject,
	rejectionFromIssues,
	sameState,
	serverFieldsIn,
	type WardMatches
} from './push-validation';
import { asSeenBy, canSeeReport } from '../access/scope';

type Doc = Record<string, unknown>;

/** What to do with one pushed row, decided before anything is written. */
type Plan =
	| { kind: 'reject'; rejection: Rejection }
	/** Nothing to write; `master` (if any) is answered as a conflict when it differs from the push. */
	| { kind: 'keep'; pushed: Doc; master: StoredDoc | null; ensureEvents?: boolean }
	| { kind: 'write'; pushed: Doc; doc: StoredDoc; rev: string | null; seenUnits?: string[] }
	| { kind: 'intake'; pushed: Doc; input: ReportInput };


/**
 * Assisted filing (Tổ công nghệ số cộng đồng): a volunteer's account files only on behalf of villagers,
 * so each report it writes names the volunteer as `assistedBy` (its author is the volunteer too). Any
 * other author must not claim assistance: `assistedBy` is what tells a villager's report, whose
 * contact belongs to someone else, from a resident's own. Both refusals are `validation_failed` on
 * the `assistedBy` path (it is an author field, not a server field, so not `server_field`).
 */
function checkAssistedBy(p: Principal, r: ReportInput): Rejection | null {
	if (p.role === 'volunteer' && r.assistedBy !== p.sub)
		return reject(r.id, 'validation_failed', "a volunteer's report carries assistedBy = the volunteer", ['assistedBy']);
	if (p.role !== 'volunteer' && r.assistedBy !== undefined)
		return reject(r.id, 'validation_failed', "only a volunteer's report carries assistedBy", ['assistedBy']);
	return null;
}

/**
 * A volunteer's contact is the villager's: it is stored only with the villager's consent recorded
 * (`consent: true`) and their name or phone (so a handler can reach them, and they can claim the
 * report with their phone later). Withdrawing it (`_deleted`) needs neither.
 */
function checkVillagerConsent(p: Principal, c: Contact): Rejection | null {
	if (p.role !== 'volunteer' || c._deleted) return null;
	if (c.consent === true && (c.phone || c.name)) return null;
	return reject(c.id, 'consent_required', c.consent === true ? 'name or phone' : 'consent', [c.consent === true ? 'phone' : 'consent']);
}

export interface PushDeps {
	config: TenantConfig;
	stores: { reports: Store<Report>; contacts: Store<Contact>; events: Store<ReportEvent> };
	intake: ReportIntake;
	now?: () => Date;
	/**
	 * Called with the reports or contacts a push stored or confirmed (a retry too): phone verification
	 * indexes them by author and by phone, to link them to the person later (sync-server/otp).
	 */
	afterPush?: (p: Principal, collection: SyncCollection, stored: StoredDoc[]) => Promise<void>;
	/** Whether a new report's coordinates agree with its ward (the tenant's boundaries); unset: not checked. */
	wardMatches?: WardMatches;
	/** Photo ids belong to one report or step (media/photo-claims.ts); new reports and steps claim theirs. */
	photos?: Pick<PhotoClaims, 'claimForReports' | 'claimForEvents'>;
}

export function createPushService(deps: PushDeps) {
	const now = deps.now ?? (() => new Date());
	const { reports, contacts, events } = deps.stores;

	function planReport(p: Principal, pushed: Doc, existing: Versioned<Report> | undefined): Plan {
		const id = pushedId(pushed);
		if (existing) {
			if (existing.doc.authorId !== p.sub) return { kind: 'reject', rejection: reject(id, 'not_owner') };
			const parsed = Report.safeParse(pushed);
			if (!parsed.success) return { kind: 'reject', rejection: rejectionFromIssues(id, parsed.error.issues, pushed) };
			if (authorFieldsDiffer(parsed.data, existing.doc)) return { kind: 'reject', rejection: reject(id, 'report_immutable') };
			// A retry of a stored report: answer the server's state; re-check the intake events in
			// case the first attempt stopped half-way.
			return { kind: 'keep', pushed, master: existing.doc, ensureEvents: true };
		}
		const serverFields = serverFieldsIn(pushed);
		if (serverFields.length)
			return { kind: 'reject', rejection: reject(id, 'server_field', serverFields.join(', '), [serverFields[0]]) };
		const parsed = ReportInput.safeParse(pushed);
		if (!parsed.success) return { kind: 'reject', rejection: rejectionFromIssues(id, parsed.error.issues, pushed) };
		const r = parsed.data;
		if (r.tenantId !== p.tenantId) return { kind: 'reject', rejection: reject(id, 'forbidden_scope', 'tenantId') };
		if (r.authorId !== p.sub) return { kind: 'reject', rejection: reject(id, 'not_owner', 'authorId', ['authorId']) };
		const refs = checkTenantRefs(deps.config, id, r);
		if (refs) return { kind: 'reject', rejection: refs };
		const assisted = checkAssistedBy(p, r);
		if (assisted) return { kind: 'reject', rejection: assisted };
		// Withdrawing a report that never arrived: nothing to store.
		if (r._deleted) return { kind: 'keep', pushed, master: null };
		const placed = checkPhotosAndPlace(deps.config, deps.wardMatches, id, r);
		if (placed) return { kind: 'reject', rejection: placed };
		return { kind: 'intake', pushed, input: r };
	}

	function planContact(
		p: Principal,
		row: PushRow,
		existing: Versioned<Contact> | undefined,
		report: Report | undefined
	): Plan {
		const pushed = row.newDocumentState as Doc;
		const id = pushedId(pushed);
		const parsed = Contact.safeParse(pushed);
		if (!parsed.success) return { kind: 'reject', rejection: rejectionFromIssues(id, parsed.error.issues, pushed) };
		const c = parsed.data;
		if (c.tenantId !== p.tenantId) return { kind: 'reject', rejection: reject(id, 'forbidden_scope', 'tenantId') };
		if (c.authorId !== p.sub || (existing && existing.doc.authorId !== p.sub) || (report && report.authorId !== p.sub))
			return { kind: 'reject', rejection: reject(id, 'not_owner') };
		const consent = checkVillagerConsent(p, c);
		if (consent) return { kind: 'reject', rejection: consent };
		if (!existing) return c._deleted ? { kind: 'keep', pushed, master: null } : { kind: 'write', pushed, doc: c, rev: null };
		if (sameState(existing.doc, c)) return { kind: 'keep', pushed, master: existing.doc };
		// The device changed its contact: allowed only from the state the server holds.
		const assumed = row.assumedMasterState as Doc | null | undefined;
		if (!assumed || !sameState(assumed, existing.doc)) return { kind: 'keep', pushed, master: existing.doc };
		return { kind: 'write', pushed, doc: c, rev: existing.rev };
	}

	function planEvent(
		p: Principal,
		pushed: Doc,
		existing: Versioned<ReportEvent> | undefined,
		report: Report | undefined,
		fromEvents: { infoRequestPending: boolean; contested: boolean; partUnitIds: string[] }
	): Plan {
		const id = pushedId(pushed);
		const parsed = ReportEvent.safeParse(pushed);
		if (!parsed.success) return { kind: 'reject', rejection: rejectionFromIssues(id, parsed.error.issues, pushed) };
		const e = parsed.data;
		if (e.tenantId !== p.tenantId) return { kind: 'reject', rejection: reject(id, 'forbidden_scope', 'tenantId') };
		if (e.actorId !== p.sub) return { kind: 'reject', rejection: reject(id, 'not_owner', 'actorId', ['actorId']) };
		if (e.actorRole !== p.role) return { kind: 'reject', rejection: reject(id, 'forbidden_scope', 'actorRole', ['actorRole']) };
		if (!report || !canSeeReport(p, report))
			return { kind: 'reject', rejection: reject(id, 'forbidden_scope', 'report', ['reportId']) };
		const acting = e.unitId ? [e.unitId] : [];
		if (p.role === 'handler' && acting.some((u) => !p.unitIds.includes(u)))
			return { kind: 'reject', rejection: reject(id, 'forbidden_scope', 'unitId', ['unitId']) };
		const units = checkEventUnits(deps.config, id, e);
		if (units) return { kind: 'reject', rejection: units };
		if (existing) {
			// Append-only: the same event again is a retry (answered even if the report moved on since);
			// anything else is refused.
			const { serverAt: _a, ...stored } = existing.doc;
			const { serverAt: _b, ...mine } = e;
			if (!sameState(stored, mine)) return { kind: 'reject', rejection: reject(id, 'report_immutable', 'events are append-only') };
			return { kind: 'keep', pushed, master: existing.doc };
		}
		if (e._deleted) return { kind: 'reject', rejection: reject(id, 'validation_failed', 'events cannot be deleted') };
		const decision = canAppend(
			{ role: p.role, unitIds: p.unitIds, id: p.sub, personId: p.personId },
			{
				status: report.status,
				assignedUnitIds: report.assignedUnitIds ?? [],
				authorId: report.authorId,
				personId: report.personId,
				...fromEvents
			},
			e.type,
			{ unitId: e.unitId, unitIds: e.unitIds, scope: e.scope, note: e.note, satisfied: e.satisfied }
		);
		if (!decision.ok) return { kind: 'reject', rejection: reject(id, decision.code, `${e.type}: ${decision.reason}`, ['type']) };
		// A `seen` without a unit counts for the handler's assigned units (derivation only sees `unitId`).
		const seenUnits =
			e.type === 'seen' && !acting.length ? p.unitIds.filter((u) => (report.assignedUnitIds ?? []).includes(u)) : undefined;
		return { kind: 'write', pushed, doc: { ...e, serverAt: now().toISOString() }, rev: null, seenUnits };
	}

	/** Loads the reports that contacts/events hang off, once per batch. */
	async function reportsOf(rows: Doc[]): Promise<Map<string, Report>> {
		const ids = rows.map((d) => d.reportId).filter((x): x is string => typeof x === 'string');
		const got = await reports.getMany(ids);
		return new Map([...got].map(([k, v]) => [k, v.doc]));
	}

	return {
		async push(p: Principal, collection: SyncCollection, rows: PushRow[]): Promise<PushResponse> {
			const rejected: Rejection[] = [];
			const conflicts: StoredDoc[] = [];
			if (collection === 'media') {
				for (const r of rows) rejected.push(reject(pushedId(r.newDocumentState as Doc), 'read_only_collection'));
				return { conflicts, rejected };
			}
			const store = (collection === 'reports' ? reports : collection === 'contacts' ? contacts : events) as Store<StoredDoc>;

			// One state per id: a batch naming an id twice is answered for the first only.
			const seen = new Set<string>();
			const unique: PushRow[] = [];
			for (const r of rows) {
				const id = pushedId(r.newDocumentState as Doc);
				if (id && seen.has(id)) rejected.push(reject(id, 'validation_failed', 'id repeated in one batch'));
				else (seen.add(id), unique.push(r));
			}
			const docs = unique.map((r) => r.newDocumentState as Doc);
			const existing = await store.getMany([...seen].filter(Boolean));
			const parents = collection === 'reports' ? new Map<string, Report>() : await reportsOf(docs);
			// Whether information is awaited, whether the report was contested already and which units
			// reported their part come from the events; read them only when someone answers, contests or
			// reports a result.
			const pendingInfo = new Set<string>();
			const contestedOnce = new Set<string>();
			const parts = new Map<string, Set<string>>();
			const NEEDS_EVENTS = ['info_provided', 'contested', 'resolved', 'rejected_invalid'];
			if (collection === 'events' && docs.some((d) => NEEDS_EVENTS.includes(String(d.type)))) {
				const withAnswers = [...new Set(docs.filter((d) => NEEDS_EVENTS.includes(String(d.type))).map((d) => String(d.reportId)))];
				for (const [rid, evs] of await deps.intake.eventsOf(withAnswers.filter((r) => parents.has(r)))) {
					const parent = parents.get(rid)!;
					const derived = deriveReport(evs, deps.config, parent.categoryCode, now());
					if (derived.infoRequestPending) pendingInfo.add(rid);
					if (derived.contestedBy) contestedOnce.add(rid);
					parts.set(rid, new Set(derived.partUnitIds));
				}
			}

			const planned: Plan[] = unique.map((row, i) => {
				const pushed = docs[i];
				const ex = existing.get(pushedId(pushed));
				const parent = parents.get(String(pushed.reportId));
				if (collection === 'reports') return planReport(p, pushed, ex as Versioned<Report> | undefined);
				if (collection === 'contacts') return planContact(p, row, ex as Versioned<Contact> | undefined, parent);
				const rid = String(pushed.reportId);
				const plan = planEvent(p, pushed, ex as Versioned<ReportEvent> | undefined, parent, {
					infoRequestPending: pendingInfo.has(rid),
					contested: contestedOnce.has(rid),
					partUnitIds: [...(parts.get(rid) ?? [])]
				});
				// Two contests of one report in one batch: the first counts, the second is the "again".
				if (plan.kind === 'write' && pushed.type === 'contested') contestedOnce.add(rid);
				// So do two part reports of one unit.
				if (plan.kind === 'write' && parent && isPartReport(leadOf(parent), plan.doc as ReportEvent))
					parts.set(rid, (parts.get(rid) ?? new Set()).add(String(pushed.unitId)));
				return plan;
			});

			// A new step listing a photo that belongs to another report or step is refused (photo_taken).
			const stepPhotosTaken =
				collection === 'events' && deps.photos
					? await deps.photos.claimForEvents(planned.flatMap((x) => (x.kind === 'write' ? [x.doc as ReportEvent] : [])))
					: new Set<string>();
			const plans = planned.map((x): Plan =>
				x.kind === 'write' && stepPhotosTaken.has(x.doc.id) ? { kind: 'reject', rejection: reject(x.doc.id, 'photo_taken') } : x
			);

			// Valid documents are stored even when others in the batch are refused.
			const writes = plans.filter((x): x is Extract<Plan, { kind: 'write' }> => x.kind === 'write');
			const results = await store.bulkPut(writes.map((w) => ({ doc: w.doc, rev: w.rev })));
			const afterWrite = new Map<Plan, StoredDoc | null>();
			const lost: Plan[] = [];
			writes.forEach((w, i) => {
				const res = results[i];
				if (res.ok) afterWrite.set(w, w.doc);
				else if (res.conflict) lost.push(w);
				else throw new Error(`Could not store ${collection}/${w.doc.id}: ${res.error}`);
			});
			// Someone else wrote first: their state is the master the device must resolve against.
			if (lost.length) {
				const now = await store.getMany(lost.map((w) => (w as { doc: StoredDoc }).doc.id));
				for (const w of lost) afterWrite.set(w, now.get((w as { doc: StoredDoc }).doc.id)?.doc ?? null);
			}

			// New reports go through intake together (a few writes per batch, not a few per report).
			const listed = plans.filter((x): x is Extract<Plan, { kind: 'intake' }> => x.kind === 'intake');
			// A new report listing a photo that belongs to another report or step is refused (photo_taken).
			const photosTaken = deps.photos ? await deps.photos.claimForReports(listed.map((x) => x.input)) : new Set<string>();
			for (const x of listed.filter((x) => photosTaken.has(x.input.id))) {
				afterWrite.set(x, null);
				rejected.push(reject(x.input.id, 'photo_taken'));
			}
			const intakes = listed.filter((x) => !photosTaken.has(x.input.id));
			// A verified resident's new reports are theirs on every device of theirs from the start.
			const taken = await deps.intake.intakeMany(intakes.map((plan) => plan.input), { personId: p.personId });
			intakes.forEach((plan, i) => {
				const { report, created } = taken[i];
				if (!created && authorFieldsDiffer(report, plan.input)) {
					afterWrite.set(plan, null);
					rejected.push(reject(plan.input.id, 'report_immutable'));
				} else afterWrite.set(plan, report);
			});
			const retried = plans.flatMap((plan) => (plan.kind === 'keep' && plan.ensureEvents && plan.master ? [plan.master as Report] : []));
			if (retried.length) await deps.intake.ensureIntakeEvents(retried);
			await Promise.all(
				writes.map(async (plan, i) => {
					if (plan.seenUnits?.length && results[i].ok) await deps.intake.markSeen(String(plan.doc.reportId), plan.seenUnits);
				})
			);
			// The reports whose events changed get their derived fields recomputed.
			if (collection === 'events') {
				await deps.intake.rederive(writes.filter((_, i) => results[i].ok).map((w) => String(w.doc.reportId)));
			}

			const stored: StoredDoc[] = [];
			for (const plan of plans) {
				if (plan.kind === 'reject') {
					rejected.push(plan.rejection);
					continue;
				}
				const master = plan.kind === 'keep' ? plan.master : (afterWrite.get(plan) ?? null);
				if (!master) continue;
				stored.push(master);
				// A new report always differs from the server's state of it (it carries no server fields,
				// the stored one has its tracking code): no need to compare them field by field.
				if (plan.kind === 'intake' || !sameState(master, plan.pushed)) conflicts.push(asSeenBy(p, collection, master));
			}
			if (deps.afterPush && stored.length && collection !== 'events') await deps.afterPush(p, collection, stored);
			return { conflicts, rejected };
		}
	};
}
export type PushService = ReturnType<typeof createPushService>;
