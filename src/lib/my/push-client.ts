import { ApiFailure, apiFetch, resolveOrigin } from '../sync/api';
import { localDb } from '../sync/local-db';
import { getDeviceToken } from '../sync/session';
import { pushSupported, PushSetupError, PUSH_TIMEOUTS, subscribeDevice, within } from '../pwa/web-push';

/**
 * Web Push on the resident's device: ask permission, subscribe with the server's VAPID key (both
 * in pwa/web-push.ts, shared with the operations centre's staff notices), register the subscription
 * for this device (its token), and undo all of it. Where the browser has no Push API (iOS Safari outside an installed app, http:// on a LAN address, old browsers) the app
 * keeps its in-app notices, which need nothing of this.
 */

export type PushStatus =
	/** The browser cannot receive pushes here. */
	| 'unsupported'
	/** The user (or the browser's policy) refused notifications: only the browser's settings can undo it. */
	| 'denied'
	| 'off'
	| 'on';

export { PushSetupError, PUSH_TIMEOUTS, type PushSetupFailure } from '../pwa/web-push';

const SETTING = 'my.push';
/** Re-register now and then: the server may have lost it, or the device got a verified phone since. */
const REFRESH_MS = 24 * 3600_000;

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
	const origin = resolveOrigin(opts.origin);
	const sub = await subscribeDevice(origin);
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
