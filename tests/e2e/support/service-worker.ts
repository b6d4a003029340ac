import type { BrowserContext, CDPSession } from '@playwright/test';
import { expect } from '../fixtures';

interface SwRegistration {
	registrationId: string;
	scopeURL: string;
	isDeleted: boolean;
}

/**
 * Plays the browser's part for Background Sync: a DevTools session on a page of another origin
 * (about:blank, none of the app's code) that sees the context's service worker registrations, stops
 * the idle worker (as after a phone's sleep) and fires a `sync` event into it, as Chromium does
 * when the network returns.
 */
export async function serviceWorkerControl(context: BrowserContext, origin: string) {
	const blank = await context.newPage();
	const cdp: CDPSession = await context.newCDPSession(blank);
	const registrations = new Map<string, SwRegistration>();
	cdp.on('ServiceWorker.workerRegistrationUpdated', (e: { registrations: SwRegistration[] }) => {
		for (const r of e.registrations) registrations.set(r.registrationId, r);
	});
	await cdp.send('ServiceWorker.enable');
	const live = () => [...registrations.values()].find((r) => r.scopeURL === `${origin}/` && !r.isDeleted);
	return {
		blank,
		stopWorkers: () => cdp.send('ServiceWorker.stopAllWorkers'),
		async dispatchSync(tag: string) {
			await expect.poll(() => !!live(), { message: `a service worker registered for ${origin}/` }).toBe(true);
			await cdp.send('ServiceWorker.dispatchSyncEvent', { origin, registrationId: live()!.registrationId, tag, lastChance: false });
		}
	};
}
