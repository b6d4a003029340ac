import { requestOutboxSync } from './background-sync';
import { localDb, type ApplicationRow } from './local-db';
import { awaitsSender } from './outbox';

/**
 * An application row the sender may still move (queued, not delivered, not waiting on the resident).
 * Stated here, and re-exported by dossier/application-store.ts as `awaitsApplicationSender`: this
 * module is loaded by every page, and importing the store would put all of it in that chunk.
 */
export const awaitsSenderState = (row: Pick<ApplicationRow, 'state'>): boolean =>
	row.state.kind === 'waiting' || row.state.kind === 'sending' || row.state.kind === 'files';

/**
 * The page's side of the outbox: flush on app start, when the network returns, when the page is
 * shown again and after each submit, then retry on the outbox's own schedule. The sender (and the
 * tus client it carries) is loaded only when something is waiting, to keep first visits light.
 */

let timer: ReturnType<typeof setTimeout> | undefined;
let running: Promise<void> | null = null;
let again: { force: boolean } | null = null;

/** Rows the sender may still move (not delivered, not waiting on the user). */
export async function countUnsent(): Promise<number> {
	// Online applications queued (dossier/application-store.ts) and answers' pages still on the phone
	// (dossier/my-applications.service.ts) are sent by the same flush.
	const applications = await localDb.applications.filter(awaitsSenderState).count();
	const answers = await localDb.myApplications.filter((r) => !!r.pendingAnswer).count();
	return (await localDb.outbox.filter(awaitsSender).count()) + applications + answers;
}

export async function kickOutbox(opts: { force?: boolean } = {}): Promise<void> {
	if (running) {
		// A flush is under way: run once more after it, so a row added meanwhile is not missed.
		again = { force: (again?.force ?? false) || !!opts.force };
		return running;
	}
	running = (async () => {
		clearTimeout(timer);
		try {
			// Offline: nothing to try; the 'online' event (or Background Sync) starts the next flush.
			if (globalThis.navigator?.onLine === false) return;
			if ((await countUnsent()) === 0) return;
			const sender = await import('./outbox-sender');
			await sender.flushOutbox({ force: opts.force });
			const next = await sender.nextOutboxAttempt();
			if (next !== undefined) timer = setTimeout(() => void kickOutbox(), Math.max(2_000, next - Date.now()));
		} catch (e) {
			console.warn('outbox flush failed', e);
			timer = setTimeout(() => void kickOutbox(), 30_000);
		}
	})().finally(() => {
		running = null;
		if (again) {
			const o = again;
			again = null;
			void kickOutbox(o);
		}
	});
	return running;
}

/** Registers Background Sync so the service worker sends even if the page is closed. */
export async function requestBackgroundSync(): Promise<boolean> {
	return requestOutboxSync();
}

/** Wires the triggers once for the page; returns a function that unwires them. */
export function startOutboxAutoFlush(): () => void {
	const onOnline = () => void kickOutbox({ force: true });
	const onVisible = () => {
		if (document.visibilityState === 'visible') void kickOutbox();
	};
	window.addEventListener('online', onOnline);
	document.addEventListener('visibilitychange', onVisible);
	void kickOutbox({ force: true });
	return () => {
		window.removeEventListener('online', onOnline);
		document.removeEventListener('visibilitychange', onVisible);
		clearTimeout(timer);
	};
}
