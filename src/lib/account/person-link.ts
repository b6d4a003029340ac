import { localDb } from '../sync/local-db';
import { storageName } from '../pwa/namespace';
import type { Replication } from '../sync/replication';

/**
 * After a phone verification the device's replications must pull everything again: a report linked
 * to the person arrives as a new change, but its contact, events and photos were written long before
 * the device's checkpoints (and reports linked to the person by another of their devices carry no new
 * change at all). The verification announces it here; whoever runs a resident's replication listens
 * (`onPersonLinked`) and restarts it with `restartFromScratch`, or, when starting one later, asks
 * `takeResyncPending()` first.
 */

export interface PersonLinked {
	personId: string;
	/** The server asked for a pull from empty checkpoints. */
	resync: boolean;
}

const CHANNEL = storageName('cau-noi-account');
const PENDING_KEY = 'sync.resyncPending';
const local = new EventTarget();
/**
 * A BroadcastChannel message reaches every other channel object of the same name, this page's own
 * listeners included: they know this page's messages by this id and skip them (they got the local event).
 */
const PAGE_ID = Math.random().toString(36).slice(2);

/** Tells this page and the app's other tabs; remembers it for a replication started later. */
export async function announcePersonLinked(e: PersonLinked): Promise<void> {
	if (e.resync) await localDb.settings.put({ key: PENDING_KEY, value: e.personId });
	local.dispatchEvent(new CustomEvent<PersonLinked>('linked', { detail: e }));
	if (typeof BroadcastChannel !== 'undefined') {
		const bc = new BroadcastChannel(CHANNEL);
		bc.postMessage({ ...e, from: PAGE_ID });
		bc.close();
	}
}

/** Calls back when a phone is verified, in this tab or another. Returns the unsubscribe. */
export function onPersonLinked(cb: (e: PersonLinked) => void): () => void {
	const onLocal = (ev: Event) => cb((ev as CustomEvent<PersonLinked>).detail);
	local.addEventListener('linked', onLocal);
	const bc = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel(CHANNEL) : null;
	if (bc)
		bc.onmessage = (ev: MessageEvent<PersonLinked & { from?: string }>) => {
			if (ev.data?.from === PAGE_ID) return;
			cb({ personId: ev.data.personId, resync: ev.data.resync });
		};
	return () => {
		local.removeEventListener('linked', onLocal);
		bc?.close();
	};
}

/** Whether a verification asked for a full pull that no replication has done yet; clears the flag. */
export async function takeResyncPending(): Promise<boolean> {
	return localDb.transaction('rw', localDb.settings, async () => {
		const row = await localDb.settings.get(PENDING_KEY);
		if (!row) return false;
		await localDb.settings.delete(PENDING_KEY);
		return true;
	});
}

/**
 * Stops a replication, forgets its checkpoints (RxDB's `remove()` drops the replication's meta data,
 * never the documents) and starts it again through `start`: the new one pulls every collection from
 * the beginning with the current token (the one naming the person).
 */
export async function restartFromScratch(replication: Replication, start: () => Replication): Promise<Replication> {
	await Promise.all(replication.states.map((s) => s.remove()));
	await replication.stop();
	await localDb.settings.delete(PENDING_KEY);
	return start();
}
