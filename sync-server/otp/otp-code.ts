import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * The pure rules of one-time codes: making one, hashing it, checking a guess, and the sliding
 * windows that limit how often codes are sent. No storage here, so every rule is unit-tested.
 */

const CODE_LENGTH = 6;
/** A code works for 5 minutes. */
export const CODE_TTL_MS = 5 * 60_000;
/** Wrong guesses of one code before it is locked. */
export const MAX_ATTEMPTS = 5;

/** A 6-digit code from the OS's CSPRNG (randomInt is uniform: no modulo bias). */
export function generateCode(): string {
	return String(randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, '0');
}

/**
 * The key codes are hashed with: derived from the token secret, so it exists wherever the server
 * runs (every instance of a cluster shares TOKEN_SECRET) and is never the signing key itself.
 */
export function otpHashKey(tokenSecret: string): Buffer {
	return createHmac('sha256', tokenSecret).update('cau-noi/otp-code/v1').digest();
}

/**
 * HMAC-SHA256 of the code, bound to the tenant and the phone. Why not argon2 (used for staff
 * passwords): a 6-digit code has only 10⁶ values, so a slow hash would not save it from someone who
 * stole the database — a million argon2 runs take hours, not years. What protects it is the key
 * (without TOKEN_SECRET a stolen hash cannot be tested at all), the 5-minute life and the 5-guess
 * lock. Argon2 would instead cost ~50 ms and tens of MB per guess: a lever to knock over a 2-core
 * server with wrong codes.
 */
export function hashCode(key: Buffer, tenantId: string, phone: string, code: string): string {
	return createHmac('sha256', key).update(`${tenantId}|${phone}|${code}`).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
	const x = Buffer.from(a, 'hex');
	const y = Buffer.from(b, 'hex');
	return x.length === y.length && x.length > 0 && timingSafeEqual(new Uint8Array(x), new Uint8Array(y));
}

/** The state of the last code sent to a phone. Times are ISO strings (stored as they are). */
export interface CodeState {
	codeHash: string;
	issuedAt: string;
	expiresAt: string;
	/** Wrong guesses so far. */
	attempts: number;
	usedAt?: string;
	lockedAt?: string;
}

export type OtpRefusal = 'otp_invalid' | 'otp_expired' | 'otp_used' | 'otp_locked';

export type CodeCheck =
	| { ok: true; next: CodeState }
	/** `next` is the state to store (a counted wrong guess, a lock); absent when nothing changes. */
	| { ok: false; code: OtpRefusal; next?: CodeState; attemptsLeft?: number };

/** Whether a guess is the phone's current code; decides everything before anything is written. */
export function checkCode(
	state: CodeState | null | undefined,
	guessHash: string | null,
	now: Date,
	maxAttempts = MAX_ATTEMPTS
): CodeCheck {
	// No code was sent (or it was never a well-formed code): nothing to guess, nothing to count.
	if (!state) return { ok: false, code: 'otp_invalid' };
	if (state.usedAt) return { ok: false, code: 'otp_used' };
	if (state.lockedAt) return { ok: false, code: 'otp_locked' };
	if (now.getTime() >= Date.parse(state.expiresAt)) return { ok: false, code: 'otp_expired' };
	if (guessHash && sameHash(guessHash, state.codeHash)) return { ok: true, next: { ...state, usedAt: now.toISOString() } };
	const attempts = state.attempts + 1;
	const next: CodeState = { ...state, attempts, ...(attempts >= maxAttempts ? { lockedAt: now.toISOString() } : {}) };
	return { ok: false, code: 'otp_invalid', next, attemptsLeft: Math.max(0, maxAttempts - attempts) };
}

export interface WindowRule {
	max: number;
	windowMs: number;
}

export type WindowCheck = { ok: true; recent: string[] } | { ok: false; retryAfterMs: number; recent: string[] };

/**
 * A sliding window: at most `max` events in any `windowMs`. `sends` are the ISO times of earlier
 * events; `recent` is what to keep (the ones still inside the window, plus now when allowed).
 * `blockedUntil` (a lock) refuses everything before it.
 */
export function windowCheck(sends: readonly string[], now: Date, rule: WindowRule, blockedUntil?: number): WindowCheck {
	const t = now.getTime();
	const recent = sends.filter((s) => t - Date.parse(s) < rule.windowMs).sort();
	if (blockedUntil !== undefined && t < blockedUntil) return { ok: false, retryAfterMs: blockedUntil - t, recent };
	if (recent.length >= rule.max) {
		const oldest = Date.parse(recent[recent.length - rule.max]);
		return { ok: false, retryAfterMs: Math.max(1, oldest + rule.windowMs - t), recent };
	}
	return { ok: true, recent: [...recent, now.toISOString()] };
}
