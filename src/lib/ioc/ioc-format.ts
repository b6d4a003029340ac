import type { Durations } from '$lib/domain/ioc';
import '$lib/i18n/areas/ioc';
import '$lib/i18n/areas/ioc-office';
import { translate, type Locale } from '$lib/i18n/messages';

/**
 * The dashboard's numbers in words a leader reads at a glance: durations in the unit that suits
 * them (minutes, hours, days), rates that say "—" rather than NaN when nothing was counted, the
 * sample size beside every satisfaction rate, and the trend as an arrow and as a sentence (the arrow
 * alone says nothing to a screen reader). Pure: the locale is an argument, so the tests need no page.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const numberFormats = new Map<string, Intl.NumberFormat>();
function num(locale: Locale, n: number, digits = 0): string {
	const key = `${locale}|${digits}`;
	let f = numberFormats.get(key);
	if (!f) {
		f = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits });
		numberFormats.set(key, f);
	}
	return f.format(n);
}

/** One decimal under 10 ("3,5 giờ"), none above ("26 giờ"): the precision a leader needs. */
const shortNumber = (locale: Locale, n: number) => num(locale, n, n < 10 ? 1 : 0);

/**
 * A duration: under a minute; minutes up to an hour; hours up to two days (a day and a half reads
 * better as 36 hours); days beyond. Unknown (no report answered yet) reads "—".
 */
export function formatDuration(ms: number | null | undefined, locale: Locale): string {
	if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return translate(locale, 'ioc.none');
	if (ms < MINUTE) return translate(locale, 'ioc.duration.underMinute');
	if (ms < HOUR) return translate(locale, 'ioc.duration.minutes', { n: num(locale, Math.round(ms / MINUTE)) });
	if (ms < 2 * DAY) return translate(locale, 'ioc.duration.hours', { n: shortNumber(locale, ms / HOUR) });
	return translate(locale, 'ioc.duration.days', { n: shortNumber(locale, ms / DAY) });
}

/** "median 3 h · 90 % within 2 days", or "—" when no duration was counted. */
export function formatPercentiles(d: Durations, locale: Locale): string {
	if (!d.n || d.p50Ms === null) return translate(locale, 'ioc.none');
	return translate(locale, 'ioc.percentiles', { p50: formatDuration(d.p50Ms, locale), p90: formatDuration(d.p90Ms, locale) });
}

/** `part` out of `whole` as a whole percentage; "—" when the whole is 0 (never NaN or "0 %"). */
export function formatRate(part: number, whole: number, locale: Locale): string {
	if (!whole || !Number.isFinite(part) || !Number.isFinite(whole)) return translate(locale, 'ioc.none');
	return translate(locale, 'ioc.rate', { n: num(locale, Math.round((part / whole) * 100)) });
}

/** "82 % hài lòng (n = 45)": a rate of a few ratings is not a rate of many, so the sample is always shown. */
export function formatSatisfaction(satisfied: number, rated: number, locale: Locale): string {
	return translate(locale, 'ioc.satisfied', { rate: formatRate(satisfied, rated, locale), n: num(locale, rated) });
}

export interface Trend {
	/** ▲ 5, ▼ 3, ＝ : what is seen. */
	symbol: string;
	/** "tăng 5 so với kỳ trước (12)": what a screen reader says instead. */
	words: string;
	direction: 'up' | 'down' | 'same';
}

/** The change from the previous period of the same length. */
export function trendOf(current: number, previous: number, locale: Locale): Trend {
	const delta = current - previous;
	const n = num(locale, Math.abs(delta));
	const prev = num(locale, previous);
	if (delta > 0) return { direction: 'up', symbol: translate(locale, 'ioc.trendUp', { n }), words: translate(locale, 'ioc.trendUpWords', { n, prev }) };
	if (delta < 0) return { direction: 'down', symbol: translate(locale, 'ioc.trendDown', { n }), words: translate(locale, 'ioc.trendDownWords', { n, prev }) };
	return { direction: 'same', symbol: translate(locale, 'ioc.trendSame'), words: translate(locale, 'ioc.trendSameWords', { prev }) };
}

