import { describe, expect, it } from 'vitest';
import { CODE_TTL_MS, checkCode, generateCode, hashCode, otpHashKey, sameHash, windowCheck, type CodeState } from './otp-code';
import { canonicalPhone } from '$lib/domain/common';
import { maskPhone } from './phone';

const key = otpHashKey('a-token-secret-of-at-least-32-bytes!!');
const T0 = new Date('2025-08-01T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function issued(code: string, extra: Partial<CodeState> = {}): CodeState {
	return {
		codeHash: hashCode(key, 'lam-dong', '0912345678', code),
		issuedAt: T0.toISOString(),
		expiresAt: at(CODE_TTL_MS).toISOString(),
		attempts: 0,
		...extra
	};
}
const guess = (code: string) => hashCode(key, 'lam-dong', '0912345678', code);

describe('codes', () => {
	it('are 6 digits, leading zeros kept, and not repeating', () => {
		const codes = Array.from({ length: 2000 }, generateCode);
		for (const c of codes) expect(c).toMatch(/^\d{6}$/);
		// 2000 draws from 10^6: a handful of repeats at most, never a constant.
		expect(new Set(codes).size).toBeGreaterThan(1990);
	});

	it('hash to a value bound to the key, the tenant and the phone', () => {
		const h = hashCode(key, 'lam-dong', '0912345678', '123456');
		expect(h).toMatch(/^[0-9a-f]{64}$/);
		expect(h).not.toContain('123456');
		expect(sameHash(h, hashCode(key, 'lam-dong', '0912345678', '123456'))).toBe(true);
		expect(sameHash(h, hashCode(key, 'lam-dong', '0912345679', '123456'))).toBe(false);
		expect(sameHash(h, hashCode(key, 'other-tenant', '0912345678', '123456'))).toBe(false);
		expect(sameHash(h, hashCode(otpHashKey('another-secret-of-at-least-32-bytes!'), 'lam-dong', '0912345678', '123456'))).toBe(false);
		expect(sameHash(h, '')).toBe(false);
	});
});

describe('checking a code', () => {
	it('accepts the right code once, and marks it used', () => {
		const c = checkCode(issued('123456'), guess('123456'), at(60_000));
		expect(c.ok).toBe(true);
		const used = c.ok ? c.next : null;
		expect(used?.usedAt).toBe(at(60_000).toISOString());
		expect(checkCode(used, guess('123456'), at(61_000))).toEqual({ ok: false, code: 'otp_used' });
	});

	it('counts wrong guesses and locks the code at the fifth; then even the right code is refused', () => {
		let state = issued('123456');
		for (let i = 1; i <= 5; i++) {
			const c = checkCode(state, guess('000000'), at(i * 1000));
			expect(c).toMatchObject({ ok: false, code: 'otp_invalid', attemptsLeft: 5 - i });
			state = (c as { next: CodeState }).next;
			expect(state.attempts).toBe(i);
		}
		expect(state.lockedAt).toBe(at(5000).toISOString());
		expect(checkCode(state, guess('000000'), at(6000))).toEqual({ ok: false, code: 'otp_locked' });
		expect(checkCode(state, guess('123456'), at(7000))).toEqual({ ok: false, code: 'otp_locked' });
	});

	it('refuses an expired code without counting a guess', () => {
		expect(checkCode(issued('123456'), guess('123456'), at(CODE_TTL_MS))).toEqual({ ok: false, code: 'otp_expired' });
		expect(checkCode(issued('123456'), guess('123456'), at(CODE_TTL_MS - 1)).ok).toBe(true);
	});

	it('refuses when no code was sent, or the guess is not a code, without counting', () => {
		expect(checkCode(null, guess('123456'), T0)).toEqual({ ok: false, code: 'otp_invalid' });
		const c = checkCode(issued('123456'), null, T0);
		expect(c).toMatchObject({ ok: false, code: 'otp_invalid', attemptsLeft: 4 });
	});
});

describe('sliding windows', () => {
	const rule = { max: 3, windowMs: 15 * 60_000 };

	it('allows 3 in 15 minutes, then refuses until the oldest leaves the window', () => {
		let sends: string[] = [];
		for (const m of [0, 1, 2]) {
			const w = windowCheck(sends, at(m * 60_000), rule);
			expect(w.ok).toBe(true);
			sends = w.recent;
		}
		const refused = windowCheck(sends, at(3 * 60_000), rule);
		expect(refused).toMatchObject({ ok: false, retryAfterMs: 12 * 60_000 });
		expect(windowCheck(sends, at(15 * 60_000 - 1), rule).ok).toBe(false);
		const later = windowCheck(sends, at(15 * 60_000), rule);
		expect(later.ok).toBe(true);
		// Old sends are dropped, so the stored list never grows past the window.
		expect(later.recent).toHaveLength(3);
	});

	it('refuses everything before a lock ends', () => {
		const w = windowCheck([], at(0), rule, at(10 * 60_000).getTime());
		expect(w).toMatchObject({ ok: false, retryAfterMs: 10 * 60_000 });
		expect(windowCheck([], at(10 * 60_000), rule, at(10 * 60_000).getTime()).ok).toBe(true);
	});
});

describe('phones', () => {
	it('spell one number one way', () => {
		for (const p of ['0912345678', '0912 345 678', '0912.345.678', '+84912345678', '+84 912-345-678'])
			expect(canonicalPhone(p)).toBe('0912345678');
		expect(canonicalPhone('02633822123')).toBe('02633822123');
		for (const p of ['', '12345', '+1 202 555 0100', 'abc', undefined]) expect(canonicalPhone(p)).toBeNull();
	});

	it('are masked in logs', () => {
		expect(maskPhone('0912345678')).toBe('09xxxxx678');
		expect(maskPhone('+84912345678')).toBe('09xxxxx678');
		expect(maskPhone('02633822123')).toBe('02xxxxxx123');
	});
});
