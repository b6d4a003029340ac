/**
 * The kiosk's staff PIN, kept on the device only as a PBKDF2-SHA256 hash with a random salt
 * (WebCrypto): a visitor who opens the browser's storage learns no PIN from it. 6 digits are a
 * million tries at most, so the hash alone is no wall: the lock after 5 wrong tries (exit-guard.ts) is.
 */

export interface PinHash {
	/** base64 */
	salt: string;
	/** base64 */
	hash: string;
	iterations: number;
}

export const PIN_MIN_DIGITS = 6;
export const PIN_MAX_DIGITS = 12;
/** Slow enough to make each guess cost, fast enough on a cheap kiosk's CPU (a fraction of a second). */
const ITERATIONS = 150_000;

/** A PIN the official may choose: digits only, 6 to 12 of them. */
export function validPin(pin: string): boolean {
	return new RegExp(`^\\d{${PIN_MIN_DIGITS},${PIN_MAX_DIGITS}}$`).test(pin);
}

const toB64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

async function derive(pin: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
	const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
	const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, key, 256);
	return new Uint8Array(bits);
}

export async function hashPin(pin: string, iterations = ITERATIONS): Promise<PinHash> {
	const salt = crypto.getRandomValues(new Uint8Array(16));
	return { salt: toB64(salt), hash: toB64(await derive(pin, salt, iterations)), iterations };
}

export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
	let expected: Uint8Array;
	try {
		expected = fromB64(stored.hash);
		const got = await derive(pin, fromB64(stored.salt), stored.iterations);
		if (got.length !== expected.length) return false;
		// Every byte compared, whatever the first difference: the time says nothing of the PIN.
		let diff = 0;
		for (let i = 0; i < got.length; i++) diff |= got[i] ^ expected[i];
		return diff === 0;
	} catch {
		return false; // a damaged record opens nothing
	}
}