/** A count in the reader's digits ("1.756" in Vietnamese, "1,756" in English). */
export const formatCount = (n: number, locale: Locale) => num(locale, n);

/** "14:05:09" of an instant in the province's zone (the "updated at" line). */
export function formatClock(iso: string, timeZone: string | undefined, locale: Locale): string {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return '';
	const opts: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
	try {
		return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { ...opts, timeZone }).format(d);
	} catch {
		return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', opts).format(d);
	}
}

/** "14:05:09 05/12/2026": an instant's time and day in the province's zone (saved and printed figures). */
export function formatStamp(iso: string, timeZone: string | undefined, locale: Locale): string {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return '';
	const opts: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };
	let day: string;
	try {
		day = new Intl.DateTimeFormat('en-CA', { ...opts, timeZone }).format(d);
	} catch {
		day = new Intl.DateTimeFormat('en-CA', opts).format(d);
	}
	return `${formatClock(iso, timeZone, locale)} ${formatDay(day)}`;
}

/** "05/12/2026" from "2026-12-05": the dates of a period as people write them. */
export function formatDay(day: string): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
	return m ? `${m[3]}/${m[2]}/${m[1]}` : day;
}

// ---- One-stop offices and dossiers ----

/** Minutes (queue waits: "trung vị 12 phút · 90 % trong 41 phút") or days (dossiers) for a percentile pair; "—" when nothing was counted. */
export function formatPercentilesIn(unit: 'minutes' | 'days', d: Durations, locale: Locale): string {
	if (!d.n || d.p50Ms === null) return translate(locale, 'ioc.none');
	const per = unit === 'minutes' ? MINUTE : DAY;
	const of = (ms: number | null) => (ms === null ? translate(locale, 'ioc.none') : num(locale, ms / per, unit === 'minutes' ? 0 : 1));
	return translate(locale, unit === 'minutes' ? 'ioc-office.office.minutes' : 'ioc-office.dossiers.days', { p50: of(d.p50Ms), p90: of(d.p90Ms) });
}

/** The satisfaction rate of a queue's ratings: (very satisfied + satisfied) / rated, with the sample. */
export function formatOfficeSatisfaction(f: { verySatisfied: number; satisfied: number; rated: number }, locale: Locale): string {
	return translate(locale, 'ioc-office.office.rateOf', { rate: formatRate(f.verySatisfied + f.satisfied, f.rated, locale), n: num(locale, f.rated) });
}

type Named = { id: string; nameVi: string; nameEn: string };
const nameIn = (x: Named, locale: Locale) => (locale === 'en' ? x.nameEn : x.nameVi);

/** An office's name from the province's config; its id when the config does not list it. */
export function officeLabel(id: string, offices: readonly Named[], locale: Locale): string {
	const o = offices.find((x) => x.id === id);
	return o ? nameIn(o, locale) : id;
}

/** "<office> — quầy 2" from the key `<office id>/<counter id>` (the counter's number from the config). */
export function counterLabel(key: string, offices: readonly (Named & { counters: readonly { id: string; number: number }[] })[], locale: Locale): string {
	const cut = key.indexOf('/');
	const officeId = cut < 0 ? key : key.slice(0, cut);
	const counterId = cut < 0 ? '' : key.slice(cut + 1);
	const office = offices.find((o) => o.id === officeId);
	const n = office?.counters.find((c) => c.id === counterId)?.number;
	return translate(locale, 'ioc-office.office.counter', { office: office ? nameIn(office, locale) : officeId, n: n ?? counterId });
}

/** An official from the account key `staff:<username>`: the display name when the server sent one, else the username. */
export function officialLabel(key: string, name?: string): string {
	return name || (key.startsWith('staff:') ? key.slice('staff:'.length) : key);
}
