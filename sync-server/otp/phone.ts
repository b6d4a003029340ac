import { canonicalPhone } from '$lib/domain/common';

/** For logs: 0912345678 → 09xxxxx678. Enough to tell two numbers apart, not enough to call anyone. */
export function maskPhone(phone: string): string {
	const p = canonicalPhone(phone) ?? phone;
	if (p.length < 6) return 'x'.repeat(p.length);
	return `${p.slice(0, 2)}${'x'.repeat(p.length - 5)}${p.slice(-3)}`;
}
