import { resolveOrigin } from '../sync/api';
import type { BoardCall } from './board-calls';

/**
 * The office board, live: the SSE stream `GET /api/office/offices/:office/board/stream` sends the
 * whole board at connect and after every change. The TV, the counter page and a resident's ticket
 * follow it. EventSource reconnects by itself after a network blip; after a refusal (the server down
 * behind a proxy answering 502, too many streams) it stops for good, so it is opened again here after
 * a pause; a stream gone silent (no ping for STALE_MS) is replaced.
 */

export interface OfficeBoardData {
	officeId: string;
	day: string;
	counters: { id: string; number: number; staffed: boolean; serving: { number: string; calledAt: string; recalls: number } | null }[];
	/** The last calls (a recall counts), newest first. */
	calls: BoardCall[];
	waiting: { serviceId: string; count: number }[];
	updatedAt: string;
}

export type LinkState = 'connecting' | 'open' | 'lost';

const REOPEN_MS = 5_000;
/**
 * The server pings every 15 s (half its idle timeout; sync-server/office/board-stream.ts): a stream
 * silent for this long is stalled — a link gone without the device noticing — and is replaced.
 */
export const STALE_MS = 45_000;

export const boardUrl = (officeId: string) => `${resolveOrigin()}/api/office/offices/${encodeURIComponent(officeId)}/board`;

/** Follows the office's board until the returned function is called. */
export function followBoard(
	officeId: string,
	on: { board: (b: OfficeBoardData) => void; link: (s: LinkState) => void; missing?: () => void },
	staleMs = STALE_MS
): () => void {
	let source: EventSource | null = null;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let watchdog: ReturnType<typeof setTimeout> | null = null;
	let stopped = false;

	/** Heard from the server: the stream is alive for another `staleMs`. */
	function alive() {
		if (watchdog) clearTimeout(watchdog);
		watchdog = setTimeout(() => {
			watchdog = null;
			if (stopped) return;
			on.link('lost');
			open();
		}, staleMs);
	}

	function open() {
		if (stopped) return;
		source?.close();
		const es = new EventSource(`${boardUrl(officeId)}/stream`);
		source = es;
		on.link('connecting');
		alive();
		es.addEventListener('ping', alive);
		es.onmessage = (e) => {
			alive();
			let b: OfficeBoardData;
			try {
				b = JSON.parse(e.data) as OfficeBoardData;
			} catch {
				return; // a message cut by a proxy: the next one is whole
			}
			on.link('open');
			on.board(b);
		};
		es.onerror = () => {
			on.link('lost');
			if (es.readyState !== EventSource.CLOSED || stopped) return;
			// Refused for good by the browser: find out whether the office exists, then try again later.
			timer = setTimeout(async () => {
				timer = null;
				const status = await fetch(boardUrl(officeId), { cache: 'no-store' }).then((r) => r.status, () => 0);
				if (status === 404 && on.missing) {
					on.missing();
					return;
				}
				open();
			}, REOPEN_MS);
		};
	}

	// A stream cut by a lost link may hang for minutes before the browser notices: when the device
	// knows it is offline, the board says so at once, and opens a new stream the moment it is back.
	const offline = () => {
		if (timer) clearTimeout(timer);
		timer = null;
		source?.close();
		on.link('lost');
	};
	const online = () => {
		if (source?.readyState === EventSource.CLOSED && !timer) open();
	};
	open();
	addEventListener('online', online);
	addEventListener('offline', offline);
	return () => {
		stopped = true;
		if (timer) clearTimeout(timer);
		if (watchdog) clearTimeout(watchdog);
		source?.close();
		removeEventListener('online', online);
		removeEventListener('offline', offline);
	};
}

/** `fn` at most once per `ms`: the first call at once, the last of a burst at the end of the window. */
export function throttle(fn: () => void, ms: number): { (): void; cancel(): void } {
	let last = -Infinity;
	let timer: ReturnType<typeof setTimeout> | null = null;
	const run = () => {
		timer = null;
		last = Date.now();
		fn();
	};
	const throttled = () => {
		if (timer) return;
		const wait = last + ms - Date.now();
		if (wait <= 0) run();
		else timer = setTimeout(run, wait);
	};
	throttled.cancel = () => {
		if (timer) clearTimeout(timer);
		timer = null;
	};
	return throttled;
}
