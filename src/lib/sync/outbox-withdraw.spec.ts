import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../domain/common';
import type { ReportInput } from '../domain/report';
import { wardReportInput } from '../../../tests/support/fixed-documents';
import { canRemove, createOutboxRow, isDue, isPending, keepWithdrawal, requestWithdrawal, transition, withdrawalPending, type OutboxEvent, type OutboxRow } from './outbox';

/**
 * "Xóa" and "Rút phản ánh" in the outbox: a report that left the phone is never dropped on the
 * device while its photos are on their way; the resident withdraws it instead, and the sender
 * delivers the withdrawal like the report itself.
 */

const T0 = 1_750_000_000_000;

const report = (photos: number): ReportInput =>
	wardReportInput(uuidv7(T0), new Date(T0).toISOString(), {
		authorId: 'device:1',
		description: 'Rác đổ trộm',
		photoIds: Array.from({ length: photos }, () => uuidv7(T0))
	});
const run = (row: OutboxRow, ...events: OutboxEvent[]) => events.reduce((r, e, i) => transition(r, e, T0 + i + 1, 0), row);

describe('removing or withdrawing a queued report', () => {
	it('a report that never left the phone may be removed; one the server stored may not while photos are on their way', () => {
		const waiting = createOutboxRow(report(2), undefined, T0);
		expect(canRemove(waiting)).toBe(true);
		const uploading = run(waiting, { type: 'start' }, { type: 'push_ok', trackingCode: 'LD-1' });
		expect(uploading.state.kind).toBe('photos');
		expect(canRemove(uploading)).toBe(false);
		const delivered = run(uploading, { type: 'photo_done', photoId: 'a' }, { type: 'photo_done', photoId: 'b' });
		expect(delivered.state.kind).toBe('delivered');
		expect(canRemove(delivered)).toBe(true);
	});

	it('a withdrawal is asked only for a report the server has', () => {
		const waiting = createOutboxRow(report(0), undefined, T0);
		expect(requestWithdrawal(waiting, { eventId: 'w1' }, T0)).toBe(waiting);
	});

	it('a withdrawal asked during the photos keeps them going, and is sent by the sender', () => {
		const uploading = run(createOutboxRow(report(1), undefined, T0), { type: 'start' }, { type: 'push_ok', trackingCode: 'LD-1' });
		const asked = requestWithdrawal(uploading, { eventId: 'w1', reason: '  Đã tự dọn  ' }, T0 + 10);
		expect(asked.withdrawal).toEqual({ eventId: 'w1', reason: 'Đã tự dọn', requestedAt: T0 + 10 });
		expect(asked.state.kind).toBe('photos');
		expect(asked.photoIds).toEqual(uploading.photoIds);
		expect(withdrawalPending(asked)).toBe(true);
		expect(canRemove(asked)).toBe(false);
		// Asked twice (a double tap): the first request stands.
		expect(requestWithdrawal(asked, { eventId: 'w2' }, T0 + 11).withdrawal?.eventId).toBe('w1');
	});

	it('a delivered report with a withdrawal to send is due, pending, and delivered again once it is sent', () => {
		const delivered = run(createOutboxRow(report(0), undefined, T0), { type: 'start' }, { type: 'push_ok', trackingCode: 'LD-1' });
		const asked = requestWithdrawal(delivered, { eventId: 'w1' }, T0 + 10);
		expect(isDue(asked, T0 + 20)).toBe(true);
		expect(isPending(asked)).toBe(true);
		expect(canRemove(asked)).toBe(false);
		const started = run(asked, { type: 'start' });
		expect(started.state).toEqual({ kind: 'delivered', trackingCode: 'LD-1' });
		const failed = run(started, { type: 'network_error' });
		expect(failed.state.kind).toBe('delivered');
		expect(withdrawalPending(failed)).toBe(true);
		expect(isDue(failed, T0 + 100)).toBe(false); // backoff
		expect(isDue(failed, T0 + 100, true)).toBe(true);
		const sent = run(failed, { type: 'withdraw_ok' });
		expect(sent.withdrawal?.sentAt).toBeDefined();
		expect(withdrawalPending(sent)).toBe(false);
		expect(isDue(sent, T0 + 10_000_000, true)).toBe(false);
		expect(canRemove(sent)).toBe(true);
	});

	it('a refused withdrawal says why and is not retried', () => {
		const delivered = run(createOutboxRow(report(0), undefined, T0), { type: 'start' }, { type: 'push_ok' });
		const refused = run(requestWithdrawal(delivered, { eventId: 'w1' }, T0), { type: 'withdraw_refused', code: 'report_closed' });
		expect(refused.withdrawal?.refused).toBe('report_closed');
		expect(withdrawalPending(refused)).toBe(false);
		expect(isDue(refused, T0 + 10_000_000, true)).toBe(false);
	});

	it('a sender saving a copy read before the request keeps the request; its own outcome of it wins', () => {
		const uploading = run(createOutboxRow(report(1), undefined, T0), { type: 'start' }, { type: 'push_ok' });
		const asked = requestWithdrawal(uploading, { eventId: 'w1', reason: 'x' }, T0 + 10);
		// The uploader's progress, computed on the copy it had before the resident asked.
		const stale = run(uploading, { type: 'photo_progress', sent: 10, total: 100 });
		expect(keepWithdrawal(stale, asked).withdrawal).toEqual(asked.withdrawal);
		const sent = run(asked, { type: 'withdraw_ok' });
		expect(keepWithdrawal(sent, asked).withdrawal?.sentAt).toBeDefined();
		expect(keepWithdrawal(stale, uploading)).toBe(stale);
	});
});
