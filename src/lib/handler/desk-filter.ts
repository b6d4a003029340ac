import type { Report, ReportStatus } from '../domain/report';
import { isClosed } from '../domain/report-state';
import { fold } from '../i18n/fold';
import { isFlaggedOverdue } from './overdue-summary';

/**
 * The handler's desk: which of the replicated reports the list shows, and in which order. Pure, so
 * it runs on the device's copy with no network (offline as online), and is tested on its own.
 * The filter lives in the page's address, so a reload or a shared link finds the same list.
 */

/** `open` (the default) leaves closed reports out: they need no more work; `closed` shows only them. */
export const DESK_STATUSES = [
	'open',
	'all',
	'closed',
	'received',
	'assigned',
	'in_progress',
	'reopened',
	/** The author contested an "invalid" decision: a leader decides (domain/report-state.ts). */
	'contested',
	'resolved',
	'invalid',
	'withdrawn'
] as const satisfies readonly (ReportStatus | 'open' | 'all' | 'closed')[];
export type DeskStatus = (typeof DESK_STATUSES)[number];

export const DESK_SORTS = ['newest', 'oldest', 'due'] as const;
export type DeskSort = (typeof DESK_SORTS)[number];

export interface DeskFilter {
	/** Words typed: a tracking code, words of the description, a ward's name. */
	q: string;
	status: DeskStatus;
	/** A category code, or '' for every category. */
	category: string;
	/** A unit id (reports assigned to it), or '' for every unit. */
	unit: string;
	overdue: boolean;
	reopened: boolean;
	sort: DeskSort;
}

export const DEFAULT_DESK_FILTER: Readonly<DeskFilter> = Object.freeze({
	q: '',
	status: 'open',
	category: '',
	unit: '',
	overdue: false,
	reopened: false,
	sort: 'newest'
});

export interface DeskContext {
	/** Reports that have a `reopened` event on the device: still "reopened" after a handler took them up again. */
	reopenedIds?: ReadonlySet<string>;
	/** More words a report is found by, e.g. its ward's and category's names in both languages. */
	words?: (r: Report) => string;
	/**
	 * Reports shown whatever the status filter: the official's own steps on them are not stored by the
	 * server yet, or were refused and not read. A report closed meanwhile must not hide why their step
	 * was refused.
	 */
	keepIds?: ReadonlySet<string>;
}

/** Open, and reopened by its resident at least once: the list highlights it. */
export function isReopened(r: Pick<Report, 'id' | 'status'>, reopenedIds: ReadonlySet<string> = new Set()): boolean {
	if (isClosed(r.status)) return false;
	return r.status === 'reopened' || reopenedIds.has(r.id);
}

/** Letters and digits only, upper case: a code read aloud or typed without its dashes. */
const compact = (s: string) => fold(s).replace(/[^a-z0-9]/g, '');

/**
 * Whether the report matches what was typed: every word (folded: no case, no tone marks) is in its
 * tracking code, description or extra words; or the whole query, without spaces and dashes, is
 * part of its tracking code ("ld2611246fgd8").
 */
export function matchesQuery(r: Report, query: string, words?: (r: Report) => string): boolean {
	const q = fold(query);
	if (!q) return true;
	const code = r.trackingCode ?? '';
	const bare = compact(q);
	// At least 4 characters with a digit: short words ("ld") would match every code.
	if (code && bare.length >= 4 && /\d/.test(bare) && compact(code).includes(bare)) return true;
	const hay = fold(`${code} ${r.description} ${words?.(r) ?? ''}`);
	return q.split(' ').every((w) => hay.includes(w));
}

function statusMatches(status: DeskStatus, r: Report): boolean {
	if (status === 'all') return true;
	if (status === 'open') return !isClosed(r.status);
	if (status === 'closed') return isClosed(r.status);
	return r.status === status;
}

const time = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);
/** When the server received it; a report not received yet (none reach a handler) by its device time. */
const receivedTime = (r: Report) => time(r.receivedAt) || time(r.createdAt) || 0;
/** A closed report has no due time any more: it goes after every open one. */
const dueTime = (r: Report) => (isClosed(r.status) ? Infinity : time(r.dueAt) || Infinity);

