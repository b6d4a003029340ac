/** The Background Sync tag the service worker listens for to flush the outbox. */
export const OUTBOX_SYNC_TAG = 'outbox';

/**
 * Asks the service worker to wake the outbox when the network is back, even if the page is closed
 * (Background Sync, Chromium). Returns false where unsupported: the page's own triggers still work.
 */
export async function requestOutboxSync(): Promise<boolean> {
	try {
		const sw = (globalThis.navigator as Navigator | undefined)?.serviceWorker;
		const reg = await sw?.getRegistration();
		const sync = (reg as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined)?.sync;
		if (!sync) return false;
		await sync.register(OUTBOX_SYNC_TAG);
		return true;
	} catch {
		return false;
	}
}
