import type { Principal } from '$lib/domain/principal';
import { ApiError } from '../http/api-error';
import type { Store, StoredDoc } from '../storage/storage';
import {
	CODE_TTL_MS,
	MAX_ATTEMPTS,
	checkCode,
	generateCode,
	hashCode,
	windowCheck,
	type CodeState,
	type OtpRefusal,
	type WindowRule
} from './otp-code';
import type { PersonLinks } from './person-links.service';
import { canonicalPhone } from '$lib/domain/common';
import type { SmsSender } from './sms';

/**
 * Phone verification by one-time code. Stored in the `otp` store, so limits hold across instances:
 *   `phone|<tenant>|<phone>`: when codes were sent to that phone, and the last code each device
 *   asked for (its HMAC only), keyed by the device's sub;
 *   `device|<sub>`, `ip|<address>`: when this device / address asked for codes.
 * A code is bound to the device that asked for it: it verifies only there, and only that device's
 * wrong guesses count towards its lock. Another device has no code to guess (otp_invalid, nothing
 * counted), so a stranger can neither use an intercepted code nor lock the owner out.
 * Every refusal is decided from what was read before anything is written; the only thing a refused
 * verification writes is the count of wrong guesses (and the lock), which is the point of it.
 */

export interface OtpLimits {
	/** Codes sent to one phone: 3 per 15 minutes; a locked code blocks new ones for the same window. */
	perPhone: WindowRule;
	/** Codes one device asks for (any phones). */
	perDevice: WindowRule;
	/** Codes asked from one address: devices are free to register, addresses are not. */
	perIp: WindowRule;
	ttlMs: number;
	maxAttempts: number;
}

const DEFAULT_OTP_LIMITS: OtpLimits = {
	perPhone: { max: 3, windowMs: 15 * 60_000 },
	perDevice: { max: 5, windowMs: 15 * 60_000 },
	perIp: { max: 30, windowMs: 60 * 60_000 },
	ttlMs: CODE_TTL_MS,
	maxAttempts: MAX_ATTEMPTS
};

/** How long the app waits before offering "send a new code" (a courtesy; the server enforces perPhone). */
const RESEND_AFTER_SECONDS = 60;

export interface OtpDoc extends StoredDoc {
	id: string;
	/** ISO times codes were asked for, within the window. */
	sends: string[];
	/** Per device sub: the last code it asked for this phone (phone documents only). */
	codes?: Record<string, CodeState>;
}

export interface OtpRequestAnswer {
	/** Always the same answer, whether or not the phone is known. */
	sent: true;
	expiresAt: string;
	resendAfterSeconds: number;
}

export interface OtpVerified {
	principal: Principal & { personId: string };
	personId: string;
	phone: string;
	/** Reports linked to the person now (the device's own and those naming the phone). */
	linkedReportIds: string[];
}

export interface OtpDeps {
	tenantId: string;
	otp: Store<OtpDoc>;
	links: PersonLinks;
	accounts: { linkDevice(deviceId: string, personId: string): Promise<void> };
	sms: SmsSender;
	/** See otpHashKey(): derived from TOKEN_SECRET. */
	hashKey: Buffer;
	now?: () => Date;
	limits?: Partial<OtpLimits>;
}

const WORDS: Record<OtpRefusal, [number, string]> = {
	otp_invalid: [400, 'Mã xác minh không đúng / The verification code is wrong'],
	otp_expired: [400, 'Mã xác minh đã hết hạn, hãy xin mã mới / The code has expired, ask for a new one'],
	otp_used: [409, 'Mã xác minh này đã được dùng, hãy xin mã mới / This code was already used, ask for a new one'],
	otp_locked: [429, 'Nhập sai quá nhiều lần, mã đã bị khóa / Too many wrong codes: the code is locked']
};

