import { canonicalPhone } from '../domain/phone';
import { ApiFailure, apiFetch, resolveOrigin } from '../sync/api';
import { localDb, type SessionUser } from '../sync/local-db';
import { getDeviceIdentity, saveDeviceToken, withDeviceToken } from '../sync/session';
import { announcePersonLinked } from './person-link';

/**
 * The resident attaches a phone to this device with a one-time code sent by SMS
 * (`POST /api/auth/otp/request`, then `/verify`, both with the device's token). After the code is
 * accepted the device holds a token naming the verified person, and every report filed before
 * (here or on another device, or by a volunteer for them with this phone) becomes theirs.
 */

export interface CodeSent {
	/** ms since epoch: when the code stops working. */
	expiresAt: number;
	/** ms since epoch: when the app offers "send a new code". */
	resendAt: number;
}

export interface VerifiedPhone {
	/** Normalised: 0xxxxxxxxx. */
	phone: string;
	personId: string;
	verifiedAt: number;
	/** Reports linked at verification (filed earlier on this device or naming this phone). */
	linkedReports: number;
}

interface RequestAnswer {
	sent: true;
	expiresAt: string;
	resendAfterSeconds: number;
}

interface VerifyAnswer {
	token: string;
	expiresAt: string;
	user: SessionUser;
	personId: string;
	phone: string;
	linkedReports: number;
	resync: boolean;
}

const VERIFIED_KEY = 'account.verifiedPhone';

/** Seconds to wait before asking again, from a 429 answer (rate_limited carries retryAfterSeconds). */
export function retryAfterSeconds(e: unknown): number | null {
	if (!(e instanceof ApiFailure)) return null;
	const s = (e.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
	return typeof s === 'number' && s > 0 ? s : null;
}

function checkedPhone(input: string): string {
	const phone = canonicalPhone(input);
	if (!phone) throw new ApiFailure('validation_failed', 400, 'phone');
	return phone;
}

/** Asks for a code by SMS. Throws ApiFailure: validation_failed (not a phone), rate_limited, network… */
export async function requestCode(phoneInput: string, opts: { origin?: string; now?: number } = {}): Promise<CodeSent> {
	const origin = resolveOrigin(opts.origin);
	const phone = checkedPhone(phoneInput);
	const answer = await withDeviceToken(origin, (token) =>
		apiFetch<RequestAnswer>(`${origin}/api/auth/otp/request`, { token, body: { phone } })
	);
	const now = opts.now ?? Date.now();
	return { expiresAt: Date.parse(answer.expiresAt), resendAt: now + answer.resendAfterSeconds * 1000 };
}

/**
 * Checks the code. On success the device keeps the new token (with its person), remembers the
 * verified phone, and announces it so running replications start again from scratch (the reports
 * that became visible bring contacts and events written before the device's checkpoints).
 * Throws ApiFailure: otp_invalid, otp_expired, otp_used, otp_locked, network…
 */
export async function verifyCode(phoneInput: string, code: string, opts: { origin?: string } = {}): Promise<VerifiedPhone> {
	const origin = resolveOrigin(opts.origin);
	const phone = checkedPhone(phoneInput);
	const answer = await withDeviceToken(origin, (token) =>
		apiFetch<VerifyAnswer>(`${origin}/api/auth/otp/verify`, { token, body: { phone, code: code.replace(/\s/g, '') } })
	);
	await saveDeviceToken(answer);
	const verified: VerifiedPhone = {
		phone: answer.phone,
		personId: answer.personId,
		verifiedAt: Date.now(),
		linkedReports: answer.linkedReports
	};
	await localDb.settings.put({ key: VERIFIED_KEY, value: verified });
	await announcePersonLinked({ personId: answer.personId, resync: answer.resync !== false });
	return verified;
}

/**
 * The phone verified on this device, if the device's identity still names that person (a device
 * whose identity was reset is a new, unverified device).
 */
export async function getVerifiedPhone(): Promise<VerifiedPhone | null> {
	const row = await localDb.settings.get(VERIFIED_KEY);
	const verified = row?.value as VerifiedPhone | undefined;
	if (!verified?.personId) return null;
	const identity = await getDeviceIdentity();
	return identity.user?.personId === verified.personId ? verified : null;
}
