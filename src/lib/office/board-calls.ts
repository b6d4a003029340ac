/**
 * Which calls of the office board are new, to be announced: pure, so the TV's rules are tested
 * without a TV. The board lists each ticket's last call (a recall moves it up with a new `at`), newest
 * first; the board remembers the `at` of the last call it announced.
 */

export interface BoardCall {
	number: string;
	counter: number;
	at: string;
}

/** A call older than this when the board first sees it is history (the TV was off): not said aloud. */
export const STALE_CALL_MS = 60_000;

/**
 * Calls to announce, oldest first: those after `lastAnnounced`, and not stale by the server's clock
 * (`serverNow`, the board's `updatedAt`: a TV whose own clock is wrong still decides right). With no
 * `lastAnnounced` (a board never run), nothing: the calls already on it were made before it came.
 */
export function newCalls(calls: BoardCall[], lastAnnounced: string | null, serverNow: string, staleMs = STALE_CALL_MS): BoardCall[] {
	if (lastAnnounced === null) return [];
	const since = Date.parse(serverNow) - staleMs;
	return calls.filter((c) => c.at > lastAnnounced && Date.parse(c.at) >= since).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** The newest `at` of the calls (or `previous` when none is newer): what the board remembers as announced. */
export function latestCallAt(calls: BoardCall[], previous: string | null): string | null {
	let last = previous;
	for (const c of calls) if (last === null || c.at > last) last = c.at;
	return last;
}
