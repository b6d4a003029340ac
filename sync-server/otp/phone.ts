import { Phone } from '../../src/lib/domain/common';

/**
 * One spelling per number, so "0912 345 678", "0912.345.678" and "+84912345678" are the same person:
 * the contract's `Phone` drops spaces, dots and dashes and accepts 0… or +84…; here +84 becomes 0.
 * Null when it is not a Vietnamese number.
 */
export function canonicalPhone(raw: string | undefined | null): string | null {
	if (!raw) return null;
	const parsed = Phone.safeParse(raw);
	if (!parsed.success) return null;
	return parsed.data.startsWith('+84') ? `0${parsed.data.slice(3)}` : parsed.data;
}

/** For logs: 0912345678 → 09xxxxx678. Enough to tell two numbers apart, not enough to call anyone. */
export function maskPhone(phone: string): string {
	const p = canonicalPhone(phone) ?? phone;
	if (p.length < 6) return 'x'.repeat(p.length);
	return `${p.slice(0, 2)}${'x'.repeat(p.length - 5)}${p.slice(-3)}`;
}
