import { translate, type Locale } from '$lib/i18n/messages';
import '$lib/i18n/areas/niceties';

/**
 * A report's photo upload in words a resident on a slow link reads at a glance: the megabytes sent
 * of all its photos and the time left at the rate measured so far ("1,2/2,9 MB · còn ~20 giây").
 * Decimal megabytes (what phones show for a photo's size), the language's decimal mark.
 */
export interface UploadBytes {
	sent: number;
	total: number;
	/** Bytes per second since this round of sending started; absent until there is a first measure. */
	perSecond?: number;
}

const MB = 1_000_000;

function megabytes(bytes: number, locale: Locale, digits: number): string {
	if (bytes <= 0) return '0';
	return (bytes / MB).toLocaleString(locale === 'en' ? 'en-US' : 'vi-VN', { maximumSignificantDigits: digits });
}

/** A size in decimal megabytes, in the reader's language ("1,2 MB"): what a download will cost. */
export function sizeText(bytes: number, locale: Locale): string {
	return `${megabytes(bytes, locale, 2)} MB`;
}

/** Bytes moved of a total (a photo upload, a commune's download), with the time left at the rate so far. */
export function uploadProgressText(bytes: UploadBytes, locale: Locale): string {
	const total = megabytes(bytes.total, locale, 2);
	let sent = megabytes(bytes.sent, locale, 2);
	// Almost done must not read as done ("2,9/2,9 MB"): one more digit.
	if (sent === total && bytes.sent < bytes.total) sent = megabytes(bytes.sent, locale, 3);
	const parts = [translate(locale, 'niceties.uploadBytes', { sent, total })];
	const left = bytes.perSecond && bytes.perSecond > 0 ? Math.max(1, Math.ceil((bytes.total - bytes.sent) / bytes.perSecond)) : null;
	if (left !== null && bytes.sent < bytes.total) {
		if (left < 90) parts.push(translate(locale, 'niceties.leftSeconds', { n: left < 10 ? left : Math.round(left / 5) * 5 }));
		else parts.push(translate(locale, 'niceties.leftMinutes', { n: Math.round(left / 60) }));
	}
	return parts.join(' · ');
}
