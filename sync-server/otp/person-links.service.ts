import { randomUUID } from 'node:crypto';
import type { Contact } from '$lib/domain/contact';
import type { Report } from '$lib/domain/report';
import type { SyncCollection } from '$lib/domain/sync-protocol';
import type { Principal } from '$lib/domain/principal';
import type { Store, StoredDoc } from '../storage/storage';
import { canonicalPhone } from '$lib/domain/common';

/**
 * Verified people and the reports that belong to them.
 *
 * A person is one verified phone in one tenant: `person:<uuid>` (a uuid, so the personId a handler
 * sees on a report never carries the phone). Their devices and the reports linked to them share it;
 * the sync scope lets every device of the person read a report whose server field `personId` is theirs.
 *
 * Finding the reports to link must not scan the whole report or contact store at each verification:
 * the storage answers point reads only (no range query), so the index is a few BUCKET documents, one
 * per key, read with one `getMany` at verification:
 *   `phone|<tenant>|<phone>`  → the reports whose contact names that phone (written when contacts are pushed);
 *   `author|<tenant>|<sub>`   → the reports a resident's device filed (written when reports are pushed).
 * A bucket is a hint, never trusted alone: the contact is read again and its phone compared before a
 * report is claimed (a contact's phone may have been edited since). Buckets stay small: a resident
 * files a few reports a year; volunteers' own devices are not indexed (they never verify; their
 * filings are claimed by the villager's phone).
 *
 * What a person gets is only what they really filed: the reports of their own verified devices, and
 * a volunteer's assisted filing for them (`assistedBy`, the villager's consent on the contact). A
 * phone typed into a resident's contact proves nothing — anyone can type anyone's number — so it
 * links nothing: otherwise a stranger could push reports into a person's account and learn, from the
 * `personId` coming back, which phones are verified.
 *
 * Who wins when a report could belong to two people: the phone in its contact (the villager's claim)
 * over the device that filed it. So a phone match sets `personId` whatever it was; a device's own
 * report gets it only when it has none yet.
 */

/** One verified phone of a tenant; `_id` = `phone|<tenant>|<phone>`, so two verifications never make two people. */
export interface PersonDoc extends StoredDoc {
	id: string;
	tenantId: string;
	phone: string;
	personId: string;
	/** Principals (`device:<uuid>`) of the devices verified with this phone. */
	deviceIds: string[];
	createdAt: string;
	updatedAt: string;
}

export interface LinkEntry {
	reportId: string;
	contactId?: string;
}

export interface LinkBucket extends StoredDoc {
	id: string;
	tenantId: string;
	entries: LinkEntry[];
	updatedAt: string;
}

const personKey = (tenantId: string, phone: string) => `phone|${tenantId}|${phone}`;
const phoneBucketKey = (tenantId: string, phone: string) => `phone|${tenantId}|${phone}`;
const authorBucketKey = (tenantId: string, sub: string) => `author|${tenantId}|${sub}`;

const ATTEMPTS = 8;

/**
 * A contact that may claim its report for the person of its phone: the villager's, stored by a
 * volunteer with their consent (push.service refuses a volunteer's contact without it). Buckets
 * written before this rule may name residents' contacts: they are read here and left alone.
 */
const isVillagerClaim = (c: Contact) => !c._deleted && c.consent === true && c.authorId.startsWith('staff:');

export interface PersonLinksDeps {
	reports: Store<Report>;
	contacts: Store<Contact>;
	people: Store<PersonDoc>;
	index: Store<LinkBucket>;
	now?: () => Date;
}

