/**
 * A system notification about a ticket, only where the resident has allowed them (never a prompt
 * here: asking is the page's button). Through the service worker when there is one: Android's
 * Chrome refuses `new Notification()` from a page. Never throws: the in-page notice is the one that
 * always shows.
 */
export function canNotify(): boolean {
	return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

export async function notifyResident(title: string, body: string, tag: string, url?: string): Promise<void> {
	if (!canNotify()) return;
	const options: NotificationOptions = { body, tag, data: url ? { url } : undefined };
	try {
		const reg = await Promise.race([
			navigator.serviceWorker?.getRegistration?.() ?? Promise.resolve(undefined),
			new Promise<undefined>((r) => setTimeout(() => r(undefined), 1_000))
		]);
		if (reg) return await reg.showNotification(title, options);
		new Notification(title, options);
	} catch {
		// A browser that refuses both: the page's own notice is there.
	}
}

/** Asks for permission once, from a tap; the answer ('granted', 'denied', 'default'). */
export async function askToNotify(): Promise<NotificationPermission | 'unsupported'> {
	if (typeof Notification === 'undefined') return 'unsupported';
	try {
		return await Notification.requestPermission();
	} catch {
		return Notification.permission;
	}
}
