/**
 * Whether the browser believes it has a network (navigator.onLine, kept current by the
 * online/offline events). Read `online.current` in a template or $derived to follow it, e.g. for
 * the offline banner. navigator.onLine = true does not promise the server is reachable (a captive
 * portal, a dead 4G cell): the outbox still treats every failed request as "try again later".
 */
class OnlineState {
	current = $state(typeof navigator === 'undefined' ? true : navigator.onLine);

	constructor() {
		if (typeof window === 'undefined') return;
		// Module-lived listeners: one pair for the whole app, never removed.
		window.addEventListener('online', () => (this.current = true));
		window.addEventListener('offline', () => (this.current = false));
	}
}

export const online = new OnlineState();
