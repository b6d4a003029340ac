import { ApiFailure, apiFetch, resolveOrigin } from './api';
import { localDb, type DeviceIdentity, type SessionUser, type StaffSession } from './local-db';

/**
 * Who this device is and which token it holds. A resident's device registers itself on first
 * use (an id and a random secret kept in Dexie) and re-authenticates silently when its token
 * expires; staff log in with a password and are asked to log in again when theirs expires.
 * Fetch and Dexie only: the service worker uses it too.
 */

interface AuthAnswer {
	token: string;
	expiresAt: string | number;
	user: SessionUser;
}

/** Renew a little before the server would refuse the token. */
const EXPIRY_MARGIN_MS = 60_000;

/** Accepts an ISO time, epoch ms or epoch seconds (JWT `exp` style). */
export function parseExpiry(value: string | number | undefined, now = Date.now()): number {
	if (typeof value === 'number') return value < 1e12 ? value * 1000 : value;
	const t = value ? Date.parse(value) : NaN;
	// Unknown: assume a short life, so the token is renewed rather than trusted too long.
	return Number.isNaN(t) ? now + 5 * 60_000 : t;
}

export function isFresh(expiresAt: number | undefined, now = Date.now()): boolean {
	return expiresAt !== undefined && expiresAt - EXPIRY_MARGIN_MS > now;
}

function base64url(bytes: Uint8Array): string {
	let s = '';
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** This device's identity, created (id + 32 random bytes) the first time it is asked for. */
export async function getDeviceIdentity(): Promise<DeviceIdentity> {
	return localDb.transaction('rw', localDb.identity, async () => {
		const existing = await localDb.identity.get('device');
		if (existing?.key === 'device') return existing;
		const secret = new Uint8Array(32);
		crypto.getRandomValues(secret);
		const created: DeviceIdentity = { key: 'device', deviceId: crypto.randomUUID(), secret: base64url(secret) };
		await localDb.identity.put(created);
		return created;
	});
}

/** The actor id a report filed from this device carries. */
export async function deviceActorId(): Promise<string> {
	return `device:${(await getDeviceIdentity()).deviceId}`;
}

let deviceAuthInFlight: Promise<string> | null = null;

/** A call with the device's token; a token the server no longer takes (expired, or a restarted server's) is renewed once. */
export async function withDeviceToken<T>(origin: string, call: (token: string) => Promise<T>): Promise<T> {
	try {
		return await call(await getDeviceToken({ origin }));
	} catch (e) {
		if (e instanceof ApiFailure && e.authExpired) return call(await getDeviceToken({ origin, forceRefresh: true }));
		throw e;
	}
}

/**
 * A valid device token: the cached one, or a new one from `POST /api/auth/device` (the first call
 * registers the device). Concurrent callers share one request.
 */
export async function getDeviceToken(opts: { origin?: string; forceRefresh?: boolean } = {}): Promise<string> {
	const identity = await getDeviceIdentity();
	if (!opts.forceRefresh && identity.token && isFresh(identity.expiresAt)) return identity.token;
	deviceAuthInFlight ??= (async () => {
		try {
			const answer = await apiFetch<AuthAnswer>(`${resolveOrigin(opts.origin)}/api/auth/device`, {
				body: { deviceId: identity.deviceId, secret: identity.secret }
			});
			await localDb.identity.put({ ...identity, token: answer.token, expiresAt: parseExpiry(answer.expiresAt), user: answer.user });
			return answer.token;
		} finally {
			deviceAuthInFlight = null;
		}
	})();
	return deviceAuthInFlight;
}

/**
 * Keeps a device token the server issued elsewhere than /api/auth/device: after a phone verification
 * it carries the verified person (user.personId), and so do the tokens getDeviceToken renews later.
 * Waits for a renewal in flight, so an older answer cannot overwrite this one.
 */
export async function saveDeviceToken(answer: AuthAnswer): Promise<void> {
	await deviceAuthInFlight?.catch(() => undefined);
	const identity = await getDeviceIdentity();
	await localDb.identity.put({ ...identity, token: answer.token, expiresAt: parseExpiry(answer.expiresAt), user: answer.user });
}

/**
 * Logs an official in; throws ApiFailure (bad_credentials, rate_limited, network…). With `roles`, an
 * account of another role is refused (forbidden_scope), as is one `allow` says no to and nothing is stored: the session already on
 * the device stays as it was.
 */
export async function staffLogin(
	username: string,
	password: string,
	origin?: string,
	opts: { roles?: SessionUser['role'][]; allow?: (user: SessionUser) => boolean } = {}
): Promise<StaffSession> {
	const answer = await apiFetch<AuthAnswer>(`${resolveOrigin(origin)}/api/auth/login`, {
		body: { username: username.trim(), password }
	});
	if ((opts.roles && !opts.roles.includes(answer.user.role)) || (opts.allow && !opts.allow(answer.user)))
		throw new ApiFailure('forbidden_scope', 403, `role ${answer.user.role}`);
	const session: StaffSession = {
		key: 'staff',
		username: username.trim(),
		token: answer.token,
		expiresAt: parseExpiry(answer.expiresAt),
		user: answer.user
	};
	await localDb.identity.put(session);
	return session;
}

export interface StaffSessionState {
	session: StaffSession | null;
	/** There was a session, but its token has run out: "log in again". */
	expired: boolean;
}

export async function getStaffSession(now = Date.now()): Promise<StaffSessionState> {
	const row = await localDb.identity.get('staff');
	if (row?.key !== 'staff') return { session: null, expired: false };
	if (!isFresh(row.expiresAt, now)) return { session: null, expired: true };
	return { session: row, expired: false };
}

/** A staff token for a request; throws token_expired when the official must log in again. */
export async function getStaffToken(): Promise<string> {
	const { session } = await getStaffSession();
	if (!session) throw new ApiFailure('token_expired', 401);
	return session.token;
}

/** Forgets the official (the caller also removes the local RxDB copy of their inbox). */
export async function staffLogout(): Promise<void> {
	await localDb.identity.delete('staff');
}

/**
 * The server refused a staff token our clock thought fresh (its secret changed, the account went):
 * mark the session expired, so the page asks the person to log in again instead of trying it again.
 */
export async function markStaffSessionExpired(token: string): Promise<void> {
	await localDb.transaction('rw', localDb.identity, async () => {
		const row = await localDb.identity.get('staff');
		if (row?.key === 'staff' && row.token === token) await localDb.identity.put({ ...row, expiresAt: 0 });
	});
}
