import type { ServerResponse } from 'node:http';
import type { PullResponse, SyncCollection } from '../../src/lib/domain/sync-protocol';
import type { Principal } from '../auth/principal';
import type { Change, Store, StoredDoc } from '../storage/storage';
import type { Scope } from './scope';

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
	onError: (err: unknown) => void
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

		/** Takes over the response: SSE headers, `RESYNC` first, then batches and heartbeats. */
		attach(p: Principal, res: ServerResponse) {
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
			const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
			const done = () => {
				clearInterval(heartbeat);
				subscribers.delete(sub);
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
