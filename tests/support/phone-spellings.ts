/**
 * Every common spelling of one Vietnamese mobile number, as people type it into a note (and as a
 * keyboard, a chat app or a web page rewrites it): separators, country codes, parentheses,
 * full-width digits, no-break and thin spaces, invisible zero-width characters. Used by the masking
 * unit test and by the personal-data sweep against the real server.
 *
 * `national` is the 9 digits after the trunk 0 / +84, e.g. '912345678'.
 */
const FULL_WIDTH_ZERO = 0xff10;
const fullWidth = (digits: string) => digits.replace(/\d/g, (d) => String.fromCharCode(FULL_WIDTH_ZERO + Number(d)));

export function phoneSpellings(national: string): string[] {
	if (!/^\d{9}$/.test(national)) throw new Error(`a 9-digit national number, not ${national}`);
	const [a, b, c] = [national.slice(0, 3), national.slice(3, 6), national.slice(6)];
	const n = `0${national}`;
	return [
		n,
		`0${a} ${b} ${c}`,
		`0${a}.${b}.${c}`,
		`0${a}-${b}-${c}`,
		`${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, // 091 234 5678
		`(0${a}) ${b} ${c}`,
		`(+84) ${a} ${b} ${c}`,
		`+84 ${a} ${b} ${c}`,
		`+84${national}`,
		`84${national}`,
		`0084 ${a} ${b} ${c}`,
		`0${a}/${b}/${c}`,
		`0${a},${b},${c}`,
		`0${a}  ${b}  ${c}`,
		fullWidth(n),
		`${fullWidth(n.slice(0, 2))}${n.slice(2, 4)} ${fullWidth(b[0])}${b.slice(1)} ${c}`,
		`0${a}\u00a0${b}${c}`,
		`0${a}\u2009${b}\u2009${c}`,
		[...n].join('\u200b'),
		// Digit by digit, as people write a number to slip it past a filter: ten groups of one.
		[...n].join(' '),
		[...n].join('.'),
		`+84 ${[...national].join(' ')}`,
		`0${a}\u2013${b}\u2013${c}`,
		`+84 (0) ${a} ${b} ${c}`,
		`0${a}.${b.slice(0, 2)}.${b[2]}${c[0]}.${c.slice(1)}`, // 0912.34.56.78
		`0${a}_${b}_${c}`,
		// Arabic-Indic and Devanagari digits: NFKC leaves them as they are.
		n.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d))),
		n.replace(/\d/g, (d) => String.fromCharCode(0x0966 + Number(d)))
	];
}

/** Landlines (area code 02xx), and a pre-2018 11-digit mobile. */
export const OTHER_PHONE_SPELLINGS = ['0263 3822 123', '(0263) 3.822.123', '0263 3.822.123', '028 3822 1234', '02633822123', '01683 456 789'];
