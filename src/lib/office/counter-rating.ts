import type { OfficialFigures } from '../domain/ticket';
import { apiFetch, resolveOrigin } from '../sync/api';
import type { TicketRow } from './ticket-rows';

/**
 * Ratings tied to a counter: the link a counter's QR code carries (/ticket/rate?office=…&counter=…),
 * which of the phone's tickets that link may rate, and the officials' figures the counter page reads
 * (GET /api/office/offices/:office/ratings, sync-server/office/rating-figures.ts; the shape is
 * domain/ticket.ts `OfficialFigures`, shared with the server). No zod: the ticket pages stay light.
 */

/** The link a counter's QR code carries. `pageUrl`: the absolute URL of /ticket/rate (origin + base). */
export function counterRateUrl(pageUrl: string, officeId: string, counterId: string): string {
	return `${pageUrl}?${new URLSearchParams({ office: officeId, counter: counterId })}`;
}

/** Tickets of this office still worth asking the server about: the phone's copy may say "waiting" while the counter finished it. */
export function worthRefreshing(rows: readonly TicketRow[], officeId: string): TicketRow[] {
	return rows.filter((r) => {
		const t = r.view.ticket;
		return t.officeId === officeId && !t.rating && t.status !== 'cancelled' && t.status !== 'no_show';
	});
}

/** The phone's tickets this counter served and finished, not yet rated: newest first. */
export function awaitingRating(rows: readonly TicketRow[], officeId: string, counterId: string): TicketRow[] {
	const at = (r: TicketRow) => r.view.ticket.finishedAt ?? r.view.ticket.takenAt;
	return rows
		.filter((r) => {
			const t = r.view.ticket;
			return t.officeId === officeId && t.counterId === counterId && t.status === 'finished' && !t.rating;
		})
		.sort((a, b) => (at(a) < at(b) ? 1 : at(a) > at(b) ? -1 : 0));
}

export const FIGURE_PERIODS = [7, 30, 90] as const;
export type FigurePeriod = (typeof FIGURE_PERIODS)[number];

/** One official's figures, as the server adds them up (domain/ticket.ts). */
export type OfficialFiguresData = OfficialFigures;

export interface RatingFiguresData {
	officeId: string;
	from: string;
	to: string;
	officials: OfficialFiguresData[];
}

/** An official's figures (a handler) or every official's of the office (a leader, admin): the server decides. */
export function fetchRatingFigures(token: string, officeId: string, days: number): Promise<RatingFiguresData> {
	return apiFetch<RatingFiguresData>(`${resolveOrigin()}/api/office/offices/${encodeURIComponent(officeId)}/ratings?days=${days}`, {
		token,
		timeoutMs: 15_000
	});
}

/** The account name of `staff:<username>` (all the figures carry: no personal data is added). */
export function officialName(officialId: string): string {
	return officialId.startsWith('staff:') ? officialId.slice('staff:'.length) : officialId;
}

/** "83 %": satisfaction as a whole percentage; null when nobody rated. */
export function satisfactionPercent(satisfaction: number | null): number | null {
	return satisfaction === null ? null : Math.round(satisfaction * 100);
}
