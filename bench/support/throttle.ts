/**
 * A weak link for the browser benchmarks, with CDP `Network.emulateNetworkConditions`.
 *
 * The emulation is per DevTools target: set on the page's session it does NOT reach the service
 * worker's requests (measured: photo-delivery.bench.ts checks it each run). The outbox is sent by
 * whichever of page and worker takes the Web Lock first, and after "Gửi" that is usually the worker
 * (Background Sync fires at once while the page still loads its sender chunk). So the worker is
 * throttled too: Playwright has no CDP session for a worker, so the browser session attaches to its
 * target in non-flattened mode and relays the commands (Target.sendMessageToTarget).
 */
import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test';

export interface Link {
	latencyMs: number;
	upBps: number;
	downBps: number;
}

const conditions = (link: Link) => ({
	offline: false,
	latency: link.latencyMs,
	uploadThroughput: link.upBps / 8,
	downloadThroughput: link.downBps / 8
});

export async function throttlePage(context: BrowserContext, page: Page, link: Link): Promise<CDPSession> {
	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', conditions(link));
	return cdp;
}

/** Throttles every service worker of the page's browser context; returns how many it reached. */
export async function throttleServiceWorkers(browser: Browser, page: Page, link: Link): Promise<number> {
	const pageCdp = await page.context().newCDPSession(page);
	const { targetInfo } = await pageCdp.send('Target.getTargetInfo');
	await pageCdp.detach();
	const session = await browser.newBrowserCDPSession();
	const { targetInfos } = await session.send('Target.getTargets');
	const workers = targetInfos.filter((t) => t.type === 'service_worker' && t.browserContextId === targetInfo.browserContextId);

	let nextId = 1;
	const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
	session.on('Target.receivedMessageFromTarget', (e) => {
		const msg = JSON.parse(e.message) as { id?: number; error?: { message: string } };
		const w = msg.id !== undefined ? waiting.get(msg.id) : undefined;
		if (!w) return;
		waiting.delete(msg.id!);
		if (msg.error) w.reject(new Error(msg.error.message));
		else w.resolve();
	});
	const send = (sessionId: string, method: string, params: object) =>
		new Promise<void>((resolve, reject) => {
			const id = nextId++;
			waiting.set(id, { resolve, reject });
			session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
		});

	for (const w of workers) {
		// An attached (inspected) worker is also kept alive, so the throttled one stays the one that runs.
		const { sessionId } = await session.send('Target.attachToTarget', { targetId: w.targetId, flatten: false });
		await send(sessionId, 'Network.enable', {});
		await send(sessionId, 'Network.emulateNetworkConditions', conditions(link));
	}
	return workers.length;
}