function compare(sort: DeskSort, at: (r: Report) => { received: number; due: number }): (a: Report, b: Report) => number {
	const byId = (a: Report, b: Report) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
	if (sort === 'oldest') return (a, b) => at(a).received - at(b).received || byId(a, b);
	const newest = (a: Report, b: Report) => at(b).received - at(a).received || byId(a, b);
	if (sort === 'due')
		return (a, b) => {
			const da = at(a).due;
			const db = at(b).due;
			return da === db ? newest(a, b) : da < db ? -1 : 1;
		};
	return newest;
}

/** The reports the desk shows for `filter`, sorted; a new array. */
export function deskView(reports: readonly Report[], filter: DeskFilter, ctx: DeskContext = {}): Report[] {
	const kept = reports.filter(
		(r) =>
			(statusMatches(filter.status, r) || !!ctx.keepIds?.has(r.id)) &&
			(!filter.category || r.categoryCode === filter.category) &&
			(!filter.unit || (r.assignedUnitIds ?? []).includes(filter.unit)) &&
			(!filter.overdue || isFlaggedOverdue(r)) &&
			(!filter.reopened || isReopened(r, ctx.reopenedIds)) &&
			matchesQuery(r, filter.q, ctx.words)
	);
	// Times parsed once per report, not once per comparison: a thousand reports on a slow phone.
	const times = new Map(kept.map((r) => [r, { received: receivedTime(r), due: dueTime(r) }]));
	return kept.sort(compare(filter.sort, (r) => times.get(r)!));
}

const collators = new Map<string, Intl.Collator>();

/**
 * One collator per language for the desk's option lists. The first one loads the language's
 * collation data (~15 ms on a fast machine, 4× that on a cheap phone): the page makes it in a task
 * of its own before the list is drawn; `localeCompare(x, locale)` paid it inside the first draw.
 */
export function collatorFor(locale: string): Intl.Collator {
	let c = collators.get(locale);
	if (!c) collators.set(locale, (c = new Intl.Collator(locale)));
	return c;
}

/** Short parameter names: the address stays readable. */
const PARAMS = { q: 'q', status: 'status', category: 'category', unit: 'unit', overdue: 'overdue', reopened: 'reopened', sort: 'sort' } as const;

const oneOf = <T extends string>(list: readonly T[], v: string | null, fallback: T): T => (list.includes(v as T) ? (v as T) : fallback);

/** The filter in the address; what is missing or unknown there is the default. */
export function readDeskFilter(params: URLSearchParams): DeskFilter {
	const d = DEFAULT_DESK_FILTER;
	return {
		q: params.get(PARAMS.q) ?? d.q,
		status: oneOf(DESK_STATUSES, params.get(PARAMS.status), d.status),
		category: params.get(PARAMS.category) ?? d.category,
		unit: params.get(PARAMS.unit) ?? d.unit,
		overdue: params.get(PARAMS.overdue) === '1',
		reopened: params.get(PARAMS.reopened) === '1',
		sort: oneOf(DESK_SORTS, params.get(PARAMS.sort), d.sort)
	};
}

/** A copy of `params` (other parameters, e.g. the open report, kept) with the filter; defaults left out. */
export function writeDeskFilter(filter: DeskFilter, params: URLSearchParams): URLSearchParams {
	const out = new URLSearchParams(params);
	const d = DEFAULT_DESK_FILTER;
	const set = (key: string, value: string, isDefault: boolean) => (isDefault ? out.delete(key) : out.set(key, value));
	set(PARAMS.q, filter.q, !filter.q.trim());
	set(PARAMS.status, filter.status, filter.status === d.status);
	set(PARAMS.category, filter.category, !filter.category);
	set(PARAMS.unit, filter.unit, !filter.unit);
	set(PARAMS.overdue, '1', !filter.overdue);
	set(PARAMS.reopened, '1', !filter.reopened);
	set(PARAMS.sort, filter.sort, filter.sort === d.sort);
	return out;
}

/** Whether the filter narrows the list beyond the default view (the page offers to clear it). */
export function isNarrowed(filter: DeskFilter): boolean {
	return writeDeskFilter(filter, new URLSearchParams()).toString() !== '';
}
