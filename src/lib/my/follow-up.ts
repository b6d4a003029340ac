import type { ReportEvent } from '../domain/event';
import type { Report, ReportStatus } from '../domain/report';
import { deriveReport, isClosed } from '../domain/report-state';
import type { TenantConfig } from '../domain/tenant';

/**
 * What the resident may do on one of their reports, from the events on the device: answer the
 * handler's question while it is pending, rate the result once it is resolved, contest an "invalid"
 * decision once, withdraw it while it is open. Uses the same
 * derivation as the server (deriveReport), over the events the server has stored; the resident's
 * own events not stored yet (`serverAt` missing) count as sent, unless the server refused them.
 */

export interface FollowUp {
	status: ReportStatus | undefined;
	/** The handler's question, while it waits for an answer. */
	question?: ReportEvent;
	canAnswer: boolean;
	/** An answer typed on this device, not stored by the server yet. */
	answerPending?: ReportEvent;
	/** The result, while the report is resolved (note and photos). */
	result?: ReportEvent;
	/**
	 * While the report is reopened: the resident's "not satisfied" rating that reopened it (its note
	 * says why), shown first, and the result it judged, shown as the previous one: not the outcome.
	 */
	reopening?: ReportEvent;
	previousResult?: ReportEvent;
	canRate: boolean;
	/** The rating of the current result (stored, or on its way). */
	rating?: ReportEvent;
	/** While the report is invalid or contested: the "invalid" decision in force (a unit's, or a leader's upholding it). */
	decision?: ReportEvent;
	/** An "invalid" decision the resident may still contest (once per report, domain/report-state.ts). */
	canContest: boolean;
	/** The resident's contest (stored, or on its way). */
	contest?: ReportEvent;
	/** Invalid after a contest: the leader's decision is final. */
	contestFinal: boolean;
	/** The report is open: the resident may withdraw it (rút phản ánh), from any of their phones. */
	canWithdraw: boolean;
	/** The resident's withdrawal (stored, or on its way). */
	withdrawal?: ReportEvent;
}

/** Only the SLA part is read, and none of what this page shows depends on it. */
const NO_SLA: Pick<TenantConfig, 'sla'> = { sla: { default: { onSite: 2, report: 6 }, byCategory: {} } };

const byServerTime = (a: ReportEvent, b: ReportEvent) =>
	(a.serverAt ?? '').localeCompare(b.serverAt ?? '') || a.id.localeCompare(b.id);

export function followUp(
	report: Pick<Report, 'status' | 'categoryCode'>,
	events: readonly ReportEvent[],
	opts: { tenant?: Pick<TenantConfig, 'sla'> | null; rejectedIds?: ReadonlySet<string>; now?: Date } = {}
): FollowUp {
	const rejected = opts.rejectedIds ?? new Set<string>();
	const live = events.filter((e) => !e._deleted && !rejected.has(e.id));
	const stored = live.filter((e) => e.serverAt).sort(byServerTime);
	const local = live.filter((e) => !e.serverAt);
	const derived = deriveReport(stored, opts.tenant ?? NO_SLA, report.categoryCode, opts.now ?? new Date());
	// The report document is the server's word on its status; the events may run ahead of it.
	const status = report.status ?? derived.status;
	const last = (type: string) => [...stored].reverse().find((e) => e.type === type);

	const question = derived.infoRequestPending ? last('info_requested') : undefined;
	const answerPending = question ? local.find((e) => e.type === 'info_provided') : undefined;

	const contest = [...live].sort(byServerTime).find((e) => e.type === 'contested' && (!e.serverAt || e.id === derived.contestedBy));
	const decision = status === 'invalid' || status === 'contested' ? last('rejected_invalid') : undefined;

	const resolved = status === 'resolved' ? last('resolved') : undefined;
	// A withdrawal on its way counts: not offered twice; a refused one is left out above.
	const withdrawal = live.find((e) => e.type === 'withdrawn');
	const rating = resolved
		? (live.find((e) => e.type === 'feedback' && (!e.serverAt || byServerTime(e, resolved) > 0)) ?? undefined)
		: undefined;

	return {
		status,
		question,
		canAnswer: !!question && !answerPending && !isClosed(status),
		answerPending,
		result: status === 'resolved' ? last('resolved') : undefined,
		...(status === 'reopened'
			? {
					reopening: [...stored].reverse().find((e) => e.type === 'feedback' && e.satisfied === false),
					previousResult: last('resolved')
				}
			: {}),
		canRate: !!resolved && !rating,
		rating,
		decision,
		canContest: status === 'invalid' && !contest && !derived.contestedBy,
		contest,
		contestFinal: status === 'invalid' && !!derived.contestedBy,
		// The same rule as the server's (report-state.ts residentRule): received and not closed.
		canWithdraw: status !== undefined && !isClosed(status) && !withdrawal,
		withdrawal
	};
}
