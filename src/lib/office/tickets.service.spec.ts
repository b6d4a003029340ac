import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ticket } from '../domain/ticket';
import { localDb } from '../sync/local-db';
import type { TicketViewData } from './ticket-rows';
import { cancelTicket, flushTicketRequests, markAlerted, myTickets, rateTicket, refreshTicket, removeTicketRequest, requestTicket, type TicketDeps } from './tickets.service';

/**
 * Taking a number needs the server. Offline the request waits on the device and is sent when the
 * link returns, with the id it was given once (a lost answer must not cost a second number); a
 * refusal stays with its reason until the resident removes it.
 */

const ORIGIN = 'http://office.test';
const names = { officeName: { vi: 'Một cửa Lâm Viên', en: 'Lam Vien office' }, serviceName: { vi: 'Đăng ký khai sinh', en: 'Birth registration' } };
const body = { officeId: 'lam-vien', serviceId: 'dang-ky-khai-sinh' };

function ticket(id: string, over: Partial<Ticket> = {}): Ticket {
	return {
		id,
		tenantId: 'lam-dong',
		officeId: 'lam-vien',
		serviceId: 'dang-ky-khai-sinh',
		day: '2026-03-02',
		seq: 7,
		number: '1007',
		holderId: 'device:d1',
		channel: 'app',
		takenAt: '2026-03-02T01:00:00.000Z',
		status: 'waiting',
		queuedAt: '2026-03-02T01:00:00.000Z',
		recalls: 0,
		updatedAt: '2026-03-02T01:00:00.000Z',
		_deleted: false,
		...over
	};
}

const view = (id: string, over: Partial<Ticket> = {}): TicketViewData => ({
	ticket: ticket(id, over),
	ahead: 3,
	estimate: { minutes: 30, low: 20, high: 40, basis: 'typical', samples: 0 },
	serving: [{ counter: 1, number: '1004' }]
});

const json = (status: number, value: unknown) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

/** The server as a list of answers, one per call; every call is recorded. */
function server(...answers: ((url: string, init: RequestInit) => Response | Promise<Response>)[]) {
	const calls: { url: string; method: string; body: Record<string, unknown> | undefined; auth: string | null }[] = [];
	vi.stubGlobal(
		'fetch',
		vi.fn(async (url: string, init: RequestInit) => {
			calls.push({
				url,
				method: init.method ?? 'GET',
				body: init.body ? JSON.parse(String(init.body)) : undefined,
				auth: new Headers(init.headers).get('authorization')
			});
			const answer = answers.shift();
			if (!answer) throw new Error(`unexpected call ${url}`);
			return answer(url, init);
		})
	);
	return calls;
}

const networkDown = () => {
	throw new TypeError('Failed to fetch');
};
const taken = (_: string, init: RequestInit) => json(201, view(JSON.parse(String(init.body)).ticketId));

let onLine = true;
// A clock that moves on each read: requests are sent in the order they were made.
let clock = Date.UTC(2026, 2, 2, 1);
const deps: TicketDeps = { origin: ORIGIN, token: async (force) => (force ? 'fresh' : 'cached'), online: () => onLine, now: () => clock++ };

beforeEach(async () => {
	onLine = true;
	await Promise.all([localDb.tickets.clear(), localDb.ticketRequests.clear()]);
});
afterEach(() => vi.unstubAllGlobals());