export function createPersonLinks(deps: PersonLinksDeps) {
	const now = deps.now ?? (() => new Date());

	/** Adds entries to buckets (read, merge, write at that revision; again on a concurrent write). */
	async function addToBuckets(adds: Map<string, { tenantId: string; entries: LinkEntry[] }>): Promise<void> {
		let pending = [...adds.keys()];
		for (let attempt = 0; attempt < ATTEMPTS && pending.length; attempt++) {
			const current = await deps.index.getMany(pending);
			const writes: { doc: LinkBucket; rev: string | null }[] = [];
			for (const key of pending) {
				const cur = current.get(key);
				const have = new Set((cur?.doc.entries ?? []).map((e) => `${e.reportId}|${e.contactId ?? ''}`));
				const fresh = adds.get(key)!.entries.filter((e) => !have.has(`${e.reportId}|${e.contactId ?? ''}`));
				// Already indexed (a retried push): no write.
				if (!fresh.length) continue;
				writes.push({
					doc: {
						id: key,
						tenantId: adds.get(key)!.tenantId,
						entries: [...(cur?.doc.entries ?? []), ...fresh],
						updatedAt: now().toISOString()
					},
					rev: cur?.rev ?? null
				});
			}
			const results = await deps.index.bulkPut(writes);
			pending = [];
			results.forEach((res, i) => {
				if (res.ok) return;
				if (!res.conflict) throw new Error(`Could not index ${writes[i].doc.id}: ${res.error}`);
				pending.push(writes[i].doc.id);
			});
		}
		if (pending.length) throw new Error(`Could not index ${pending.length} link buckets after ${ATTEMPTS} attempts`);
	}

	/**
	 * Writes `personId` on reports: `claims` (a phone match) whatever they held, but only on an assisted
	 * filing (`assistedBy`: the consent was checked when its contact was pushed); `fills` (a device's own
	 * reports) only when they have none and were filed by one of `authors`. Each report is written at
	 * the revision it was read (the re-derivation and markSeen write reports too and keep every other
	 * field, so neither loses the other's change); a conflict reads it again. Answers the ids that now
	 * carry `personId`.
	 */
	async function setPersonId(
		tenantId: string,
		personId: string,
		claims: Set<string>,
		fills: Set<string> = new Set(),
		authors: Set<string> = new Set()
	): Promise<string[]> {
		const linked = new Set<string>();
		let pending = [...new Set([...claims, ...fills])];
		for (let attempt = 0; attempt < ATTEMPTS && pending.length; attempt++) {
			const current = await deps.reports.getMany(pending);
			const writes: { doc: Report; rev: string }[] = [];
			for (const [id, { doc, rev }] of current) {
				if (doc.tenantId !== tenantId) continue;
				if (doc.personId === personId) {
					linked.add(id);
					continue;
				}
				const wanted = (claims.has(id) && !!doc.assistedBy) || (!doc.personId && authors.has(doc.authorId));
				if (wanted) writes.push({ doc: { ...doc, personId, updatedAt: now().toISOString() }, rev });
			}
			const results = await deps.reports.bulkPut(writes);
			pending = [];
			results.forEach((res, i) => {
				if (res.ok) return void linked.add(res.id);
				if (!res.conflict) throw new Error(`Could not link report ${res.id}: ${res.error}`);
				pending.push(writes[i].doc.id);
			});
		}
		if (pending.length) throw new Error(`Could not link reports ${pending.join(', ')} after ${ATTEMPTS} attempts`);
		return [...linked];
	}

	return {
		setPersonId,

		/**
		 * Called by the push service with the documents a push stored or confirmed (a retried push
		 * included, so an index write that failed once is made by the retry). Reports: indexed by their
		 * resident author. A volunteer's contacts (the villager's, with consent): indexed by phone, and
		 * claimed at once when that phone is verified already. A resident's contact links nothing.
		 */
		async afterPush(p: Principal, collection: SyncCollection, docs: StoredDoc[]): Promise<void> {
			if (collection === 'reports') {
				if (p.role !== 'resident') return;
				const mine = (docs as unknown as Report[]).filter((r) => r.authorId === p.sub && !r._deleted);
				if (!mine.length) return;
				const key = authorBucketKey(p.tenantId, p.sub);
				await addToBuckets(new Map([[key, { tenantId: p.tenantId, entries: mine.map((r) => ({ reportId: r.id })) }]]));
				return;
			}
			if (collection !== 'contacts' || p.role !== 'volunteer') return;
			const byPhone = new Map<string, { tenantId: string; entries: LinkEntry[] }>();
			for (const c of docs as unknown as Contact[]) {
				const phone = c._deleted || !isVillagerClaim(c) ? null : canonicalPhone(c.phone);
				if (!phone) continue;
				const key = phoneBucketKey(c.tenantId, phone);
				if (!byPhone.has(key)) byPhone.set(key, { tenantId: c.tenantId, entries: [] });
				byPhone.get(key)!.entries.push({ reportId: c.reportId, contactId: c.id });
			}
			if (!byPhone.size) return;
			// Index first, then look for the person: a verification running at the same time creates the
			// person before it reads the index, so one of the two always sees the other.
			await addToBuckets(byPhone);
			const people = await deps.people.getMany([...byPhone.keys()]);
			for (const [key, { doc: person }] of people) {
				const claims = new Set(byPhone.get(key)!.entries.map((e) => e.reportId));
				await setPersonId(person.tenantId, person.personId, claims);
			}
		},

		/** The person of a verified phone (creating it on first verification) with this device added. */
		async ensurePerson(tenantId: string, phone: string, deviceSub: string): Promise<{ person: PersonDoc; created: boolean }> {
			const key = personKey(tenantId, phone);
			for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
				const cur = (await deps.people.getMany([key])).get(key);
				const at = now().toISOString();
				if (cur && cur.doc.deviceIds.includes(deviceSub)) return { person: cur.doc, created: false };
				const doc: PersonDoc = cur
					? { ...cur.doc, deviceIds: [...cur.doc.deviceIds, deviceSub], updatedAt: at }
					: { id: key, tenantId, phone, personId: `person:${randomUUID()}`, deviceIds: [deviceSub], createdAt: at, updatedAt: at };
				const [res] = await deps.people.bulkPut([{ doc, rev: cur?.rev ?? null }]);
				if (res.ok) return { person: doc, created: !cur };
				if (!res.conflict) throw new Error(`Could not store person: ${res.error}`);
			}
			throw new Error(`Could not store person after ${ATTEMPTS} attempts`);
		},

		/**
		 * After a verification: links the reports whose contact names the phone and the reports filed by
		 * the person's devices (filed before they were verified). Answers the ids of the reports linked.
		 */
		async linkVerified(person: PersonDoc): Promise<string[]> {
			const phoneKey = phoneBucketKey(person.tenantId, person.phone);
			const authorKeys = person.deviceIds.map((d) => authorBucketKey(person.tenantId, d));
			const buckets = await deps.index.getMany([phoneKey, ...authorKeys]);
			const phoneEntries = buckets.get(phoneKey)?.doc.entries ?? [];
			const contacts = await deps.contacts.getMany(phoneEntries.flatMap((e) => (e.contactId ? [e.contactId] : [])));
			const claims = new Set<string>();
			for (const e of phoneEntries) {
				const c = e.contactId ? contacts.get(e.contactId)?.doc : undefined;
				if (c && isVillagerClaim(c) && c.reportId === e.reportId && c.tenantId === person.tenantId && canonicalPhone(c.phone) === person.phone)
					claims.add(e.reportId);
			}
			const fills = new Set(authorKeys.flatMap((k) => (buckets.get(k)?.doc.entries ?? []).map((e) => e.reportId)));
			return setPersonId(person.tenantId, person.personId, claims, fills, new Set(person.deviceIds));
		}
	};
}
export type PersonLinks = ReturnType<typeof createPersonLinks>;
