import { LOCALES, translate, type Locale, type MessageKey, type MessageParams } from './messages';
import type { ErrorCode } from '$lib/domain/errors';
import { isErrorCode } from '$lib/domain/errors';
import { storageName } from '$lib/pwa/namespace';

const STORAGE_KEY = storageName('cau-noi.locale');

function initialLocale(): Locale {
	try {
		const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
		if (saved && (LOCALES as string[]).includes(saved)) return saved as Locale;
	} catch {
		// Storage can be blocked (private mode): Vietnamese is the default anyway.
	}
	return 'vi';
}

/**
 * The chosen language; reading it inside a template or $derived makes the text follow a switch.
 * `english`: the English core words have come (messages.en.ts, loaded only for English readers).
 */
export const i18n = $state<{ locale: Locale; english: boolean }>({ locale: initialLocale(), english: false });

function loadEnglish(): void {
	if (i18n.english) return;
	void import('./messages.en').then(
		() => (i18n.english = true),
		// Offline before the chunk was cached: the Vietnamese core stays, areas still speak English.
		() => undefined
	);
}
if (i18n.locale === 'en') loadEnglish();

export function setLocale(locale: Locale): void {
	i18n.locale = locale;
	if (locale === 'en') loadEnglish();
	try {
		globalThis.localStorage?.setItem(STORAGE_KEY, locale);
	} catch {
		// Not persisted; the choice still holds for this visit.
	}
	if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

/** `t('report.submit')`, `t('outbox.photos', { k: 2, n: 3 })` in the current language. */
export function t(key: MessageKey, params?: MessageParams): string {
	// Read so that the words follow when the English core arrives.
	void i18n.english;
	return translate(i18n.locale, key, params);
}

/** The words for an error code; anything unknown reads as a server problem (never a raw code). */
export function errorText(code: ErrorCode | string | undefined): string {
	void i18n.english;
	return translate(i18n.locale, `errors.${isErrorCode(code) ? code : 'server_error'}`);
}

/**
 * The province's time zone, for every date shown: its working calendar's (tenant.json `calendar`,
 * the one due times are counted on), Vietnam's until the tenant config is known.
 */
let displayTimeZone = 'Asia/Ho_Chi_Minh';

/** Called with the tenant config's zone when it loads; a zone this browser does not know is ignored. */
export function setDisplayTimeZone(timeZone: string | undefined): void {
	if (!timeZone || timeZone === displayTimeZone) return;
	try {
		new Intl.DateTimeFormat('en', { timeZone });
		displayTimeZone = timeZone;
	} catch {
		// An old browser without this zone's data: the default stays.
	}
}

/**
 * One formatter per language and zone: a list of a thousand reports formats a thousand dates, and
 * building a formatter (what `toLocaleString` does on each call) costs far more than using one.
 */
let timeFormat: { key: string; format: Intl.DateTimeFormat } | null = null;

/** Date and time in the reader's language, with the province's time zone. */
export function formatTime(iso: string | number | undefined): string {
	if (iso === undefined) return '';
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return '';
	const locale = i18n.locale === 'vi' ? 'vi-VN' : 'en-GB';
	const key = `${locale}|${displayTimeZone}`;
	if (timeFormat?.key !== key) {
		const format = new Intl.DateTimeFormat(locale, { timeZone: displayTimeZone, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric' });
		timeFormat = { key, format };
	}
	return timeFormat.format.format(d);
}
