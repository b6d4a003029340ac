import type { ApplicationStatus, StoredApplication } from '$lib/domain/dossier-application';
import type { Store, StoredDoc } from '../storage/storage';

/**
 * Where to find applications without reading them all: one tiny document per key in
 * `dossier-application-index`, read by key range (`idsInRange`) —
 *   o|<office>|<status>|<receivedAt>|<id>   the office's queue, oldest first per status
 *   a|<author>|<id>                          an author's own (ids are UUIDv7: in order of creation)
 *   p|<person>|<id>                          a verified resident's, whichever device filed
 * An entry only points: every read resolves it through the application itself and drops what no
 * longer matches (a status moved on, an application whose write failed), so a stale entry is
 * harmless and a write never has to be atomic across the two stores.
 */

export interface IndexEntry extends StoredDoc {
	id: string;
}

/** A page of an index range, enough for any office's open queue or anyone's own applications. */
const RANGE_LIMIT = 500;

export const officeKey = (a: Pick<StoredApplication, 'officeId' | 'status' | 'receivedAt' | 'id'>) => `o|${a.officeId}|${a.status}|${a.receivedAt}|${a.id}`;
const authorKey = (a: Pick<StoredApplication, 'authorId' | 'id'>) => `a|${a.authorId}|${a.id}`;
const personKey = (personId: string, id: string) => `p|${personId}|${id}`;
const lastPart = (key: string) => key.slice(key.lastIndexOf('|') + 1);

export function createApplicationIndex(store: Store<IndexEntry>) {
	async function put(keys: string[]): Promise<void> {
		const results = await store.bulkPut(keys.map((id) => ({ doc: { id } })));
		const failed = results.find((r) => !r.ok);
		if (failed && !failed.ok) throw new Error(`application index: ${failed.error}`);
	}

	async function range(prefix: string): Promise<string[]> {
		return (await store.idsInRange({ start: prefix, end: `${prefix}~`, limit: RANGE_LIMIT })).map(lastPart);
	}

	return {
		/** Every key of a new application (written before it, so no stored application is ever unfindable). */
		add: (a: StoredApplication) => put([officeKey(a), authorKey(a), ...(a.personId ? [personKey(a.personId, a.id)] : [])]),
		/** The office's key after a move; the old one is dropped best-effort (a leftover is filtered out on read). */
		async moved(before: StoredApplication, after: StoredApplication): Promise<void> {
			if (officeKey(before) === officeKey(after)) return;
			await put([officeKey(after)]);
			const old = (await store.getMany([officeKey(before)])).get(officeKey(before));
			if (old) await store.bulkPut([{ doc: { ...old.doc, _deleted: true }, rev: old.rev }]).catch(() => undefined);
		},
		/** Ids in the office's queue with this status, oldest received first. */
		ofOffice: (officeId: string, status: ApplicationStatus) => range(`o|${officeId}|${status}|`),
		/** Ids an author filed, or a verified person's devices filed, oldest first. */
		async ofOwner(authorId: string, personId?: string): Promise<string[]> {
			const [mine, theirs] = await Promise.all([range(`a|${authorId}|`), personId ? range(`p|${personId}|`) : []]);
			return [...new Set([...mine, ...theirs])].sort();
		}
	};
}
export type ApplicationIndex = ReturnType<typeof createApplicationIndex>;

/** `<office>|<day>|<seq, 4 digits>`, create-only: the number is the claim (as ticket-numbers.ts). */
export interface SeqClaim extends StoredDoc {
	applicationId: string;
	at: string;
	/** The acceptance that claimed it lost to another: the number stays issued, unused. */
	voided?: boolean;
}

export function createDossierSeq(store: Store<SeqClaim>) {
	return {
		/** The next free number of the office's day, claimed for the application (a retry finds its own). */
		async claim(officeId: string, day: string, applicationId: string, at: string): Promise<number> {
			const prefix = `${officeId}|${day}|`;
			let after: string | null = null;
			let last = 0;
			for (;;) {
				const ids = await store.idsInRange({ start: prefix, end: `${prefix}~`, limit: 500, after });
				if (!ids.length) break;
				last = Number(ids[ids.length - 1].slice(prefix.length));
				after = ids[ids.length - 1];
			}
			for (let seq = last + 1, round = 0; round < 50; seq++, round++) {
				const id = `${prefix}${String(seq).padStart(4, '0')}`;
				const [r] = await store.bulkPut([{ doc: { id, applicationId, at }, rev: null }]);
				if (r.ok) return seq;
				if (!r.conflict) throw new Error(`dossier sequence: ${r.error}`);
				if ((await store.get(id))?.applicationId === applicationId) return seq;
			}
			throw new Error('dossier sequence: too much contention');
		},
		async void(officeId: string, day: string, seq: number): Promise<void> {
			const id = `${officeId}|${day}|${String(seq).padStart(4, '0')}`;
			const held = (await store.getMany([id])).get(id);
			if (held) await store.bulkPut([{ doc: { ...held.doc, voided: true }, rev: held.rev }]);
		}
	};
}
export type DossierSeq = ReturnType<typeof createDossierSeq>;
