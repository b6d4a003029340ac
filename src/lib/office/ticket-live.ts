import { resolveOrigin } from '../sync/api';

/**
 * Following an office's board while a ticket page is open: every board message (a call, a new
 * ticket, a cancel anywhere in the office) means "look again", and the page refetches its ticket —
 * at most once per `minGapMs`, so a busy office (a board every 40 ms) costs one request a second, and
 * the last change of a burst is never missed (a trailing call). The EventSource reconnects by itself
 * after a blip; one the browser gave up on (closed) is opened again when the network returns.
 */

export const MIN_GAP_MS = 1_000;

/** Calls `fn` at once, then at most once per `gapMs`; a call in between runs once at the end of the gap. */
export function throttled(fn: () => void, gapMs: number, now: () => number = Date.now): { call: () => void; cancel: () => void } {
	let last = -Infinity;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const fire = () => {
		timer = undefined;
		last = now();
		fn();
	};
	return {
		call() {
			if (timer !== undefined) return;
			const wait = last + gapMs - now();
			if (wait <= 0) fire();
			else timer = setTimeout(fire, wait);
		},
		cancel() {
			clearTimeout(timer);
			timer = undefined;
		}
	};
}

/** What the board stream sends that the ticket page reads (sync-server/office/ticket-view.service.ts `OfficeBoard`). */
export interface BoardMessage {
	day: string;
	counters: { id: string; number: number; serving: { number: string; calledAt: string } | null }[];
}

/** The counter number serving `number` on the board, if it is being served now. */
export function counterServing(board: BoardMessage | null, number: string): number | undefined {
	return board?.counters.find((c) => c.serving?.number === number)?.number;
}

/**
 * `onBoard` gets each board as it comes (the page can say "come to counter 3" at once, before its
 * throttled refetch of the ticket); `onChange` is the throttled refetch.
 */
export function followBoard(
	officeId: string,
	onChange: () => void,
	opts: { origin?: string; minGapMs?: number; onOpen?: (open: boolean) => void; onBoard?: (board: BoardMessage) => void } = {}
): () => void {
	const url = `${resolveOrigin(opts.origin)}/api/office/offices/${encodeURIComponent(officeId)}/board/stream`;
	const change = throttled(onChange, opts.minGapMs ?? MIN_GAP_MS);
	let source: EventSource | null = null;
	const open = () => {
		source?.close();
		source = new EventSource(url);
		source.onmessage = (ev: MessageEvent<string>) => {
			try {
				opts.onBoard?.(JSON.parse(ev.data) as BoardMessage);
			} catch {
				// Not a board (a proxy's garbage): the refetch below still tells the truth.
			}
			change.call();
		};
		source.onopen = () => opts.onOpen?.(true);
		source.onerror = () => opts.onOpen?.(false);
	};
	const onOnline = () => {
		if (!source || source.readyState === EventSource.CLOSED) open();
	};
	open();
	window.addEventListener('online', onOnline);
	return () => {
		window.removeEventListener('online', onOnline);
		change.cancel();
		source?.close();
		source = null;
		opts.onOpen?.(false);
	};
}
