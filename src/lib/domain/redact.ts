/**
 * Free text that goes public (a report's description, a step's public text) is written by people
 * who may type a phone number into it: "gọi anh An (0912) 345 678". The contact document keeps the
 * reporter's number private by structure; this keeps it from leaking through the words. The same
 * function runs on the server (domain/public.ts) and in the handler's form, which shows beforehand
 * exactly what the public will read.
 *
 * A number is found in a copy of the text where what hides digits is undone: full-width digits and
 * signs become ASCII (NFKC), every space (no-break, thin, ideographic, double) one space, every dash
 * a hyphen (an underscore too), digits of other scripts (Arabic-Indic…) their ASCII value, and
 * invisible format characters (zero-width space, joiners, soft hyphen) are dropped.
 * There, digit groups are read with what joins them, and the longest run of groups that spells a
 * Vietnamese number is masked in the original text:
 *   - a trunk 0, or 84 / +84 / 0084 / (+84), optionally followed by "(0)";
 *   - then a mobile number (3, 5, 7, 8 or 9 and 8 digits), a landline (2, area code and subscriber:
 *     10 digits), or with a trunk 0 a pre-2018 11-digit mobile (01x…);
 *   - any other + number of 8 to 15 digits is someone's phone abroad, masked too;
 *   - groups joined by one same separator (space, dot, dash, slash or comma); only the joint after
 *     the first group (an area code, "(0263) 3.822.123") or after a country code may differ. This
 *     is what keeps dates apart: "01/09/2025-05/09/2025" holds the digits of a mobile number, but
 *     joined by "/" and "-".
 * Not masked on purpose: 1800/1900 numbers are hotlines that organisations lease (free and paid
 * service numbers), never a person's own line — a handler writes an office's hotline for residents
 * to call; short codes (113, 1022) likewise. Dates, amounts (1.500.000), house numbers, tracking
 * codes and tax codes (0101…: a 0 then 1 and 8 digits is no phone) start no number above.
 */

export const REDACTED_PHONE = '[số điện thoại đã ẩn]';

/** The copy of the text numbers are found in, each of its characters with its span in the original. */
interface Folded {
	text: string;
	from: number[];
	to: number[];
}

const FORMAT_CHAR = /\p{Cf}/u;
const DASH = /[\u2010-\u2015\u2212\ufe58\ufe63]/;

const DECIMAL_DIGIT = /\p{Nd}/u;

/**
 * The value of a decimal digit of another script (Arabic-Indic ٠١٢, Devanagari ०१२…), which NFKC
 * leaves alone: Unicode lays each script's digits out as one run of ten, zero first.
 */