function rateLimitedError(retryAfterMs: number): ApiError {
	const seconds = Math.ceil(retryAfterMs / 1000);
	const minutes = Math.max(1, Math.ceil(seconds / 60));
	return new ApiError(
		429,
		'rate_limited',
		`Đã xin quá nhiều mã, hãy đợi ${minutes} phút / Too many codes asked for, wait ${minutes} min`,
		{ retryAfterSeconds: seconds }
	);
}

function deviceIdOf(p: Principal): string {
	if (p.role !== 'resident' || !p.sub.startsWith('device:'))
		throw new ApiError(403, 'forbidden_scope', 'Chỉ thiết bị của người dân mới xác minh số điện thoại / Only a resident’s device verifies a phone');
	return p.sub.slice('device:'.length);
}

function phoneOf(raw: string): string {
	const phone = canonicalPhone(raw);
	if (!phone)
		throw new ApiError(400, 'validation_failed', 'Số điện thoại không hợp lệ / Not a valid phone number', {
			issues: [{ path: '/phone', message: '0xxxxxxxxx or +84xxxxxxxxx' }]
		});
	return phone;
}

/** Without diacritics: a Vietnamese text with them is a Unicode SMS, 70 characters a part instead of 160. */
const smsText = (code: string, ttlMs: number) =>
	`Cau Noi: ma xac minh cua ban la ${code}. Ma dung trong ${Math.round(ttlMs / 60_000)} phut. Khong dua ma nay cho ai.`;

