/**
 * The one canonical form of a staff username. The account lookup and every limiter that protects
 * an account key on it, so no spelling the lookup reads as `admin` (padding, case, full-width
 * letters, composed or decomposed accents, invisible characters) gets a counter of its own.
 */

// White space anywhere (usernames never contain any) and the default-ignorable format characters
// (zero-width space and joiners, word joiner, soft hyphen, byte-order mark, bidi marks…).
const INVISIBLE = /[\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

export function canonicalUsername(raw: string): string {
	// NFKC folds full-width and compatibility letters and composes accents; lower case after it,
	// since folding can produce capitals; NFKC again as lower-casing can decompose (e.g. İ).
	return raw.normalize('NFKC').replace(INVISIBLE, '').toLowerCase().normalize('NFKC');
}
