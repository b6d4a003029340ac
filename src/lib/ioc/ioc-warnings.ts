import type { IocWarning, IocWarningType } from '../domain/ioc';
import { iocWarnings } from '../i18n/areas/ioc-warnings';

/**
 * A warning in words, on /ioc and in the service worker's notification. Pure (the locale and the
 * names are arguments) and free of Svelte and dynamic imports: the service worker bundles it.
 */

type Locale = 'vi' | 'en';

/**
 * The contract's IOC_WARNING_TYPES, written out: importing the value would bring zod (domain/ioc.ts)
 * into the service worker's bundle. The record's type fails to compile if the contract gains a type.
 */
const TYPES: Record<IocWarningType, true> = { report_overdue: true, unit_unseen: true, spike: true, queue_wait: true };

const fill = (text: string, params: Record<string, string | number | undefined>) => text.replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? ''));

const numberFormats = new Map<string, Intl.NumberFormat>();
/** "3,5" / "3.5": one decimal at most, in the reader's digits. */
function num(locale: Locale, n: number): string {
	let f = numberFormats.get(locale);
	if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 })));
	return f.format(n);
}

/** What the page knows the names of: the warning's commune, category, unit and office. */
export interface WarningNames {
	ward: (code: string) => string;
	category: (code: string) => string;
	unit: (id: string) => string;
	office: (id: string) => string;
}

/** One sentence saying what the warning is about, with its numbers. */
export function warningText(w: IocWarning, locale: Locale, names: WarningNames): string {
	const words = iocWarnings[locale].text;
	switch (w.type) {
		case 'report_overdue':
			return fill(words.report_overdue, { code: w.trackingCode ?? w.reportId?.slice(0, 8) ?? '', hours: num(locale, w.value) });
		case 'unit_unseen':
			return fill(words.unit_unseen, {
				unit: w.unitIds.map(names.unit).join(', '),
				count: num(locale, w.value),
				hours: num(locale, w.baseline ?? 0)
			});
		case 'spike':
			return fill(words.spike, {
				category: w.categoryCode ? names.category(w.categoryCode) : '',
				ward: w.wardCode ? names.ward(w.wardCode) : '',
				count: num(locale, w.value),
				average: num(locale, w.baseline ?? 0)
			});
		case 'queue_wait':
			return fill(words.queue_wait, { office: w.officeId ? names.office(w.officeId) : '', minutes: num(locale, Math.round(w.value)) });
	}
}

/** What the server pushes for a warning (sync-server/ioc/warning-notices.ts). */
export interface IocWarningPush {
	kind: 'ioc-warning';
	id: string;
	type: IocWarningType;
	value: number;
	trackingCode?: string;
	at: string;
}

/** The payload when it is a warning's, else null (a report's, a ticket's, or unreadable). */
export function parseWarningPush(raw: unknown): IocWarningPush | null {
	const p = raw as Partial<IocWarningPush> | null | undefined;
	if (!p || typeof p !== 'object' || p.kind !== 'ioc-warning' || typeof p.id !== 'string' || !p.id) return null;
	if (!Object.hasOwn(TYPES, p.type ?? '') || typeof p.value !== 'number' || !Number.isFinite(p.value)) return null;
	return {
		kind: 'ioc-warning',
		id: p.id,
		type: p.type as IocWarningType,
		value: p.value,
		...(typeof p.trackingCode === 'string' && p.trackingCode ? { trackingCode: p.trackingCode } : {}),
		at: typeof p.at === 'string' ? p.at : ''
	};
}

/** The notification's title and body: what and how much; no names (the push carries none). */
export function warningPushText(p: IocWarningPush, locale: Locale): { title: string; body: string } {
	const words = iocWarnings[locale].push;
	const value = num(locale, p.type === 'queue_wait' ? Math.round(p.value) : p.value);
	const body =
		p.type === 'report_overdue'
			? fill(p.trackingCode ? words.report_overdue : words.report_overdue_nocode, { code: p.trackingCode, value })
			: fill(words[p.type] ?? words.other, { value });
	return { title: words.title, body };
}
