import type { ServerResponse } from 'node:http';
import type { PullResponse, SyncCollection } from '$lib/domain/sync-protocol';
import type { Principal } from '$lib/domain/principal';
import { ApiError } from '../http/api-error';
import type { Change, Store, StoredDoc } from '../storage/storage';
import type { Scope } from '../access/scope';

export const HEARTBEAT_MS = 20_000;
/** Changes that arrive within this window go out as one batch. */
const BATCH_MS = 15;

interface Subscriber {
	p: Principal;
	res: ServerResponse;
}

/**
 * Live fan-out of one collection over SSE. It follows the database's changes feed (not this
 * process's own writes), so several instances on one CouchDB all see every write. Each batch is
 * checked against every subscriber's scope; one sees only the documents it may read.
 */
export function createStreamHub(
	collection: SyncCollection,
	store: Store<StoredDoc>,
	scope: Scope,
	onError: (err: unknown) => void,
	/** Below the server's idle socket timeout, or a quiet stream would be closed as idle. */
	heartbeatMs = HEARTBEAT_MS
) {
	const subscribers = new Set<Subscriber>();
	let pending: Change[] = [];
	let timer: NodeJS.Timeout | null = null;
	// Batches go out in order even though scoping them is async.
	let chain: Promise<void> = Promise.resolve();
	let unsubscribe: (() => void) | null = null;

	async function flush(batch: Change[]) {
		if (!subscribers.size) return;
		const docs = batch.flatMap((c) => (c.doc && !c.id.startsWith('_') ? [c.doc] : []));
		const checkpoint = { seq: batch[batch.length - 1].seq };
		const view = await scope.prepareView(collection, docs);
		for (const s of subscribers) {
			const mine = docs.flatMap((d) => view(s.p, d) ?? []);
			if (!mine.length) continue;
			const body: PullResponse<StoredDoc> = { documents: mine, checkpoint };
			s.res.write(`data: ${JSON.stringify(body)}\n\n`);
		}
	}

	function onChange(c: Change) {
		pending.push(c);
		timer ??= setTimeout(() => {
			timer = null;
			const batch = pending;
			pending = [];
			chain = chain.then(() => flush(batch)).catch(onError);
		}, BATCH_MS);
	}

	return {
		/** Starts following the changes feed now, so nothing written after this is missed. */
		async start() {
			unsubscribe ??= store.subscribe(onChange);
			await store.follow();
		},

		/**
		 * Takes over the response: SSE headers, `RESYNC` first, then batches and heartbeats, until the
		 * device goes or `expiresAt` (ms) passes: a stream never outlives its token. The device's
		 * EventSource reconnects, is refused with the expired token and opens again with a fresh one
		 * (src/lib/sync/replication.ts). `onEnd` runs once when the stream ends, however it ends.
		 */
		attach(p: Principal, res: ServerResponse, opts: { expiresAt?: number; onEnd?: () => void } = {}) {
			res.writeHead(200, {
				'content-type': 'text/event-stream; charset=utf-8',
				'cache-control': 'no-cache, no-transform',
				connection: 'keep-alive',
				// Reverse proxies (nginx) must not buffer the stream.
				'x-accel-buffering': 'no'
			});
			// RESYNC makes the device pull from its checkpoint: whatever it missed while it was away.
			res.write('retry: 3000\n\ndata: "RESYNC"\n\n');
			const sub: Subscriber = { p, res };
			subscribers.add(sub);
			const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
			// setTimeout fires at once past 2^31 - 1 ms (~24 days).
			const expiry =
				opts.expiresAt === undefined ? null : setTimeout(() => res.end(), Math.min(Math.max(0, opts.expiresAt - Date.now()), 2 ** 31 - 1));
			let ended = false;
			const done = () => {
				clearInterval(heartbeat);
				if (expiry) clearTimeout(expiry);
				subscribers.delete(sub);
				if (!ended) (ended = true), opts.onEnd?.();
			};
			res.on('close', done);
			res.on('error', done);
		},

		/** Ends every stream (server shutdown): devices reconnect elsewhere and RESYNC. */
		close() {
			if (timer) clearTimeout(timer);
			unsubscribe?.();
			for (const s of subscribers) s.res.end();
			subscribers.clear();
		},

		get size() {
			return subscribers.size;
		}
	};
}
export type StreamHub = ReturnType<typeof createStreamHub>;

/**
 * Caps on live streams, shared by every collection's hub: per identity (token subject; the app opens
 * one stream per collection and tab) and per client address. 0 = no cap. A stream past a cap is
 * refused before it starts, with 429 `rate_limited`; the device's EventSource retries with backoff.
 */
export function createStreamLimits(opts: { perIdentity: number; perAddress: number }) {
	const byIdentity = new Map<string, number>();
	const byAddress = new Map<string, number>();
	const count = (m: Map<string, number>, k: string, d: number) => {
		const n = (m.get(k) ?? 0) + d;
		if (n > 0) m.set(k, n);
		else m.delete(k);
	};
	return {
		/** Takes a place for a stream, or throws 429; the returned function gives it back (once). */
		admit(identity: string, address: string): () => void {
			const over = (m: Map<string, number>, k: string, max: number) => max > 0 && (m.get(k) ?? 0) >= max;
			if (over(byIdentity, identity, opts.perIdentity) || over(byAddress, address, opts.perAddress))
				throw new ApiError(
					429,
					'rate_limited',
					'Quá nhiều kết nối trực tiếp, vui lòng đóng bớt thẻ / Too many live connections: close some tabs or wait a minute'
				);
			count(byIdentity, identity, 1);
			count(byAddress, address, 1);
			let released = false;
			return () => {
				if (released) return;
				released = true;
				count(byIdentity, identity, -1);
				count(byAddress, address, -1);
			};
		}
	};
}
export type StreamLimits = ReturnType<typeof createStreamLimits>;
