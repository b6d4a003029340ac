import { followBoard as followBoardStream, throttle } from './board-live';

/**
 * Following an office's board while a ticket page is open: every board message (a call, a new
 * ticket, a cancel anywhere in the office) means "look again", and the page refetches its ticket —
 * at most once per `minGapMs`, so a busy office (a board every 40 ms) costs one request a second, and
 * the last change of a burst is never missed (a trailing call).
 */

export const MIN_GAP_MS = 1_000;

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
 * throttled refetch of the ticket); `onChange` is the throttled refetch. The stream is board-live.ts's:
 * it reconnects after a blip, a refusal or a silent stall.
 */
export function followBoard(
	officeId: string,
	onChange: () => void,
	opts: { minGapMs?: number; onOpen?: (open: boolean) => void; onBoard?: (board: BoardMessage) => void } = {}
): () => void {
	const change = throttle(onChange, opts.minGapMs ?? MIN_GAP_MS);
	const stop = followBoardStream(officeId, {
		board: (b) => {
			opts.onBoard?.(b);
			change();
		},
		link: (state) => opts.onOpen?.(state === 'open')
	});
	return () => {
		change.cancel();
		stop();
		opts.onOpen?.(false);
	};
}