describe('taking a number', () => {
	it('online: the answer is stored as the device\'s ticket and nothing waits', async () => {
		const calls = server(taken);
		const o = await requestTicket(body, names, deps);
		expect(o.kind).toBe('taken');
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({ url: `${ORIGIN}/api/office/tickets`, method: 'POST', auth: 'Bearer cached' });
		expect(calls[0].body).toEqual({ ticketId: o.request.ticketId, ...body });
		const row = await localDb.tickets.get(o.request.ticketId);
		expect(row?.view.ticket.number).toBe('1007');
		expect(row?.officeName.vi).toBe('Một cửa Lâm Viên');
		expect(await localDb.ticketRequests.count()).toBe(0);
	});

	it('offline: the request waits on the device, nothing is sent, and the link\'s return takes it with the same id', async () => {
		onLine = false;
		const calls = server();
		const o = await requestTicket({ ...body, priorityGroupId: 'nguoi-cao-tuoi', phone: '0912345678' }, names, deps);
		expect(o).toMatchObject({ kind: 'queued', code: 'network' });
		expect(calls).toHaveLength(0);
		const stored = await localDb.ticketRequests.get(o.request.ticketId);
		expect(stored).toMatchObject({ state: 'waiting', body: { ticketId: o.request.ticketId, priorityGroupId: 'nguoi-cao-tuoi', phone: '0912345678' } });

		// Still offline: a flush tries nothing.
		expect(await flushTicketRequests(deps)).toEqual([]);

		onLine = true;
		const sent = server(taken);
		const outcomes = await flushTicketRequests(deps);
		expect(outcomes.map((x) => x.kind)).toEqual(['taken']);
		expect(sent[0].body?.ticketId).toBe(o.request.ticketId);
		expect((await localDb.tickets.get(o.request.ticketId))?.view.ticket.number).toBe('1007');
		expect(await localDb.ticketRequests.count()).toBe(0);
	});

	it('a request lost on the network is kept and its retry carries the same ticketId (no second number)', async () => {
		const calls = server(networkDown, networkDown, taken);
		const o = await requestTicket(body, names, deps);
		expect(o).toMatchObject({ kind: 'queued', code: 'network' });
		expect(await localDb.ticketRequests.get(o.request.ticketId)).toMatchObject({ state: 'waiting', attempts: 1, error: 'network' });

		expect((await flushTicketRequests(deps)).map((x) => x.kind)).toEqual(['queued']);
		expect((await flushTicketRequests(deps)).map((x) => x.kind)).toEqual(['taken']);
		expect(new Set(calls.map((c) => c.body?.ticketId))).toEqual(new Set([o.request.ticketId]));
	});

	it('server trouble (503) waits for another try; it is not a refusal', async () => {
		server(() => json(503, { error: { code: 'server_error', message: 'busy' } }));
		const o = await requestTicket(body, names, deps);
		expect(o).toMatchObject({ kind: 'queued', code: 'server_error' });
		expect((await localDb.ticketRequests.get(o.request.ticketId))?.state).toBe('waiting');
	});

	it('a refusal is kept with its reason, is not sent again, and goes only when the resident removes it', async () => {
		onLine = false;
		const first = await requestTicket(body, names, deps);
		const second = await requestTicket({ ...body, serviceId: 'chung-thuc-ban-sao' }, names, deps);
		onLine = true;
		server(() => json(409, { error: { code: 'office_closed', message: 'closed' } }), taken);
		const outcomes = await flushTicketRequests(deps);
		expect(outcomes.map((x) => [x.request.ticketId, x.kind])).toEqual([
			[first.request.ticketId, 'refused'],
			[second.request.ticketId, 'taken']
		]);
		expect(await localDb.ticketRequests.get(first.request.ticketId)).toMatchObject({ state: 'refused', error: 'office_closed' });

		const calls = server();
		expect(await flushTicketRequests(deps)).toEqual([]);
		expect(calls).toHaveLength(0);
		const mine = await myTickets('2026-03-02');
		expect(mine.requests.map((r) => [r.ticketId, r.error])).toEqual([[first.request.ticketId, 'office_closed']]);
		expect(mine.tickets.map((t) => t.id)).toEqual([second.request.ticketId]);

		await removeTicketRequest(first.request.ticketId);
		expect(await localDb.ticketRequests.count()).toBe(0);
	});

	it('a daily limit (429 ticket_limit) is a refusal, not a retry', async () => {
		server(() => json(429, { error: { code: 'ticket_limit', message: 'limit' } }));
		const o = await requestTicket(body, names, deps);
		expect(o).toMatchObject({ kind: 'refused', code: 'ticket_limit' });
	});

	it('a stale device token is renewed once and the take goes through', async () => {
		const calls = server(() => json(401, { error: { code: 'token_expired', message: 'old' } }), taken);
		const o = await requestTicket(body, names, deps);
		expect(o.kind).toBe('taken');
		expect(calls.map((c) => c.auth)).toEqual(['Bearer cached', 'Bearer fresh']);
		expect(calls[0].body?.ticketId).toBe(calls[1].body?.ticketId);
	});
});

describe('the ticket afterwards', () => {
	async function held(): Promise<string> {
		server(taken);
		const o = await requestTicket(body, names, deps);
		return o.request.ticketId;
	}

	it('offline, the stored copy answers; online, the fresh one replaces it and keeps the alert flags', async () => {
		const id = await held();
		await markAlerted(id, { alertedAhead: true });
		onLine = false;
		const calls = server();
		expect((await refreshTicket(id, undefined, deps))?.view.ahead).toBe(3);
		expect(calls).toHaveLength(0);

		onLine = true;
		server(() => json(200, { ...view(id, { status: 'called', counterId: 'quay-1' }), ahead: 0, estimate: null }));
		const fresh = await refreshTicket(id, undefined, deps);
		expect(fresh?.view.ticket.status).toBe('called');
		expect(fresh?.alertedAhead).toBe(true);
		expect(fresh?.officeName.vi).toBe('Một cửa Lâm Viên');
	});

	it('the network failing on a refresh gives the stored copy, not an error', async () => {
		const id = await held();
		server(networkDown);
		expect((await refreshTicket(id, undefined, deps))?.view.ticket.number).toBe('1007');
	});

	it('cancelling stores the cancelled ticket; rating sends the trimmed reason', async () => {
		const id = await held();
		server(() => json(200, { ticket: ticket(id, { status: 'cancelled' }) }));
		const cancelled = await cancelTicket(id, deps);
		expect(cancelled?.view).toMatchObject({ ahead: 0, estimate: null, ticket: { status: 'cancelled' } });

		const calls = server(() => json(200, { ticket: ticket(id, { status: 'finished', rating: { level: 'unsatisfied', reason: 'chờ lâu', at: '2026-03-02T02:00:00.000Z' } }) }));
		const rated = await rateTicket(id, 'unsatisfied', '  chờ lâu ', deps);
		expect(calls[0].body).toEqual({ level: 'unsatisfied', reason: 'chờ lâu' });
		expect(rated?.view.ticket.rating?.level).toBe('unsatisfied');
	});

	it('a refused rating throws the server\'s code for the page to show', async () => {
		const id = await held();
		server(() => json(409, { error: { code: 'already_rated', message: 'x' } }));
		await expect(rateTicket(id, 'satisfied', undefined, deps)).rejects.toMatchObject({ code: 'already_rated' });
	});
});
