/**
 * Free text that goes public (a report's description, a handler's note) is written by people who
 * may type a phone number into it: "gọi anh An 0912 345 678". The contact document keeps the
 * reporter's number private by structure; this keeps it from leaking through the words. Vietnamese
 * numbers only (0 or +84/84, then 9–10 digits, spaces, dots or dashes between): a tracking code,
 * a date or a house number does not match.
 */
const PHONE = /(?<![\d+])(?:\+\s?84|84|0)(?:[\s.-]?\d){8,10}(?!\d)/g;

export const REDACTED_PHONE = '[số điện thoại đã ẩn]';

export function redactPhones(text: string): string {
	return text.replace(PHONE, (m) => {
		const digits = m.replace(/\D/g, '');
		// 0 + 9 digits (10 in all) or 84 + 9 digits: a mobile or landline number.
		const national = digits.startsWith('84') && !m.trimStart().startsWith('0') ? digits.slice(2) : digits.slice(1);
		return national.length === 9 || national.length === 10 ? REDACTED_PHONE : m;
	});
}
