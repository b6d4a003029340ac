import { apiFetch } from '../sync/api';

/**
 * Web Push on this device, whoever it is for: the browser's permission, the server's VAPID key, the
 * push service's subscription. Shared by the resident's notices (my/push-client.ts, registered with
 * the device's token) and the operations centre's warnings (/ioc, registered with a staff token).
 * Each step the page does not control can hang (a prompt left open, a push service the phone cannot
 * reach, a stalled request): each ends in a named failure instead, so a button never spins for ever.
 */

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

/** After `ms`, `p` fails with `reason`: the steps that may never settle end. */
export function within<T>(p: Promise<T>, ms: number, reason: PushSetupFailure): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new PushSetupError(reason)), ms)));
	return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** iOS Safari outside an installed app, http:// on a LAN address, old browsers: no Push API. */
export function pushSupported(): boolean {
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

/**
 * Asks permission (call from a tap: browsers refuse a prompt nobody asked for) and subscribes this
 * browser with the server's key; the caller registers the subscription with its own token.
 */
export async function subscribeDevice(origin: string): Promise<PushSubscription> {
	if (!pushSupported()) throw new PushSetupError('unsupported');
	const permission = await within(Notification.requestPermission(), PUSH_TIMEOUTS.permission, 'permission_timeout');
	if (permission !== 'granted') throw new PushSetupError('denied');
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
	return sub;
}

/** Tells the server to push to this subscription for whoever `token` is (a device, or an official). */
export async function registerSubscription(origin: string, sub: PushSubscription, token: string): Promise<void> {
	try {
		await within(apiFetch(`${origin}/api/push/subscriptions`, { token, body: sub.toJSON() }), PUSH_TIMEOUTS.step * 2, 'timeout');
	} catch (e) {
		throw e instanceof PushSetupError ? e : new PushSetupError('server', e);
	}
}
