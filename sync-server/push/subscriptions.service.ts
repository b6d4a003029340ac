import type { Store, StoredDoc } from '../storage/storage';

/**
 * Web Push subscriptions of residents' devices, in the `push-subscriptions` store:
 *   `<device sub>`  the device's one subscription (a browser profile has one per service worker);
 *   `<personId>`    the devices of a verified resident (their reports reach every one of them);
 *   `sent:<event>`  a claim that the push of an event has been sent, so that several instances
 *                   following one CouchDB send it once (only written in cluster mode).
 * Point reads by id only: the notifier looks up the report's author and person, nothing else.
 */

export interface PushKeys {
	p256dh: string;
	auth: string;
}

export interface DeviceSubscriptionDoc extends StoredDoc {
	kind: 'device';
	/** The device's token subject, `device:<uuid>` (also the id). */
	sub: string;
	tenantId: string;
	personId?: string;
	endpoint: string;
	keys: PushKeys;
	createdAt: string;
	updatedAt: string;
}

export interface PersonDevicesDoc extends StoredDoc {
	kind: 'person';
	subs: string[];
}

export interface SentClaimDoc extends StoredDoc {
	kind: 'sent';
	at: string;
}

export type PushStoreDoc = DeviceSubscriptionDoc | PersonDevicesDoc | SentClaimDoc;

export interface NewSubscription {
	sub: string;
	tenantId: string;
	personId?: string;
	endpoint: string;
	keys: PushKeys;
}

const RETRIES = 5;

export function createPushSubscriptions(store: Store<PushStoreDoc>, now: () => Date = () => new Date()) {
	/** Adds or removes one device in a person's list, retrying on a concurrent write. */
	async function updatePerson(personId: string, change: (subs: Set<string>) => void): Promise<void> {
		for (let i = 0; i < RETRIES; i++) {
			const cur = (await store.getMany([personId])).get(personId);
			const subs = new Set(cur?.doc.kind === 'person' ? cur.doc.subs : []);
			const before = [...subs].sort().join();
			change(subs);
			if ([...subs].sort().join() === before && cur) return;
			const doc: PersonDevicesDoc = { id: personId, kind: 'person', subs: [...subs].sort() };
			const [res] = await store.bulkPut([{ doc, rev: cur ? cur.rev : null }]);
			if (res.ok) return;
			if (!res.conflict) throw new Error(res.error);
		}
		throw new Error(`Could not update the push devices of ${personId}`);
	}

	async function remove(sub: string): Promise<boolean> {
		const cur = (await store.getMany([sub])).get(sub);
		if (!cur || cur.doc.kind !== 'device') return false;
		const [res] = await store.bulkPut([{ doc: { ...cur.doc, _deleted: true }, rev: cur.rev }]);
		if (!res.ok && !res.conflict) throw new Error(res.error);
		if (cur.doc.personId) await updatePerson(cur.doc.personId, (subs) => subs.delete(sub));
		return true;
	}

	return {
		/** Registers (or replaces) the device's subscription; the latest one wins. */
		async save(s: NewSubscription): Promise<void> {
			const cur = (await store.getMany([s.sub])).get(s.sub);
			const at = now().toISOString();
			const doc: DeviceSubscriptionDoc = {
				id: s.sub,
				kind: 'device',
				sub: s.sub,
				tenantId: s.tenantId,
				...(s.personId ? { personId: s.personId } : {}),
				endpoint: s.endpoint,
				keys: { p256dh: s.keys.p256dh, auth: s.keys.auth },
				createdAt: cur?.doc.kind === 'device' ? cur.doc.createdAt : at,
				updatedAt: at
			};
			const [res] = await store.bulkPut([{ doc }]);
			if (!res.ok) throw new Error(res.error);
			if (s.personId) await updatePerson(s.personId, (subs) => subs.add(s.sub));
		},

		remove,

		/** Forgets the subscription only if it is still this endpoint (the push service said it is gone). */
		async removeEndpoint(sub: string, endpoint: string): Promise<void> {
			const cur = await store.get(sub);
			if (cur?.kind === 'device' && cur.endpoint === endpoint) await remove(sub);
		},

		async get(sub: string): Promise<DeviceSubscriptionDoc | null> {
			const doc = await store.get(sub);
			return doc?.kind === 'device' && !doc._deleted ? doc : null;
		},

		/** The subscriptions of the devices behind these ids (device subs and person ids), each once. */
		async forRecipients(ids: string[]): Promise<DeviceSubscriptionDoc[]> {
			const first = await store.getMany(ids.filter(Boolean));
			const subs = new Set<string>();
			for (const { doc } of first.values()) {
				if (doc.kind === 'device') subs.add(doc.sub);
				else if (doc.kind === 'person') for (const s of doc.subs) subs.add(s);
			}
			const devices = await store.getMany([...subs].filter((s) => !first.has(s)));
			const out: DeviceSubscriptionDoc[] = [];
			for (const m of [first, devices])
				for (const { doc } of m.values()) if (doc.kind === 'device' && !doc._deleted) out.push(doc);
			return out;
		},

		/** True for the one caller (of any instance) that gets to send this event's push. */
		async claim(eventId: string): Promise<boolean> {
			const doc: SentClaimDoc = { id: `sent:${eventId}`, kind: 'sent', at: now().toISOString() };
			const [res] = await store.bulkPut([{ doc, rev: null }]);
			if (res.ok) return true;
			if (res.conflict) return false;
			throw new Error(res.error);
		}
	};
}
export type PushSubscriptions = ReturnType<typeof createPushSubscriptions>;
