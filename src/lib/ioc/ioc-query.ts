import { IOC_PERIODS, resolvePeriod, type IocPeriod, type IocQuery, type IocTable, type PeriodProblem } from '$lib/domain/ioc';
import type { WorkCalendar } from '$lib/domain/work-calendar';

/**
 * The dashboard's filter as it lives in the address (a link or a reload shows the same figures) and
 * as it is sent to the server. The server checks it again; the client checks a custom period first
 * with the contract's own `resolvePeriod`, so a leader reads the problem before any request.
 */

export interface IocFilter {
	period: IocPeriod;
	from: string;
	to: string;
	ward: string;
	unit: string;
	category: string;
}

const FIELDS = ['ward', 'unit', 'category'] as const;

/** The filter of an address; anything unreadable falls back to the default (the last 7 days, everything). */
export function readFilter(params: URLSearchParams): IocFilter {
	const p = params.get('period');
	const period = (IOC_PERIODS as readonly string[]).includes(p ?? '') ? (p as IocPeriod) : 'week';
	const f: IocFilter = { period, from: params.get('from') ?? '', to: params.get('to') ?? '', ward: '', unit: '', category: '' };
	for (const k of FIELDS) f[k] = params.get(k)?.trim() ?? '';
	return f;
}

/** The query the server is asked (and the address carries): only what is set; dates only for a custom period. */
export function toQuery(f: IocFilter): IocQuery {
	const q: IocQuery = { period: f.period };
	if (f.period === 'custom') {
		if (f.from) q.from = f.from;
		if (f.to) q.to = f.to;
	}
	for (const k of FIELDS) if (f[k]) q[k] = f[k];
	return q;
}

/** `period=custom&from=…` in a fixed order: the same filter is the same string (the cache's key too). */
export function queryString(q: IocQuery): string {
	const params = new URLSearchParams();
	for (const k of ['period', 'from', 'to', ...FIELDS] as const) {
		const v = q[k];
		if (v) params.set(k, v);
	}
	return params.toString();
}

/** Why a custom period cannot be asked for, before asking; null when it can. */
export function periodProblem(q: IocQuery, cal: Pick<WorkCalendar, 'utcOffset'>, now: Date): PeriodProblem | null {
	const r = resolvePeriod(q, cal, now);
	return 'problem' in r ? r.problem : null;
}

/** This device's offset as "+07:00": the period's days when the province's calendar is not known yet. */
export function deviceOffset(now: Date): string {
	const minutes = -now.getTimezoneOffset();
	const abs = Math.abs(minutes);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** `ioc-wards-2026-11-29-2026-12-05.csv`: the table and the period's days, as the brief names it. */
export function csvFileName(table: IocTable, period: { from: string; to: string }): string {
	return `ioc-${table}-${period.from}-${period.to}.csv`;
}