function digitValue(ch: string): string {
	const cp = ch.codePointAt(0)!;
	let zero = cp;
	while (zero > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
	return String((cp - zero) % 10);
}

function foldChar(ch: string): string | null {
	if (ch < '\u0080') return /[0-9+().,/-]/.test(ch) ? ch : ch === '_' ? '-' : /\s/.test(ch) ? ' ' : 'a';
	if (FORMAT_CHAR.test(ch)) return null;
	if (/\s/u.test(ch)) return ' ';
	if (DASH.test(ch)) return '-';
	if (ch === '·' || ch === '\u30fb') return '.';
	const k = ch.normalize('NFKC');
	if (k.length === 1 && /[0-9+().,/-]/.test(k)) return k;
	if (DECIMAL_DIGIT.test(ch)) return digitValue(ch);
	// Anything else only has to stop a number: one placeholder keeps positions one-to-one.
	return 'a';
}

function fold(text: string): Folded {
	const out: Folded = { text: '', from: [], to: [] };
	let at = 0;
	for (const ch of text) {
		const end = at + ch.length;
		const f = foldChar(ch);
		const last = out.text.length - 1;
		if (f === null || (f === ' ' && out.text[last] === ' ')) {
			// Dropped, or a space after a space: belongs to the character before it (if any).
			if (last >= 0) out.to[last] = end;
		} else {
			out.text += f;
			out.from.push(at);
			out.to.push(end);
		}
		at = end;
	}
	return out;
}

/** What may join two digit groups: a closing parenthesis, one separator, an opening one, spaces. */
const JOINT = /\)? ?(?:[.,/-] ?)?\(? ?/y;
const LEAD = /\( ?(?:\+ ?)?|\+ ?/y;
const DIGITS = /\d+/y;
/** The match of a sticky pattern at `at` ('' when none): no copy of the rest of the text. */
function matchAt(re: RegExp, t: string, at: number): string {
	re.lastIndex = at;
	return re.exec(t)?.[0] ?? '';
}
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

const CORE = /^(?:[35789]\d{8}|2\d{9})$/;
const OLD_MOBILE = /^1\d{9}$/;
const COUNTRY = new Set(['84', '0084']);

function spellsNumber(digits: string, plus: boolean): boolean {
	if (digits.length > 15) return false;
	const intl = plus ? (digits.startsWith('84') ? digits.slice(2) : null) : digits.startsWith('0084') ? digits.slice(4) : digits.startsWith('84') ? digits.slice(2) : null;
	if (intl !== null) return CORE.test(intl.startsWith('0') ? intl.slice(1) : intl);
	if (plus) return digits.length >= 8;
	if (!digits.startsWith('0')) return false;
	const national = digits.slice(1);
	return CORE.test(national) || OLD_MOBILE.test(national);
}

/** Groups 0..last joined as a number is written: one separator, free only next to a prefix. */
function jointsFit(groups: string[], joints: string[], last: number): boolean {
	const free = (j: number) => j === 0 || (j === 1 && COUNTRY.has(groups[0]));
	let same: string | null = null;
	for (let j = 0; j < last; j++) {
		if (free(j)) continue;
		if (/[()]/.test(joints[j])) return false;
		if (same !== null && joints[j] !== same) return false;
		same = joints[j];
	}
	return true;
}

/** The end (in the folded text) of the number that starts at `start`, or -1. */
function numberAt(t: string, start: number): number {
	const lead = matchAt(LEAD, t, start);
	let p = start + lead.length;
	// Every number starts with a trunk 0, 84 or a +: most digits in a text stop here.
	if (!isDigit(t[p]) || !(lead.includes('+') || t[p] === '0' || t[p] === '8')) return -1;
	const groups: string[] = [];
	const joints: string[] = [];
	const ends: number[] = [];
	// Up to 15 groups (a number has at most 15 digits): "0 9 1 2 3 4 5 6 7 8" is ten groups of one.
	while (groups.length < 15) {
		const g = matchAt(DIGITS, t, p);
		groups.push(g);
		p += g.length;
		ends.push(p);
		const joint = matchAt(JOINT, t, p);
		if (!joint || !isDigit(t[p + joint.length])) break;
		joints.push(joint);
		p += joint.length;
	}
	for (let last = groups.length - 1; last >= 0; last--) {
		if (!spellsNumber(groups.slice(0, last + 1).join(''), lead.includes('+')) || !jointsFit(groups, joints, last)) continue;
		const used = lead + joints.slice(0, last).join('');
		// "(0912345678)" keeps its parentheses around the mask; "(0912) 345 678" goes whole.
		const opened = lead.includes('(') && !used.includes(')');
		return opened ? -1 : ends[last];
	}
	return -1;
}

/** Any digit, ASCII or not (full-width ones included): text without one has no number to hide. */
const ANY_DIGIT = /\p{Nd}/u;

export function redactPhones(text: string): string {
	if (!ANY_DIGIT.test(text)) return text;
	const f = fold(text);
	const t = f.text;
	const spans: [number, number][] = [];
	for (let i = 0; i < t.length; i++) {
		if (isDigit(t[i - 1]) || !(isDigit(t[i]) || t[i] === '(' || t[i] === '+')) continue;
		const end = numberAt(t, i);
		if (end < 0) continue;
		spans.push([f.from[i], f.to[end - 1]]);
		i = end - 1;
	}
	let out = text;
	for (const [from, to] of spans.reverse()) out = out.slice(0, from) + REDACTED_PHONE + out.slice(to);
	return out;
}
