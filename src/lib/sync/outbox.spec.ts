import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../domain/common';
import type { ReportInput } from '../domain/report';
import { wardReportInput } from '../../../tests/support/fixed-documents';
import {
	backoffMs,
	canEdit,
	createOutboxRow,
	isDue,
	senderOf,
	isPending,
	photoProgress,
	transition,
	type OutboxEvent,
	type OutboxRow
} from './outbox';

const T0 = 1_750_000_000_000;

const report = (photos = 0): ReportInput =>
	wardReportInput(uuidv7(T0), new Date(T0).toISOString(), {
		authorId: 'device:1',
		description: 'Rác đổ trộm',
		photoIds: Array.from({ length: photos }, () => uuidv7(T0))
	});

/** Applies events in order at times T0, T0+1, … (random=0: no jitter). */
function run(row: OutboxRow, ...events: OutboxEvent[]): OutboxRow {
	return events.reduce((r, e, i) => transition(r, e, T0 + i + 1, 0), row);
}

describe('outbox state machine', () => {
	it('a submitted report waits, untouched, until a sender starts it', () => {
		const row = createOutboxRow(report(2), undefined, T0);
		expect(row.state).toEqual({ kind: 'waiting' });
		expect(row.reportPushed).toBe(false);
		expect(row.photoIds).toHaveLength(2);
		expect(isDue(row, T0)).toBe(true);
		expect(isPending(row)).toBe(true);
	});

	it('without photos: waiting → sending → delivered with the tracking code', () => {
		const row = createOutboxRow(report(0), undefined, T0);
		const sending = run(row, { type: 'start' });
		expect(sending.state.kind).toBe('sending');
		const done = run(sending, { type: 'push_ok', trackingCode: 'LD-2025-000123' });
		expect(done.state).toEqual({ kind: 'delivered', trackingCode: 'LD-2025-000123' });
		expect(done.trackingCode).toBe('LD-2025-000123');
		expect(isPending(done)).toBe(false);
		expect(isDue(done, T0 + 10, true)).toBe(false);
	});

	it('with photos: shows photos k/n as each lands, then delivered keeping the tracking code', () => {
		const r = report(3);
		let row = run(createOutboxRow(r, undefined, T0), { type: 'start' }, { type: 'push_ok', trackingCode: 'LD-1' });
		expect(row.state).toEqual({ kind: 'photos', done: 0, total: 3 });
		row = run(row, { type: 'photo_progress', sent: 50, total: 100 });
		expect(photoProgress(row.state)).toBeCloseTo(0.5 / 3);
		row = run(row, { type: 'photo_done', photoId: r.photoIds[0] });
		expect(row.state).toEqual({ kind: 'photos', done: 1, total: 3 });
		row = run(row, { type: 'photo_done', photoId: r.photoIds[1] });
		expect(row.state).toEqual({ kind: 'photos', done: 2, total: 3 });
		row = run(row, { type: 'photo_done', photoId: r.photoIds[2] });
		expect(row.state).toEqual({ kind: 'delivered', trackingCode: 'LD-1' });
	});

	it('with photos: carries the bytes sent of all photos and the rate; the bar follows the bytes, kept between photos', () => {
		const r = report(2);
		let row = run(createOutboxRow(r, undefined, T0), { type: 'start' }, { type: 'push_ok', trackingCode: 'LD-1' });
		row = run(row, { type: 'photo_progress', sent: 100_000, total: 300_000, bytes: { sent: 100_000, total: 1_000_000, perSecond: 50_000 } });
		expect(row.state).toMatchObject({ kind: 'photos', bytes: { sent: 100_000, total: 1_000_000, perSecond: 50_000 } });
		// The first photo is small, the second large: the bar is the share of bytes, not of photos.
		expect(photoProgress(row.state)).toBeCloseTo(0.1);
		row = run(row, { type: 'photo_done', photoId: r.photoIds[0] });
		expect(row.state).toMatchObject({ kind: 'photos', done: 1, bytes: { sent: 100_000, total: 1_000_000 } });
		expect(photoProgress(row.state)).toBeCloseTo(0.1);
	});

	it('a refused report needs attention with its reason, is never retried by itself, and can be edited', () => {
		const row = run(createOutboxRow(report(1), undefined, T0), { type: 'start' }, { type: 'push_rejected', code: 'unknown_ward' });
		expect(row.state).toEqual({ kind: 'needs_attention', code: 'unknown_ward' });
		expect(row.error?.code).toBe('unknown_ward');
		expect(isDue(row, T0 + 10 * 60_000, true)).toBe(false);
		expect(canEdit(row)).toBe(true);
		// Nothing is dropped: the report and its photos stay in the row.
		expect(row.report.photoIds).toHaveLength(1);
	});

	it('a refused report does not block the next one', () => {
		const rows = [createOutboxRow(report(0), undefined, T0), createOutboxRow(report(0), undefined, T0)];
		const outcomes: OutboxEvent[] = [{ type: 'push_rejected', code: 'validation_failed' }, { type: 'push_ok', trackingCode: 'LD-2' }];
		// A flush walks every due row, whatever happened to the previous one.
		const after = rows.map((r, i) => (isDue(r, T0) ? run(r, { type: 'start' }, outcomes[i]) : r));
		expect(after.map((r) => r.state.kind)).toEqual(['needs_attention', 'delivered']);
	});

	it('a network error puts the report back to waiting with a backoff, skipped when the network returns', () => {
		const row = run(createOutboxRow(report(0), undefined, T0), { type: 'start' }, { type: 'network_error' });
		expect(row.state.kind).toBe('waiting');
		expect(row.error?.code).toBe('network');
		expect(row.attempts).toBe(1);
		expect(row.nextAttemptAt).toBe(T0 + 2 + 5_000);
		expect(isDue(row, T0 + 1_000)).toBe(false);
		expect(isDue(row, T0 + 1_000, true)).toBe(true);
		expect(isDue(row, T0 + 6_000)).toBe(true);
	});

	it('a server error retries later with a growing backoff, capped at 10 minutes', () => {
		let row = createOutboxRow(report(0), undefined, T0);
		const waits: number[] = [];
		for (let i = 0; i < 10; i++) {
			const now = T0 + i * 1_000_000;
			row = transition(transition(row, { type: 'start' }, now, 0), { type: 'server_error' }, now, 0);
			waits.push(row.nextAttemptAt! - now);
		}
		expect(waits.slice(0, 4)).toEqual([5_000, 10_000, 20_000, 40_000]);
		expect(Math.max(...waits)).toBe(600_000);
		expect(row.state.kind).toBe('waiting');
		expect(row.error?.code).toBe('server_error');
	});

	it('jitter spreads retries by at most 20 %', () => {
		expect(backoffMs(1, 1)).toBe(6_000);
		expect(backoffMs(1, 0.5)).toBe(5_500);
	});

	it('after a drop during photos, the retry sends only the remaining photos, never the report again', () => {
		const r = report(3);
		let row = run(createOutboxRow(r, undefined, T0), { type: 'start' }, { type: 'push_ok', trackingCode: 'LD-3' }, { type: 'photo_done', photoId: r.photoIds[0] }, { type: 'network_error' });
		expect(row.state.kind).toBe('waiting');
		expect(row.reportPushed).toBe(true);
		row = transition(row, { type: 'start' }, T0 + 60_000, 0);
		expect(row.state).toEqual({ kind: 'photos', done: 1, total: 3 });
		expect(row.error).toBeUndefined();
		expect(row.attempts).toBe(0);
	});

	it('an expired token retries at once and does not count as a failure', () => {
		const row = run(createOutboxRow(report(0), undefined, T0), { type: 'start' }, { type: 'token_expired' });
		expect(row.state.kind).toBe('waiting');
		expect(row.attempts).toBe(0);
		expect(isDue(row, T0 + 2)).toBe(true);
	});

	it('a refused photo is reported as a warning; the other photos and the report still arrive', () => {
		const r = report(2);
		const row = run(createOutboxRow(r, undefined, T0), { type: 'start' }, { type: 'push_ok', trackingCode: 'LD-4' }, { type: 'photo_rejected', photoId: r.photoIds[0], code: 'media_not_image' }, { type: 'photo_done', photoId: r.photoIds[1] });
		expect(row.state).toEqual({ kind: 'delivered', trackingCode: 'LD-4' });
		expect(row.warnings).toEqual([expect.objectContaining({ code: 'media_not_image', photoId: r.photoIds[0] })]);
		expect(canEdit(row)).toBe(false);
	});

	it('a refused contact is a warning; the report goes on', () => {
		const row = run(createOutboxRow(report(0), undefined, T0), { type: 'start' }, { type: 'contact_rejected', code: 'validation_failed' }, { type: 'push_ok', trackingCode: 'LD-5' });
		expect(row.state.kind).toBe('delivered');
		expect(row.warnings?.[0].code).toBe('validation_failed');
	});

	it('a row left "sending" by a sender that died is picked up again', () => {
		const stale = run(createOutboxRow(report(0), undefined, T0), { type: 'start' });
		expect(isDue(stale, T0 + 100)).toBe(true);
		expect(run(stale, { type: 'start' }).state.kind).toBe('sending');
	});

	it('ignores outcomes that do not fit the current state', () => {
		const waiting = createOutboxRow(report(0), undefined, T0);
		expect(run(waiting, { type: 'push_ok', trackingCode: 'X' })).toBe(waiting);
		expect(run(waiting, { type: 'network_error' })).toBe(waiting);
		const delivered = run(waiting, { type: 'start' }, { type: 'push_ok' });
		expect(run(delivered, { type: 'photo_progress', sent: 1, total: 2 })).toBe(delivered);
		expect(run(delivered, { type: 'start' })).toBe(delivered);
	});

	it('never loses the report, its photos or a stored state, whatever happens (random walks)', () => {
		let seed = 42;
		const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		const pick = (r: ReportInput): OutboxEvent => {
			const events: OutboxEvent[] = [
				{ type: 'start' },
				{ type: 'push_ok', trackingCode: 'LD-9' },
				{ type: 'push_rejected', code: 'unknown_category' },
				{ type: 'photo_progress', sent: 1, total: 2 },
				{ type: 'photo_done', photoId: r.photoIds[0] ?? 'x' },
				{ type: 'photo_rejected', photoId: r.photoIds[0] ?? 'x', code: 'media_too_large' },
				{ type: 'network_error' },
				{ type: 'server_error' },
				{ type: 'token_expired' },
				{ type: 'login_required' },
				{ type: 'contact_rejected', code: 'validation_failed' }
			];
			return events[Math.floor(rnd() * events.length)];
		};
		for (let walk = 0; walk < 300; walk++) {
			const r = report(walk % 4);
			let row = createOutboxRow(r, undefined, T0);
			let pushed = false;
			for (let step = 0; step < 30; step++) {
				const before = row;
				row = transition(row, pick(r), T0 + step, rnd());
				expect(row.report).toBe(r);
				expect(row.photoIds).toEqual(r.photoIds);
				expect(row.photosDone).toBeLessThanOrEqual(r.photoIds.length);
				if (pushed) expect(row.reportPushed).toBe(true);
				pushed = row.reportPushed;
				// Delivered and needs-attention are final until the user acts.
				if (before.state.kind === 'delivered' || before.state.kind === 'needs_attention') expect(row).toBe(before);
				// Needs attention only before the server has the report (after, it is immutable).
				if (row.state.kind === 'needs_attention') expect(row.reportPushed).toBe(false);
			}
		}
	});
});