export function createOtpService(deps: OtpDeps) {
	const now = deps.now ?? (() => new Date());
	const limits: OtpLimits = { ...DEFAULT_OTP_LIMITS, ...deps.limits };
	const phoneKey = (phone: string) => `phone|${deps.tenantId}|${phone}`;

	/**
	 * The codes worth keeping: a locked one blocks its device for the window after the lock, any
	 * other only until it expires. Keeps the document small (the per-phone limit bounds it anyway).
	 */
	function liveCodes(codes: OtpDoc['codes'], at: Date): Record<string, CodeState> {
		const t = at.getTime();
		return Object.fromEntries(
			Object.entries(codes ?? {}).filter(([, c]) =>
				c.lockedAt ? t < Date.parse(c.lockedAt) + limits.perPhone.windowMs : t < Date.parse(c.expiresAt)
			)
		);
	}

	/** Counts one request in a window document; refuses (429) when the window is full. */
	async function count(id: string, rule: WindowRule): Promise<void> {
		for (let attempt = 0; attempt < 5; attempt++) {
			const cur = (await deps.otp.getMany([id])).get(id);
			const w = windowCheck(cur?.doc.sends ?? [], now(), rule);
			if (!w.ok) throw rateLimitedError(w.retryAfterMs);
			const [res] = await deps.otp.bulkPut([{ doc: { id, sends: w.recent }, rev: cur?.rev ?? null }]);
			if (res.ok) return;
			if (!res.conflict) throw new Error(res.error);
		}
		// Five requests racing on one counter: that is a flood, not a resident.
		throw rateLimitedError(60_000);
	}

	return {
		limits,

		/** Sends a new code to the phone (replacing any earlier one). Throws 429 rate_limited. */
		async request(p: Principal, rawPhone: string, ip: string): Promise<OtpRequestAnswer> {
			deviceIdOf(p);
			const phone = phoneOf(rawPhone);
			await count(`ip|${ip}`, limits.perIp);
			await count(`device|${p.sub}`, limits.perDevice);
			const key = phoneKey(phone);
			for (let attempt = 0; attempt < 5; attempt++) {
				const cur = (await deps.otp.getMany([key])).get(key);
				const at = now();
				// A code this device locked by guessing blocks its next ones for a while; other devices' locks do not.
				const lockedAt = cur?.doc.codes?.[p.sub]?.lockedAt;
				const w = windowCheck(cur?.doc.sends ?? [], at, limits.perPhone, lockedAt ? Date.parse(lockedAt) + limits.perPhone.windowMs : undefined);
				if (!w.ok) throw rateLimitedError(w.retryAfterMs);
				const code = generateCode();
				const expiresAt = new Date(at.getTime() + limits.ttlMs).toISOString();
				const state: CodeState = {
					codeHash: hashCode(deps.hashKey, deps.tenantId, phone, code),
					issuedAt: at.toISOString(),
					expiresAt,
					attempts: 0
				};
				const codes = { ...liveCodes(cur?.doc.codes, at), [p.sub]: state };
				const [res] = await deps.otp.bulkPut([{ doc: { id: key, sends: w.recent, codes }, rev: cur?.rev ?? null }]);
				if (!res.ok) {
					if (res.conflict) continue;
					throw new Error(res.error);
				}
				// A failed send keeps the request counted: retrying must not become a way around the limit.
				await deps.sms.send(phone, smsText(code, limits.ttlMs));
				return { sent: true, expiresAt, resendAfterSeconds: RESEND_AFTER_SECONDS };
			}
			throw rateLimitedError(60_000);
		},

		/**
		 * Checks the code this device asked for; on success the device is linked to the person of that
		 * phone (created on first verification) and the reports are linked. Refusals: otp_invalid (400,
		 * a wrong guess counted; or no code of this device's, nothing counted), otp_expired (400),
		 * otp_used (409), otp_locked (429).
		 */
		async verify(p: Principal, rawPhone: string, rawCode: string): Promise<OtpVerified> {
			const deviceId = deviceIdOf(p);
			const phone = phoneOf(rawPhone);
			const code = rawCode.replace(/\s/g, '');
			// A guess that is not 6 digits cannot be right: refused without using up an attempt.
			const guess = /^\d{6}$/.test(code) ? hashCode(deps.hashKey, deps.tenantId, phone, code) : null;
			const key = phoneKey(phone);
			for (let attempt = 0; attempt < 5; attempt++) {
				const cur = (await deps.otp.getMany([key])).get(key);
				const mine = cur?.doc.codes?.[p.sub];
				const withMine = (next: CodeState): OtpDoc => ({ ...cur!.doc, codes: { ...cur!.doc.codes, [p.sub]: next } });
				const check = checkCode(mine, guess, now(), limits.maxAttempts);
				if (!check.ok) {
					if (check.next && cur) {
						const [res] = await deps.otp.bulkPut([{ doc: withMine(check.next), rev: cur.rev }]);
						// Another guess was counted meanwhile: check again against the new count.
						if (!res.ok && res.conflict) continue;
						if (!res.ok) throw new Error(res.error);
					}
					const [status, message] = WORDS[check.code];
					throw new ApiError(status, check.code, message, check.attemptsLeft !== undefined ? { attemptsLeft: check.attemptsLeft } : undefined);
				}
				// Use the code up first, at the revision read: of two requests with the same code only one
				// gets here, the other reads it used (otp_used).
				const [used] = await deps.otp.bulkPut([{ doc: withMine(check.next), rev: cur!.rev }]);
				if (!used.ok) {
					if (used.conflict) continue;
					throw new Error(used.error);
				}
				try {
					const { person } = await deps.links.ensurePerson(deps.tenantId, phone, p.sub);
					await deps.accounts.linkDevice(deviceId, person.personId);
					const linkedReportIds = await deps.links.linkVerified(person);
					return { principal: { ...p, personId: person.personId }, personId: person.personId, phone, linkedReportIds };
				} catch (err) {
					// The storage failed half-way: hand the code back so the same code finishes the job on a
					// retry (every step above is idempotent). What was written is only what this device proved.
					await deps.otp.bulkPut([{ doc: cur!.doc, rev: used.rev }]).catch(() => undefined);
					throw err;
				}
			}
			throw rateLimitedError(60_000);
		}
	};
}
export type OtpService = ReturnType<typeof createOtpService>;
