import { apiFetch } from '../sync/api';
import { boardUrl, type OfficeBoardData } from './board-live';

/**
 * "How many people wait at this office now", for /offices: read from the office's public board
 * (`GET /api/office/offices/:office/board`: numbers and counts only, nobody's identity), the sum
 * of its per-service waiting counts. The last figure read is kept on the device with its time, so
 * the page offline can say what it was and when, never passing it off as current.
 */

export interface QueueFigure {
	waiting: number;
	/** When it was read (ms). */
	at: number;
}

/** What a page knows of an office's queue: live when online, else the last figure kept, if any. */
export type QueueState = { kind: 'loading' } | { kind: 'live'; figure: QueueFigure } | { kind: 'offline' | 'failed'; last?: QueueFigure };

const KEY = 'caunoi.offices.queue';

export function waitingOf(board: Pick<OfficeBoardData, 'waiting'>): number {
	return board.waiting.reduce((n, w) => n + (Number.isFinite(w.count) && w.count > 0 ? w.count : 0), 0);
}

/** The figures kept from the last time the page was online, by office id. */
export function lastFigures(): Record<string, QueueFigure> {
	try {
		const raw = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '{}') as Record<string, QueueFigure>;
		return raw && typeof raw === 'object' ? raw : {};
	} catch {
		return {};
	}
}

function keep(officeId: string, figure: QueueFigure): void {
	try {
		globalThis.localStorage?.setItem(KEY, JSON.stringify({ ...lastFigures(), [officeId]: figure }));
	} catch {
		// A full or disabled storage: the figure is shown, just not kept.
	}
}

/** Reads the office's queue now (throws ApiFailure, e.g. `network`), and keeps the figure. */
export async function readQueue(officeId: string, signal?: AbortSignal): Promise<QueueFigure> {
	const board = await apiFetch<OfficeBoardData>(boardUrl(officeId), { signal, timeoutMs: 15_000 });
	const figure = { waiting: waitingOf(board), at: Date.now() };
	keep(officeId, figure);
	return figure;
}
