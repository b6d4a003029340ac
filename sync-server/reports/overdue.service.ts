import type { ReportEvent } from '$lib/domain/event';
import type { Report } from '$lib/domain/report';
import { canAppend, isClosed } from '$lib/domain/report-state';
import { loadThenFollow } from '../storage/live-view';
import type { Change, Store } from '../storage/storage';
import { derivedId } from './derived-ids';

export interface OverdueJobDeps {
	reports: Store<Report>;
	events: Store<ReportEvent>;
	/** Recomputes reports' derived fields from their events (report-intake's `rederive`): sets `overdueAt`. */
	rederive(reportIds: string[]): Promise<void>;
	/** Pause between two passes (OVERDUE_CHECK_MS). */
	intervalMs: number;
	/** The server clock (tests move it forward). */
	now?: () => Date;
	log?: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
	/** Reports read, flagged and re-derived per write (default 100). */
	batchSize?: number;
}

/** The id of the overdue event of a report for one due time: every instance writes the same one. */
export function overdueEventId(reportId: string, dueAt: string): string {
	return derivedId(reportId, `overdue:${dueAt}`);
}

/**
 * When a report still needs flagging: its due time, or null when it is closed, deleted, has no due
 * time or is already flagged for this due time (the derived `overdueAt` is at or after it; a
 * reopening clears `overdueAt` and sets a new due time, so the report comes back here).
 */
function pendingDue(r: Report | undefined): number | null {
	if (!r || r._deleted || isClosed(r.status) || !r.dueAt) return null;
	const due = Date.parse(r.dueAt);
	if (Number.isNaN(due)) return null;
	if (r.overdueAt && Date.parse(r.overdueAt) >= due) return null;
	return due;
}

/**
 * The SLA clock: reports turn overdue on their own, on the server's clock, not when someone opens a
 * page. Every `intervalMs` the job takes the open reports whose due time has passed, appends one
 * system `overdue` event per report and due time (to the units still assigned, which the timeline
 * and the inboxes show) and re-derives the report, which sets `overdueAt`.
 *
 * It never scans the reports store on a pass: it keeps the due times of the open, not yet flagged
 * reports in memory, built once from the store's changes feed at start and kept live by the feed
 * (which also carries other instances' writes). A pass re-reads the few reports that are due before
 * deciding, so a stale schedule entry costs a read, never a wrong event.
 *
 * Several instances on one database run the same job: the event id is derived from the report id
 * and its due time, and written create-only, so the second writer gets a conflict and only
 * re-derives (harmless). A crash between the event and the re-derivation is repaired the same way
 * on the next pass or start. A report that fell due while no server ran is flagged by the first
 * pass after start (its time is then the start time: the server could not know sooner).
 */
export function createOverdueService(deps: OverdueJobDeps) {
	const now = deps.now ?? (() => new Date());
	const batchSize = deps.batchSize ?? 100;
	/** reportId → due time (ms) of the open reports not yet flagged for it. */
	const schedule = new Map<string, number>();
	let ready = false;
	let started = false;
	let stopped = false;
	let timer: NodeJS.Timeout | null = null;
	/** Passes run one at a time (the timer's and runOnce's): the tail of that queue. */
	let queue: Promise<unknown> = Promise.resolve();
	let unsubscribe: (() => void) | null = null;

	function apply(c: Change<Report>) {
		const due = c.deleted ? null : pendingDue(c.doc);
		if (due === null) schedule.delete(c.id);
		else schedule.set(c.id, due);
	}

	/** Reads the store from the start and follows it live from then on (storage/live-view.ts). */
	async function build(): Promise<void> {
		unsubscribe = await loadThenFollow(deps.reports, apply, { pageSize: 500, stopped: () => stopped });
		ready = !stopped;
	}

	function overdueEvent(r: Report, at: string): ReportEvent {
		return {
			id: overdueEventId(r.id, r.dueAt!),
			reportId: r.id,
			tenantId: r.tenantId,
			type: 'overdue',
			actorId: 'system',
			actorRole: 'system',
			// The report is open, so none of its units has resolved it: all are late.
			unitIds: [...(r.assignedUnitIds ?? [])].sort(),
			at,
			serverAt: at,
			_deleted: false
		};
	}

	/** Flags the reports of one batch that are still open and past due; returns how many it flagged. */
	async function flag(ids: string[]): Promise<number> {
		const current = await deps.reports.getMany(ids);
		const clock = now();
		const at = clock.toISOString();
		const toWrite: ReportEvent[] = [];
		const flaggedDue = new Map<string, number>();
		for (const id of ids) {
			const r = current.get(id)?.doc;
			const due = pendingDue(r);
			if (due === null) schedule.delete(id);
			else schedule.set(id, due); // the due time may have moved (a reopening)
			if (due === null || clock.getTime() <= due) continue;
			const view = { status: r!.status, assignedUnitIds: r!.assignedUnitIds ?? [] };
			if (!canAppend({ role: 'system', unitIds: [] }, view, 'overdue').ok) continue;
			toWrite.push(overdueEvent(r!, at));
			flaggedDue.set(id, due);
		}
		if (!toWrite.length) return 0;
		const results = await deps.events.bulkPut(toWrite.map((doc) => ({ doc, rev: null })));
		const failed = results.find((res) => !res.ok && !res.conflict);
		if (failed && !failed.ok) throw new Error(`Could not write overdue event ${failed.id}: ${failed.error}`);
		// A conflict is the same event written by another instance (or before a crash): re-derive anyway.
		const reportIds = toWrite.map((e) => e.reportId);
		await deps.rederive(reportIds);
		// Done for this due time (a new one, from a reopening the feed brought meanwhile, stays).
		for (const id of reportIds) if (schedule.get(id) === flaggedDue.get(id)) schedule.delete(id);
		return results.filter((res) => res.ok).length;
	}

	/** One pass: builds the schedule if needed, then flags every report whose due time has passed. */
	async function pass(): Promise<number> {
		if (stopped) return 0;
		if (!ready) await build();
		if (!ready) return 0;
		const t = now().getTime();
		const due = [...schedule].filter(([, at]) => at < t).map(([id]) => id);
		let flagged = 0;
		for (let i = 0; i < due.length && !stopped; i += batchSize) flagged += await flag(due.slice(i, i + batchSize));
		if (flagged) deps.log?.info({ flagged }, 'reports turned overdue');
		return flagged;
	}

	function serial(): Promise<number> {
		const run = queue.then(pass);
		queue = run.catch(() => undefined);
		return run;
	}

	function tick() {
		timer = null;
		serial()
			// The database may be down: keep the schedule, try again on the next pass.
			.catch((err) => deps.log?.error({ err }, 'overdue check failed; retrying'))
			.finally(() => {
				if (stopped) return;
				timer = setTimeout(tick, deps.intervalMs);
				timer.unref();
			});
	}

	return {
		/** Builds the schedule and passes every `intervalMs`; the first pass runs at once. */
		start(): void {
			if (started || stopped) return;
			started = true;
			tick();
		},

		/** Stops for good; waits for a pass under way, so the storage can close after it. */
		async stop(): Promise<void> {
			stopped = true;
			if (timer) clearTimeout(timer);
			timer = null;
			await queue;
			unsubscribe?.();
			unsubscribe = null;
			schedule.clear();
		},

		/** One pass now, after any under way (tests; an operator's "check now"): how many it flagged. */
		runOnce: serial,

		/** How many open reports wait for their due time (health, tests). */
		get scheduled(): number {
			return schedule.size;
		}
	};
}
export type OverdueService = ReturnType<typeof createOverdueService>;
