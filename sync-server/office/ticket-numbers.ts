import { MAX_SEQ } from '$lib/domain/office';
import type { Store, StoredDoc } from '../storage/storage';

/**
 * Ticket numbers: unique per office, day and service prefix, never duplicated and never skipped,
 * also with several sync-server instances writing one CouchDB.
 *
 * The scheme: a number IS a document. Claiming number `seq` of (office, day, prefix) is creating the
 * document `<office>|<day>|<prefix>|<seq, 3 digits>` in the `ticket-numbers` store, create-only. The
 * store refuses a second create of an id (409), on LevelDB and on CouchDB alike, so two instances
 * can never both hold one number: no duplicates, by the store, not by a lock of ours.
 *
 * No gaps: an instance claims the lowest numbers it believes free (its hint, learnt from the store's
 * ids on first use and from every answer since). A refused create means another instance holds that
 * number, which is therefore not a gap; the instance moves its hint past it and tries again. A create
 * that failed for another reason (the database down) leaves its number free, and the hint goes back
 * to it, so the next take fills it. Numbers are claimed in the order requests arrive, in batches (one
 * `_bulk_docs` for all the requests waiting on a key: 500 people tapping at 7:30 cost a few writes,
 * not 500 round trips one after another).
 *
 * On a CouchDB cluster (several nodes), two creates of one id that reach different nodes at the same
 * instant can both be accepted and stored as a conflict; the store answers the winning revision on
 * every read, so the loser is found by reading the claim back (`confirm`) before the number is given.
 */

export interface NumberClaim extends StoredDoc {
	/** `<office>|<day>|<prefix>|<seq>`. */
	id: string;
	ticketId: string;
	at: string;
	/**
	 * Set when the ticket that claimed the number got another one (the same request retried at two
	 * instances at once): the number stays issued, as void, so the day's sequence still has no hole.
	 */
	voided?: boolean;
}

export const claimPrefix = (officeId: string, day: string, prefix: string) => `${officeId}|${day}|${prefix}|`;
export const claimId = (officeId: string, day: string, prefix: string, seq: number) =>
	`${claimPrefix(officeId, day, prefix)}${String(seq).padStart(3, '0')}`;
export const seqOfClaim = (id: string) => Number(id.slice(id.lastIndexOf('|') + 1));

/** The numbers are all given out for the day. */
export class SoldOut extends Error {}

interface Waiter {
	ticketId: string;
	resolve(seq: number): void;
	reject(err: unknown): void;
}

/** At most this many numbers claimed in one write. */
const BATCH = 100;
/** Rounds a waiter may lose to other instances before its take fails (each round, others took numbers). */
const MAX_ROUNDS = 200;

export function createTicketNumbers(store: Store<NumberClaim>, now: () => Date = () => new Date()) {
	/** Per key: the lowest number not known to be taken. */
	const hints = new Map<string, number>();
	const queues = new Map<string, Waiter[]>();
	const running = new Set<string>();

	/** The lowest free number of a key, from the store: the first hole, or one past the highest. */
	async function lowestFree(key: string): Promise<number> {
		let expect = 1;
		let after: string | null = null;
		for (;;) {
			const ids = await store.idsInRange({ start: key, end: `${key}~`, limit: 500, after });
			for (const id of ids) {
				if (seqOfClaim(id) !== expect) return expect;
				expect++;
			}
			if (!ids.length) return expect;
			after = ids[ids.length - 1];
		}
	}

	async function run(key: string): Promise<void> {
		running.add(key);
		const rounds = new Map<Waiter, number>();
		try {
			for (let queue = queues.get(key); queue?.length; queue = queues.get(key)) {
				const batch = queue.splice(0, BATCH);
				let next: number;
				try {
					next = hints.get(key) ?? (await lowestFree(key));
				} catch (e) {
					for (const w of batch) w.reject(e);
					continue;
				}
				const start = next;
				const seqs = batch.map(() => next++);
				const usable = seqs.filter((s) => s <= MAX_SEQ).length;
				for (const w of batch.slice(usable)) w.reject(new SoldOut());
				const at = now().toISOString();
				const claims = batch.slice(0, usable).map((w, i) => ({ id: `${key}${String(seqs[i]).padStart(3, '0')}`, ticketId: w.ticketId, at }));
				let results: Awaited<ReturnType<typeof store.bulkPut>>;
				try {
					results = await store.bulkPut(claims.map((doc) => ({ doc, rev: null })));
				} catch (e) {
					hints.delete(key); // nothing is known to be written: read the store again next time
					for (const w of batch.slice(0, usable)) w.reject(e);
					continue;
				}
				let lowestUnwritten = Infinity;
				const retry: Waiter[] = [];
				// Taken: by another instance, or by this very ticket (its request retried after a claim whose
				// answer was lost): then the number is its own. One read for all of them.
				const taken = results.filter((r) => !r.ok && r.conflict).map((r) => r.id);
				const holders = taken.length ? await store.getMany(taken).catch(() => new Map()) : new Map();
				for (let i = 0; i < results.length; i++) {
					const r = results[i];
					const w = batch[i];
					if (r.ok) w.resolve(seqs[i]);
					else if (!r.conflict) {
						lowestUnwritten = Math.min(lowestUnwritten, seqs[i]);
						w.reject(new Error(r.error));
					} else if (holders.get(r.id)?.doc.ticketId === w.ticketId) w.resolve(seqs[i]);
					else if ((rounds.get(w) ?? 0) >= MAX_ROUNDS) w.reject(new Error('ticket number: too much contention'));
					else {
						rounds.set(w, (rounds.get(w) ?? 0) + 1);
						retry.push(w);
					}
				}
				hints.set(key, Math.min(lowestUnwritten, start + usable));
				// Those that lost a number go first next round: their request came before the others.
				if (retry.length) queues.set(key, [...retry, ...(queues.get(key) ?? [])]);
			}
		} finally {
			running.delete(key);
			queues.delete(key);
		}
	}

	return {
		/** Claims the next number of (office, day, prefix) for the ticket; SoldOut past MAX_SEQ. */
		claim(officeId: string, day: string, prefix: string, ticketId: string): Promise<number> {
			const key = claimPrefix(officeId, day, prefix);
			return new Promise<number>((resolve, reject) => {
				const queue = queues.get(key) ?? [];
				queue.push({ ticketId, resolve, reject });
				queues.set(key, queue);
				if (!running.has(key)) void run(key);
			});
		},
		/**
		 * Reads a claim back: whether the stored winner is this ticket's (on a CouchDB cluster a create
		 * can be accepted and then lose to a concurrent one on another node).
		 */
		async confirm(officeId: string, day: string, prefix: string, seq: number, ticketId: string): Promise<boolean> {
			return (await store.get(claimId(officeId, day, prefix, seq)))?.ticketId === ticketId;
		},
		/** The day's claims of an office (every prefix), in id order. */
		async claimsOf(officeId: string, day: string): Promise<NumberClaim[]> {
			const start = `${officeId}|${day}|`;
			const out: NumberClaim[] = [];
			let after: string | null = null;
			for (;;) {
				const ids = await store.idsInRange({ start, end: `${start}~`, limit: 500, after });
				if (!ids.length) return out;
				const docs = await store.getMany(ids);
				for (const id of ids) {
					const d = docs.get(id);
					if (d) out.push(d.doc);
				}
				after = ids[ids.length - 1];
			}
		}
	};
}
export type TicketNumbers = ReturnType<typeof createTicketNumbers>;
