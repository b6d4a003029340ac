import { ApiFailure, apiFetch, resolveOrigin } from '../sync/api';
import { localDb } from '../sync/local-db';
import { getDeviceToken } from '../sync/session';

/**
 * Web Push on the resident's device: ask permission, subscribe with the server's VAPID key,
 * register the subscription for this device (its token), and undo all of it. Where the browser has
 * no Push API (iOS Safari outside an installed app, http:// on a LAN address, old browsers) the app
 * keeps its in-app notices, which need nothing of this.
 */

export type PushStatus =
	/** The browser cannot receive pushes here. */
	| 'unsupported'
	/** The user (or the browser's policy) refused notifications: only the browser's settings can undo it. */
	| 'denied'
	| 'off'
	| 'on';

export type PushSetupFailure =
	| 'unsupported'
	| 'denied'
	| 'no_worker'
	| 'subscribe_failed'
	| 'server'
	/** The permission prompt had no answer in time. */
	| 'permission_timeout'
	/** The server's key, the push service or the registration took too long. */
	| 'timeout';

export class PushSetupError extends Error {
	constructor(
		readonly reason: PushSetupFailure,
		readonly cause?: unknown
	) {
		super(reason);
		this.name = 'PushSetupError';
	}
}

/** Longest waits: the permission prompt (a person reading it), then each of the other steps. */
export const PUSH_TIMEOUTS = { permission: 60_000, step: 20_000 };

/**
 * A step of the browser's or the server's that may never settle (a prompt left open, a push service
 * the phone cannot reach, a stalled request): after `ms` it fails with `reason`, so the button stops
 * spinning and says what to do.
 */
function within<T>(p: Promise<T>, ms: number, reason: PushSetupFailure): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new PushSetupError(reason)), ms)));
	return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const SETTING = 'my.push';
/** Re-register now and then: the server may have lost it, or the device got a verified phone since. */
const REFRESH_MS = 24 * 3600_000;

function pushSupported(): boolean {
	return (
		typeof window !== 'undefined' &&
		window.isSecureContext &&
		'serviceWorker' in navigator &&
		'PushManager' in window &&
		'Notification' in window
	);
}

async function registration(timeoutMs = 10_000): Promise<ServiceWorkerRegistration> {
	const reg = await Promise.race([
		navigator.serviceWorker.ready,
		new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs))
	]);
	if (!reg) throw new PushSetupError('no_worker');
	return reg;
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
	const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
	const raw = atob(b64);
	const out = new Uint8Array(new ArrayBuffer(raw.length));
	for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
	return out;
}

function sameKey(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
	if (!a || a.byteLength !== b.byteLength) return false;
	const x = new Uint8Array(a);
	return x.every((v, i) => v === b[i]);
}

async function register(sub: PushSubscription, origin: string): Promise<void> {
	const token = await getDeviceToken({ origin });
	await apiFetch(`${origin}/api/push/subscriptions`, { token, body: sub.toJSON() });
	await localDb.settings.put({ key: SETTING, value: { endpoint: sub.endpoint, registeredAt: Date.now() } });
}

export async function pushStatus(): Promise<PushStatus> {
	if (!pushSupported()) return 'unsupported';
	if (Notification.permission === 'denied') return 'denied';
	if (Notification.permission !== 'granted') return 'off';
	const reg = await navigator.serviceWorker.getRegistration();
	const sub = await reg?.pushManager.getSubscription().catch(() => null);
	const saved = await localDb.settings.get(SETTING);
	return sub && saved ? 'on' : 'off';
}

/** Asks permission (call from a tap: browsers refuse a prompt nobody asked for), subscribes, registers. */
export async function enablePush(opts: { origin?: string } = {}): Promise<void> {
	if (!pushSupported()) throw new PushSetupError('unsupported');
	const permission = await within(Notification.requestPermission(), PUSH_TIMEOUTS.permission, 'permission_timeout');
	if (permission !== 'granted') throw new PushSetupError('denied');
	const origin = resolveOrigin(opts.origin);
	const reg = await registration();
	let key: Uint8Array<ArrayBuffer>;
	try {
		const answer = apiFetch<{ publicKey: string }>(`${origin}/api/push/key`, { timeoutMs: PUSH_TIMEOUTS.step });
		key = keyBytes((await within(answer, PUSH_TIMEOUTS.step, 'timeout')).publicKey);
	} catch (e) {
		throw e instanceof PushSetupError ? e : new PushSetupError('server', e);
	}
	let sub = await reg.pushManager.getSubscription();
	// Subscribed with another server key (the server's keys were replaced): start again.
	if (sub && !sameKey(sub.options.applicationServerKey, key)) {
		await sub.unsubscribe().catch(() => false);
		sub = null;
	}
	try {
		sub ??= await within(reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }), PUSH_TIMEOUTS.step, 'timeout');
	} catch (e) {
		throw e instanceof PushSetupError ? e : new PushSetupError('subscribe_failed', e);
	}
	try {
		await within(register(sub, origin), PUSH_TIMEOUTS.step * 2, 'timeout');
	} catch (e) {
		throw e instanceof PushSetupError ? e : new PushSetupError('server', e);
	}
}

export async function disablePush(opts: { origin?: string } = {}): Promise<void> {
	const origin = resolveOrigin(opts.origin);
	await localDb.settings.delete(SETTING);
	const reg = pushSupported() ? await navigator.serviceWorker.getRegistration() : undefined;
	await (await reg?.pushManager.getSubscription())?.unsubscribe().catch(() => false);
	const token = await getDeviceToken({ origin }).catch(() => null);
	if (!token) return;
	// No body, so not through apiFetch (GET/POST only): the server forgets this device's subscription.
	await fetch(`${origin}/api/push/subscriptions`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
}

/** Once a day while /my is open: registers the current subscription again (quietly). */
export async function refreshPushRegistration(opts: { origin?: string; now?: number } = {}): Promise<void> {
	if (!pushSupported() || Notification.permission !== 'granted') return;
	const saved = (await localDb.settings.get(SETTING))?.value as { endpoint?: string; registeredAt?: number } | undefined;
	if (!saved) return;
	const reg = await navigator.serviceWorker.getRegistration();
	const sub = await reg?.pushManager.getSubscription();
	if (!sub) return;
	if (sub.endpoint === saved.endpoint && (opts.now ?? Date.now()) - (saved.registeredAt ?? 0) < REFRESH_MS) return;
	await register(sub, resolveOrigin(opts.origin)).catch((e) => {
		if (!(e instanceof ApiFailure) || !e.retryable) console.warn('push registration', e);
	});
}