describe("a volunteer's filing for a villager", () => {
	const assisted = (photos = 0): ReportInput => ({ ...report(photos), authorId: 'staff:tcns-lang-biang', assistedBy: 'staff:tcns-lang-biang' });

	it('is sent as the volunteer (staff), a resident report as the device', () => {
		expect(createOutboxRow(assisted(), undefined, T0).sender).toBe('staff');
		expect(createOutboxRow(report(), undefined, T0).sender).toBe('device');
		expect(senderOf({ assistedBy: undefined })).toBe('device');
	});

	it('waits for a sign-in when the session is gone: not retried on a timer, never dropped', () => {
		const r = assisted(2);
		const row = run(createOutboxRow(r, undefined, T0), { type: 'start' }, { type: 'login_required' });
		expect(row.state).toEqual({ kind: 'login_required' });
		expect(row.error?.code).toBe('token_expired');
		expect(row.nextAttemptAt).toBeUndefined();
		expect(row.attempts).toBe(0);
		// Only the sender, seeing the volunteer signed in again, resumes it.
		expect(isDue(row, T0 + 3_600_000, true)).toBe(false);
		expect(isPending(row)).toBe(true);
		expect(canEdit(row)).toBe(false);
		expect(row.report).toBe(r);
		expect(row.photoIds).toEqual(r.photoIds);
		// Outcomes of a request it never made do not move it.
		expect(run(row, { type: 'network_error' })).toBe(row);
		expect(run(row, { type: 'push_ok', trackingCode: 'X' })).toBe(row);
	});

	it('after the sign-in it goes on from where it stopped: the report is not pushed twice', () => {
		const r = assisted(2);
		let row = run(createOutboxRow(r, undefined, T0), { type: 'start' }, { type: 'push_ok', trackingCode: 'LD-7' }, { type: 'photo_done', photoId: r.photoIds[0] });
		row = run(row, { type: 'login_required' });
		expect(row.state.kind).toBe('login_required');
		expect(row.reportPushed).toBe(true);
		row = run(row, { type: 'start' });
		expect(row.state).toEqual({ kind: 'photos', done: 1, total: 2 });
		row = run(row, { type: 'photo_done', photoId: r.photoIds[1] });
		expect(row.state).toEqual({ kind: 'delivered', trackingCode: 'LD-7' });
	});

	it('a waiting row with no session goes straight to "sign in again"', () => {
		const row = run(createOutboxRow(assisted(), undefined, T0), { type: 'login_required' });
		expect(row.state.kind).toBe('login_required');
		expect(run(row, { type: 'start' }).state.kind).toBe('sending');
	});
});
