import { apiFetch, resolveOrigin } from '../sync/api';

/**
 * The counter page's calls to the office API (sync-server/office/office.routes.ts), with the
 * official's token. The shapes are the server's (counter-queue.ts, ticket-view.service.ts), written
 * again here: the app never imports server code.
 */

export interface CounterTicketData {
	id: string;
	number: string;
	serviceId: string;
	status: string;
	priorityGroupId?: string;
	channel: 'app' | 'kiosk';
	queuedAt: string;
	slot?: { from: string; to: string };
	transferred: boolean;
	calledAt?: string;
	recalls: number;
}

export interface CounterQueueData {
	officeId: string;
	counterId: string;
	day: string;
	serving: CounterTicketData | null;
	waiting: CounterTicketData[];
	parked: CounterTicketData[];
	figures: { served: number; noShows: number; averageMinutes: number | null };
}

export type TicketAction = 'call' | 'recall' | 'park' | 'skip' | 'finish' | 'transfer';

const counterPath = (officeId: string, counterId: string) =>
	`${resolveOrigin()}/api/office/offices/${encodeURIComponent(officeId)}/counters/${encodeURIComponent(counterId)}`;


export const counterApi = {
	queue: (token: string, officeId: string, counterId: string) =>
		apiFetch<CounterQueueData>(`${counterPath(officeId, counterId)}/queue`, { token, timeoutMs: 15_000 }),
	/** Signs the official in to the counter (counter_taken, with the holder's name in the details, when held). */
	take: (token: string, officeId: string, counterId: string) =>
		apiFetch<{ session: unknown }>(`${counterPath(officeId, counterId)}/session`, { token, body: {}, timeoutMs: 15_000 }),
	leave: (token: string, officeId: string, counterId: string) =>
		apiFetch<{ ok: true }>(`${counterPath(officeId, counterId)}/session`, { method: 'DELETE', token, timeoutMs: 15_000 }),
	callNext: (token: string, officeId: string, counterId: string) =>
		apiFetch<{ ticket: { id: string; number: string } }>(`${counterPath(officeId, counterId)}/call-next`, { token, body: {}, timeoutMs: 15_000 }),
	act: (token: string, officeId: string, counterId: string, ticketId: string, action: TicketAction, body: { serviceId?: string; counterId?: string } = {}) =>
		apiFetch<{ ticket: { id: string; number: string } }>(`${counterPath(officeId, counterId)}/tickets/${encodeURIComponent(ticketId)}/${action}`, {
			token,
			body,
			timeoutMs: 15_000
		})
};
