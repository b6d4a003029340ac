/**
 * Tracking codes as people carry them: printed, read aloud on the phone, written on paper, typed
 * again on a phone with a Vietnamese keyboard. The server issues `PREFIX-YYMMDD-XXXXX`
 * (sync-server/reports/tracking-code.ts): the tenant's 2-4 letter prefix, the date of receipt in
 * Vietnam, and five characters of Crockford base32. One function turns whatever was typed into
 * that canonical form; the app's look-up field, the look-up endpoint and its rate limiter all use it,
 * so no spelling of a code is a different code (nor a fresh counter for someone enumerating codes).
 *
 * Plain code, no imports: the home page loads it.
 */

/** Crockford base32: no I, L, O, U, so a code read aloud over the phone is not misheard. */
export const TRACKING_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DATE_LEN = 6;
const SUFFIX_LEN = 5;
/** Longer input is not a code however it is spaced: refused before any work on it. */
export const TRACKING_INPUT_MAX = 64;

/**
 * Separators people put in or a keyboard adds: white space, dashes of every width, dots, slashes,
 * underscores, and invisible format characters (zero-width spaces, bidi marks) pasted from chats.
 */
const SEPARATORS = /[\p{White_Space}\p{Pd}\p{Cf}._/\\·]/gu;

/** Letters that Crockford base32 reads as digits (and U, left out of the alphabet, as V). */
const CROCKFORD: Record<string, string> = { O: '0', I: '1', L: '1', U: 'V' };
const DIGIT_LOOKALIKES: Record<string, string> = { O: '0', I: '1', L: '1' };

function daysValid(yymmdd: string): boolean {
	const mm = Number(yymmdd.slice(2, 4));
	const dd = Number(yymmdd.slice(4, 6));
	return mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31;
}

/**
 * The canonical form of a typed tracking code, or null when it cannot be one. Tolerates: any case,
 * spaces, dashes or none (a code spoken aloud loses them), full-width characters, letters a
 * Vietnamese keyboard decorated (Telex turns "dd" into "đ" and a lone "w" into "ư"; tone marks
 * are dropped), and the letters Crockford base32 reads as digits (O → 0, I/L → 1) in the date and
 * the suffix. With the tenant's `prefix`, a code given without it ("261205 6FGD8") gets it.
 */
export function normalizeTrackingCode(raw: unknown, prefix?: string): string | null {
	if (typeof raw !== 'string' || raw.length > TRACKING_INPUT_MAX) return null;
	const compact = raw
		.normalize('NFKC')
		.replace(/[đĐ]/g, 'D')
		.replace(/[ưƯ]/g, 'W')
		// Decompose, then drop the marks: "Á" (a tone typed by Telex or VNI) reads as "A".
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.replace(SEPARATORS, '')
		.toUpperCase();
	if (!/^[A-Z0-9]+$/.test(compact)) return null;
	const tail = DATE_LEN + SUFFIX_LEN;
	const head = compact.length === tail && prefix ? prefix.toUpperCase() : compact.slice(0, -tail);
	if (!/^[A-Z]{2,4}$/.test(head) || compact.length < tail) return null;
	const rest = compact.slice(-tail);
	const date = [...rest.slice(0, DATE_LEN)].map((c) => DIGIT_LOOKALIKES[c] ?? c).join('');
	const suffix = [...rest.slice(DATE_LEN)].map((c) => CROCKFORD[c] ?? c).join('');
	if (!/^\d{6}$/.test(date) || !daysValid(date)) return null;
	if (![...suffix].every((c) => TRACKING_ALPHABET.includes(c))) return null;
	return `${head}-${date}-${suffix}`;
}
