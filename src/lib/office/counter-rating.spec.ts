import { describe, expect, it } from 'vitest';
import type { Ticket } from '../domain/ticket';
import { awaitingRating, counterRateUrl, officialName, satisfactionPercent, worthRefreshing } from './counter-rating';
import type { TicketRow } from './ticket-rows';

/** The counter's rating QR: which of the phone's tickets its link may rate, and how figures read. */

function row(id: string, over: Partial<Ticket> = {}): TicketRow {
	const ticket: Ticket = {
		id,
		tenantId: 'lam-dong',
		officeId: 'lam-vien',
		serviceId: 'dang-ky-khai-sinh',
		day: '2026-03-02',
		seq: 1,
		number: '1001',
		holderId: 'device:d1',
		channel: 'app',
		takenAt: '2026-03-02T01:00:00.000Z',
		status: 'finished',
		queuedAt: '2026-03-02T01:00:00.000Z',
		counterId: 'quay-1',
		recalls: 0,
		finishedAt: '2026-03-02T02:00:00.000Z',
		updatedAt: '2026-03-02T02:00:00.000Z',
		_deleted: false,
		...over
	};
	const names = { vi: 'x', en: 'x' };
	return { id, day: ticket.day, view: { ticket, ahead: 0, estimate: null, serving: [] }, officeName: names, serviceName: names, fetchedAt: 0 };
}

describe('counter rating', () => {
	it('puts the office and the counter in the QR link', () => {
		expect(counterRateUrl('https://caunoi.example/lam-dong/ticket/rate', 'lam-vien', 'quay-2')).toBe(
			'https://caunoi.example/lam-dong/ticket/rate?office=lam-vien&counter=quay-2'
		);
	});

	it('lists only finished, unrated tickets of that counter, newest first', () => {
		const rows = [
			row('old', { finishedAt: '2026-03-02T02:00:00.000Z' }),
			row('new', { finishedAt: '2026-03-02T03:00:00.000Z' }),
			row('rated', { rating: { level: 'satisfied', at: '2026-03-02T03:10:00.000Z' } }),
			row('other-counter', { counterId: 'quay-2' }),
			row('other-office', { officeId: 'xuan-huong' }),
			row('waiting', { status: 'waiting', counterId: undefined, finishedAt: undefined }),
			row('no-show', { status: 'no_show' })
		];
		expect(awaitingRating(rows, 'lam-vien', 'quay-1').map((r) => r.id)).toEqual(['new', 'old']);
	});

	it('asks the server again about every open or unrated ticket of the office, not closed or rated ones', () => {
		const rows = [
			row('waiting', { status: 'waiting', counterId: undefined }),
			row('called-elsewhere', { status: 'called', counterId: 'quay-3' }),
			row('finished'),
			row('rated', { rating: { level: 'satisfied', at: '2026-03-02T03:10:00.000Z' } }),
			row('cancelled', { status: 'cancelled' }),
			row('other-office', { officeId: 'cam-ly' })
		];
		expect(worthRefreshing(rows, 'lam-vien').map((r) => r.id)).toEqual(['waiting', 'called-elsewhere', 'finished']);
	});

	it('names an official by their account only, and rounds satisfaction', () => {
		expect(officialName('staff:ubnd-lam-vien')).toBe('ubnd-lam-vien');
		expect(officialName('kiosk:k1')).toBe('kiosk:k1');
		expect(satisfactionPercent(2 / 3)).toBe(67);
		expect(satisfactionPercent(null)).toBeNull();
	});
});
