import type { ServerResponse } from 'node:http';
import type { Ticket } from '$lib/domain/ticket';
import type { StreamLimits } from '../sync/stream.service';
import type { OfficeQueue } from './office-queue';
import type { OfficeBoard } from './ticket-view.service';

/**
 * The office's board, live (SSE): the TV at the office, the counters' screens and residents following
 * their number all read it. It follows the tickets' changes feed (every instance's writes), so a call
 * at any instance reaches every board within the batching window. Each message is the whole board
 * (small: the counters, the last calls, the waiting counts), so a board that missed one is whole
 * again at the next. Public: numbers only, as GET …/board.
 */

/** Calls within this window go out as one board. */
const BATCH_MS = 40;
/** A board stream ends after this long; the EventSource reconnects at once (every stream expires). */
const STREAM_TTL_MS = 60 * 60_000;

export function createBoardStreams(deps: {
	queue: OfficeQueue;
	board: (officeId: string) => Promise<OfficeBoard>;
	limits: StreamLimits;
	heartbeatMs: number;
	onError: (err: unknown) => void;
}) {
	const byOffice = new Map<string, Set<ServerResponse>>();
	const timers = new Map<string, NodeJS.Timeout>();
	let unsubscribe: (() => void) | null = null;

	async function send(officeId: string, to: Iterable<ServerResponse>) {
		const body = `data: ${JSON.stringify(await deps.board(officeId))}\n\n`;
		for (const res of to) res.write(body);
	}

	function onTicket(t: Ticket) {
		if (!byOffice.get(t.officeId)?.size || t.day !== deps.queue.today() || timers.has(t.officeId)) return;
		timers.set(
			t.officeId,
			setTimeout(() => {
				timers.delete(t.officeId);
				const subs = byOffice.get(t.officeId);
				if (subs?.size) send(t.officeId, subs).catch(deps.onError);
			}, BATCH_MS)
		);
	}

	return {
		/** Takes over the response (the office exists: the caller checked). Throws 429 past the address's cap. */
		attach(officeId: string, address: string, res: ServerResponse): void {
			const release = deps.limits.admit(`board:${address}`, address);
			unsubscribe ??= deps.queue.onTicket(onTicket);
			res.writeHead(200, {
				'content-type': 'text/event-stream; charset=utf-8',
				'cache-control': 'no-cache, no-transform',
				connection: 'keep-alive',
				'x-accel-buffering': 'no'
			});
			res.write('retry: 2000\n\n');
			const subs = byOffice.get(officeId) ?? new Set();
			byOffice.set(officeId, subs);
			subs.add(res);
			send(officeId, [res]).catch(deps.onError);
			// A named event, not an SSE comment: the page sees it, and a stream silent for three of them is
			// stalled (a link gone without the device noticing) — the page says so and opens a new one.
			const heartbeat = setInterval(() => res.write('event: ping\ndata: 1\n\n'), deps.heartbeatMs);
			const expiry = setTimeout(() => res.end(), STREAM_TTL_MS);
			let ended = false;
			const done = () => {
				if (ended) return;
				ended = true;
				clearInterval(heartbeat);
				clearTimeout(expiry);
				subs.delete(res);
				release();
			};
			res.on('close', done);
			res.on('error', done);
		},
		close(): void {
			for (const t of timers.values()) clearTimeout(t);
			timers.clear();
			unsubscribe?.();
			for (const subs of byOffice.values()) for (const res of subs) res.end();
			byOffice.clear();
		}
	};
}
export type BoardStreams = ReturnType<typeof createBoardStreams>;
