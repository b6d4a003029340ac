import type { RatingLevel } from '../domain/ticket';
import { storageName } from '../pwa/namespace';
import { ApiFailure, apiFetch, resolveOrigin } from '../sync/api';
import type { StaffSession } from '../sync/local-db';
import type { PinHash } from './pin';

/**
 * What a kiosk keeps on its device, and nothing else: the office it serves, the staff PIN's hash,
 * the paper width of its printer and its own token (sync-server office.routes.ts `…/kiosk`). Nothing
 * of a visitor is ever written: their number lives in the page's memory until the screen resets.
 * localStorage, not IndexedDB: a few hundred bytes read at once at boot.
 */

export interface KioskSetup {
	officeId: string;
	pin: PinHash;
	paperMm: 58 | 80;
	token: string;
	/** ISO */
	expiresAt: string;
}

const KEY = storageName('cau-noi.kiosk');
const GUARD_KEY = storageName('cau-noi.kiosk.exit');

export function loadSetup(): KioskSetup | null {
	try {
		const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as KioskSetup | null;
		return v && typeof v.officeId === 'string' && v.pin && typeof v.token === 'string' ? v : null;
	} catch {
		return null;
	}
}

export function saveSetup(s: KioskSetup): void {
	localStorage.setItem(KEY, JSON.stringify(s));
}

export function forgetSetup(): void {
	localStorage.removeItem(KEY);
	localStorage.removeItem(GUARD_KEY);
}

export const guardStore = {
	read: (): string | null => {
		try {
			return localStorage.getItem(GUARD_KEY);
		} catch {
			return null;
		}
	},
	write(v: string): void {
		try {
			localStorage.setItem(GUARD_KEY, v);
		} catch {
			// Not kept: a reload forgets the count (the lock still holds while the page stays).
		}
	}
};

/** Renew the token when less than this is left (tokens live TOKEN_TTL_SECONDS, 12 h by default). */
export const RENEW_BEFORE_MS = 6 * 3600_000;

export interface KioskToken {
	token: string;
	expiresAt: string;
}

export interface KioskTicketView {
	ticket: { id: string; number: string; officeId: string; serviceId: string; takenAt: string; channel: string };
	ahead: number;
	estimate: { minutes: number; low: number; high: number; basis: string } | null;
}

const officePath = (officeId: string) => `${resolveOrigin()}/api/office/offices/${encodeURIComponent(officeId)}`;

export const kioskApi = {
	/** An official's token (setup) or the kiosk's own (renewal): a token for the office's kiosk. */
	token: (bearer: string, officeId: string) => apiFetch<KioskToken>(`${officePath(officeId)}/kiosk`, { method: 'POST', token: bearer, timeoutMs: 15_000 }),
	/** One plain request, no outbox: offline the visitor is told at once, and nothing is kept. */
	take: (token: string, body: { ticketId: string; officeId: string; serviceId: string }) =>
		apiFetch<KioskTicketView>(`${resolveOrigin()}/api/office/tickets`, { token, body, timeoutMs: 15_000 }),
	/** A visitor rates the ticket this kiosk took for them today, by the number on their paper. */
	rate: (token: string, officeId: string, body: { number: string; level: RatingLevel; reason?: string }) =>
		apiFetch<{ ticket: { number: string } }>(`${officePath(officeId)}/kiosk/rating`, { token, body, timeoutMs: 15_000 })
};

/**
 * The official's sign-in for the setup (the same /api/auth/login as staffLogin), used once and never
 * stored: a kiosk in a public hall must not keep an official's session for a visitor to find.
 */
export async function officialLogin(username: string, password: string): Promise<StaffSession> {
	const answer = await apiFetch<{ token: string; expiresAt: string; user: StaffSession['user'] }>(`${resolveOrigin()}/api/auth/login`, {
		body: { username: username.trim(), password },
		timeoutMs: 15_000
	});
	if (!(['handler', 'leader', 'admin'] as string[]).includes(answer.user.role)) throw new ApiFailure('forbidden_scope', 403, `role ${answer.user.role}`);
	return { key: 'staff', username: username.trim(), token: answer.token, expiresAt: Date.parse(answer.expiresAt), user: answer.user };
}
