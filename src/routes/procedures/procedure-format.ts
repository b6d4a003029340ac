import type { OnlineLevel } from '$lib/domain/procedure';
import { i18n, t } from '$lib/i18n/locale.svelte';
import '$lib/i18n/areas/procedures';

/** How the procedure pages say a fee, a processing time and an online level. */

export function feeText(vnd: number): string {
	return vnd === 0 ? t('procedures.free') : t('procedures.fee', { amount: vnd.toLocaleString(i18n.locale === 'en' ? 'en-US' : 'vi-VN') });
}

export function daysText(days: number): string {
	return days === 0 ? t('procedures.sameDay') : t('procedures.days', { n: days });
}

export function onlineText(level: OnlineLevel): string {
	return t(level === 'full' ? 'procedures.onlineFull' : level === 'partial' ? 'procedures.onlinePartial' : 'procedures.onlineNone');
}

/** The procedure's page (its code in the query: the page is the app shell's, read on the device). */
export const procedureHref = (base: string, code: string) => `${base}?code=${encodeURIComponent(code)}`;
