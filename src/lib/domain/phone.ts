/**
 * Vietnamese phone numbers without zod (light pages check them as typed): `0xxxxxxxxx` or
 * `+84xxxxxxxxx`, spaces, dots and dashes dropped. `Phone` (common.ts) is the zod schema of the same rule.
 */
export const PHONE_SHAPE = /^(0|\+84)\d{9,10}$/;

export const stripPhone = (raw: string): string => raw.replace(/[\s.-]/g, '');

/**
 * One spelling per number, so "0912 345 678", "0912.345.678" and "+84912345678" are the same person:
 * +84 becomes 0. Null when it is not a Vietnamese number. The device sends this form; the server
 * matches verified phones by it.
 */
export function canonicalPhone(raw: string | undefined | null): string | null {
	if (!raw) return null;
	const phone = stripPhone(raw);
	if (!PHONE_SHAPE.test(phone)) return null;
	return phone.startsWith('+84') ? `0${phone.slice(3)}` : phone;
}
