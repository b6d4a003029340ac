import type { ErrorCode } from '../domain/errors';
import type { Contact } from '../domain/contact';
import type { ReportInput } from '../domain/report';

/**
 * The outbox state machine, as pure functions: what a queued report looks like after each thing
 * that can happen to it. The sender (outbox-sender.ts) performs the I/O and feeds the outcomes in.
 *
 *   submit ─▶ waiting ─start─▶ sending ─push ok─▶ photos k/n ─photo done…─▶ delivered (tracking code)
 *                ▲               │  │                 │
 *                └─network/server┘  └─push rejected─▶ needs_attention (code) ─edit─▶ back to the form
 *
 * Nothing is dropped except by the user's "remove"; a rejected report never blocks the next one
 * (each row moves on its own); a report the server has stored is never pushed again.
 *
 * Once the server has the report it is the units' too: "remove" is no longer a way to take it back
 * (its photos would be dropped half-way and the units left with broken images). The resident
 * withdraws it instead (`requestWithdrawal`): the sender delivers a `withdrawn` event, while the
 * photos go on; the row may be hidden only when nothing of it is left to send (`canRemove`).
 *
 * A row filed by a volunteer for a villager is sent with the volunteer's own token (`sender:
 * 'staff'`), never the device's. When that session is gone or expired the row waits in
 * `login_required` ("Đăng nhập lại để gửi") until the same volunteer signs in again.
 */

export type OutboxState =
	/** Queued: no network yet, or a failed try that will be retried at `nextAttemptAt`. */
	| { kind: 'waiting' }
	| { kind: 'sending' }
	/**
	 * The report is stored on the server; its photos follow. `fraction` is the current photo's
	 * progress; `bytes`, the bytes sent of all its photos and the rate measured (upload-progress.ts).
	 */
	| { kind: 'photos'; done: number; total: number; fraction?: number; bytes?: PhotoBytes }
	| { kind: 'delivered'; trackingCode?: string }
	| { kind: 'needs_attention'; code: ErrorCode }
	/** A volunteer's row whose session ended or expired: waits, untouched, for them to sign in again. */
	| { kind: 'login_required' };

export type OutboxStateKind = OutboxState['kind'];

/** Bytes of a row's photos: sent so far (all of them), in all, and the rate of this round of sending. */
export interface PhotoBytes {
	sent: number;
	total: number;
	perSecond?: number;
}

export interface OutboxWarning {
	code: ErrorCode;
	at: number;
	photoId?: string;
}

/**
 * Whose token sends the row: the device's anonymous one (a resident's own report), or the signed-in
 * staff session whose `sub` is the report's author (a volunteer filing for a villager).
 */
export type OutboxSender = 'device' | 'staff';

/** The resident's withdrawal (rút phản ánh) of a report the server has, waiting to be sent or sent. */
export interface OutboxWithdrawal {
	/** The `withdrawn` event's id, fixed when asked: a retry is the same event, never a second one. */
	eventId: string;
	/** For the units only (never public). */
	reason?: string;
	requestedAt: number;
	/** The server stored it: the report is closed as withdrawn. */
	sentAt?: number;
	/** The server refused it (e.g. report_closed: handled meanwhile); not retried. */
	refused?: ErrorCode;
}

export interface OutboxRow {
	reportId: string;
	/** Absent in rows queued before volunteers existed: the device. */
	sender?: OutboxSender;
	/** The ReportInput document exactly as it will be pushed. */
	report: ReportInput;
	contact?: Contact;
	state: OutboxState;
	photoIds: string[];
	/** True once the server stored the report (and its contact): only photos remain to send. */
	reportPushed: boolean;
	/** Photos finished (uploaded or refused) — counts toward k of "photos k/n". */
	photosDone: number;
	trackingCode?: string;
	/** The last failure: the reason of needs_attention, or why the last try did not get through. */
	error?: { code: ErrorCode; at: number };
	withdrawal?: OutboxWithdrawal;
	/** Problems that did not stop delivery (a refused photo, a refused contact). */
	warnings?: OutboxWarning[];
	/** Failed tries since the last success; drives the backoff. */
	attempts: number;
	/** Not before this time (ms) unless the network just came back. */
	nextAttemptAt?: number;
	createdAt: number;
	updatedAt: number;
}

export type OutboxEvent =
	| { type: 'start' }
	| { type: 'push_ok'; trackingCode?: string }
	| { type: 'push_rejected'; code: ErrorCode }
	| { type: 'contact_rejected'; code: ErrorCode }
	| { type: 'photo_progress'; sent: number; total: number; bytes?: PhotoBytes }
	| { type: 'photo_done'; photoId: string }
	| { type: 'photo_rejected'; photoId: string; code: ErrorCode }
	| { type: 'network_error' }
	| { type: 'server_error'; code?: ErrorCode }
	| { type: 'token_expired' }
	| { type: 'withdraw_ok' }
	| { type: 'withdraw_refused'; code: ErrorCode }
	/** The staff session that must send the row is missing, expired or refused: wait for a sign-in. */
	| { type: 'login_required' };

/** Backoff after the n-th failed try: 5 s, 10 s, 20 s … capped at 10 min, with up to 20 % jitter. */
export function backoffMs(attempts: number, random = 0): number {
	const base = Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 600_000);
	return Math.round(base * (1 + 0.2 * random));
}

/** Who sends a report: an assisted filing is the volunteer's own report (the server insists on it). */
export function senderOf(report: Pick<ReportInput, 'assistedBy'>): OutboxSender {
	return report.assistedBy ? 'staff' : 'device';
}

export function createOutboxRow(
	report: ReportInput,
	contact: Contact | undefined,
	now = Date.now()
): OutboxRow {
	return {
		reportId: report.id,
		sender: senderOf(report),
		report,
		contact,
		state: { kind: 'waiting' },
		photoIds: [...report.photoIds],
		reportPushed: false,
		photosDone: 0,
		attempts: 0,
		createdAt: now,
		updatedAt: now
	};
}

/** Whether a sender should pick this row up now. `force`: the network just came back, skip the backoff. */
export function isDue(row: OutboxRow, now = Date.now(), force = false): boolean {
	// 'sending'/'photos' rows found by a sender holding the lock were left by a sender that died.
	// A row waiting for a sign-in is resumed by the sender once the session is back (outbox-sender's canSendAs).
	// A delivered report still has its withdrawal to send: due like a retry.
	if (row.state.kind === 'delivered' && withdrawalPending(row)) return force || !row.nextAttemptAt || row.nextAttemptAt <= now;
	if (row.state.kind === 'delivered' || row.state.kind === 'needs_attention' || row.state.kind === 'login_required') return false;
	return force || !row.nextAttemptAt || row.nextAttemptAt <= now;
}

function afterPush(row: OutboxRow, trackingCode: string | undefined, now: number): OutboxRow {
	const code = trackingCode ?? row.trackingCode;
	const total = row.photoIds.length;
	const base = { ...row, reportPushed: true, trackingCode: code, attempts: 0, nextAttemptAt: undefined, error: undefined, updatedAt: now };
	if (row.photosDone >= total) return { ...base, state: { kind: 'delivered', trackingCode: code } };
	return { ...base, state: { kind: 'photos', done: row.photosDone, total } };
}

function afterPhoto(row: OutboxRow, now: number, warning?: OutboxWarning): OutboxRow {
	const done = Math.min(row.photosDone + 1, row.photoIds.length);
	const warnings = warning ? [...(row.warnings ?? []), warning] : row.warnings;
	const base = { ...row, photosDone: done, warnings, attempts: 0, nextAttemptAt: undefined, updatedAt: now };
	if (done >= row.photoIds.length) return { ...base, state: { kind: 'delivered', trackingCode: row.trackingCode } };
	// The bytes stay until the next photo's first progress: the line does not flicker back to "k/n".
	const bytes = row.state.kind === 'photos' ? row.state.bytes : undefined;
	return { ...base, state: { kind: 'photos', done, total: row.photoIds.length, ...(bytes ? { bytes } : {}) } };
}

function retryLater(row: OutboxRow, code: ErrorCode, now: number, random: number): OutboxRow {
	const attempts = row.attempts + 1;
	return {
		...row,
		// A delivered report whose withdrawal did not get through stays delivered.
		state: row.state.kind === 'delivered' ? row.state : { kind: 'waiting' },
		attempts,
		nextAttemptAt: now + backoffMs(attempts, random),
		error: { code, at: now },
		updatedAt: now
	};
}

/**
 * The next state of a row. Events that make no sense in the current state (a late photo progress
 * after delivery, a push outcome for a row the user already sent elsewhere) leave the row unchanged.
 */
export function transition(row: OutboxRow, event: OutboxEvent, now = Date.now(), random = Math.random()): OutboxRow {
	const kind = row.state.kind;
	switch (event.type) {
		case 'start':
			if (kind !== 'login_required' && !isDue(row, now, true)) return row;
			if (row.reportPushed) return afterPush(row, undefined, now);
			return { ...row, state: { kind: 'sending' }, updatedAt: now };

		case 'push_ok':
			if (kind !== 'sending') return row;
			return afterPush(row, event.trackingCode, now);

		case 'push_rejected':
			if (kind !== 'sending') return row;
			return {
				...row,
				state: { kind: 'needs_attention', code: event.code },
				error: { code: event.code, at: now },
				nextAttemptAt: undefined,
				updatedAt: now
			};

		case 'contact_rejected':
			// The report itself is stored: the missing contact is a warning, not a stop.
			if (kind !== 'sending' && kind !== 'photos') return row;
			return { ...row, warnings: [...(row.warnings ?? []), { code: event.code, at: now }], updatedAt: now };

		case 'photo_progress':
			if (row.state.kind !== 'photos' || event.total <= 0) return row;
			return {
				...row,
				state: { ...row.state, fraction: Math.min(1, event.sent / event.total), ...(event.bytes ? { bytes: event.bytes } : {}) },
				updatedAt: now
			};

		case 'photo_done':
			if (kind !== 'photos') return row;
			return afterPhoto(row, now);

		case 'photo_rejected':
			// A refused photo does not hold back the others, nor the report already delivered.
			if (kind !== 'photos') return row;
			return afterPhoto(row, now, { code: event.code, at: now, photoId: event.photoId });

		case 'network_error':
			if (kind !== 'sending' && kind !== 'photos' && !withdrawing(row)) return row;
			return retryLater(row, 'network', now, random);

		case 'server_error':
			if (kind !== 'sending' && kind !== 'photos' && !withdrawing(row)) return row;
			return retryLater(row, event.code ?? 'server_error', now, random);

		case 'token_expired':
			// Not the report's fault: retry at once with a fresh token, without counting a failure.
			if (withdrawing(row)) return { ...row, nextAttemptAt: now, updatedAt: now };
			if (kind !== 'sending' && kind !== 'photos') return row;
			return { ...row, state: { kind: 'waiting' }, nextAttemptAt: now, updatedAt: now };

		case 'withdraw_ok':
			if (!withdrawalPending(row)) return row;
			return {
				...row,
				withdrawal: { ...row.withdrawal!, sentAt: now },
				...(withdrawing(row) ? { attempts: 0, nextAttemptAt: undefined, error: undefined } : {}),
				updatedAt: now
			};

		case 'withdraw_refused':
			if (!withdrawalPending(row)) return row;
			return {
				...row,
				withdrawal: { ...row.withdrawal!, refused: event.code },
				...(withdrawing(row) ? { attempts: 0, nextAttemptAt: undefined } : {}),
				updatedAt: now
			};

		case 'login_required':
			// Not a failure of the report, and nothing to retry on a timer: only a sign-in helps.
			if (kind !== 'waiting' && kind !== 'sending' && kind !== 'photos' && !withdrawing(row)) return row;
			return {
				...row,
				state: { kind: 'login_required' },
				error: { code: 'token_expired', at: now },
				nextAttemptAt: undefined,
				updatedAt: now
			};
	}
}

/** A withdrawal asked and neither stored nor refused yet. */
export function withdrawalPending(row: OutboxRow): boolean {
	return !!row.withdrawal && row.withdrawal.sentAt === undefined && row.withdrawal.refused === undefined;
}

/** A delivered row whose only thing left to send is its withdrawal. */
function withdrawing(row: OutboxRow): boolean {
	return row.state.kind === 'delivered' && withdrawalPending(row);
}

/**
 * The row the sender saves, given the one stored meanwhile: the resident may ask for a withdrawal
 * while the sender works on a copy read before (a photo uploading for minutes). Their request is
 * kept; the sender's outcome of that same request (sent, refused) wins over the request alone.
 */
export function keepWithdrawal(row: OutboxRow, stored: OutboxRow): OutboxRow {
	const asked = stored.withdrawal;
	if (!asked) return row;
	const mine = row.withdrawal;
	if (mine && mine.eventId === asked.eventId && !withdrawalPending(row)) return row;
	return { ...row, withdrawal: asked };
}

/**
 * The resident withdraws the report (rút phản ánh). Only a report the server has can be withdrawn
 * (one that never left the phone is simply removed); asked once, a second tap changes nothing.
 * The photos still on their way keep going: they belong to the report the units hold.
 */
export function requestWithdrawal(row: OutboxRow, ask: { eventId: string; reason?: string }, now = Date.now()): OutboxRow {
	if (!row.reportPushed || row.withdrawal) return row;
	const reason = ask.reason?.trim();
	return { ...row, withdrawal: { eventId: ask.eventId, ...(reason ? { reason } : {}), requestedAt: now }, updatedAt: now };
}

/**
 * "Xóa" removes the row from the device: a report that never left the phone, or one the server has
 * whole (photos done, withdrawal sent). Never while photos or a withdrawal are still on their way.
 */
export function canRemove(row: OutboxRow): boolean {
	return !row.reportPushed || (row.state.kind === 'delivered' && !withdrawalPending(row));
}

/** Only a report the server refused can go back into the form; a stored report is immutable. */
export function canEdit(row: OutboxRow): boolean {
	return row.state.kind === 'needs_attention' && !row.reportPushed;
}

/** Rows the sender may still move: on their way, or a withdrawal to send (not waiting on the user). */
export function awaitsSender(row: OutboxRow): boolean {
	return (row.state.kind !== 'delivered' && row.state.kind !== 'needs_attention') || withdrawalPending(row);
}

/** Rows still on their way (counted before a volunteer signs out). */
export function isPending(row: OutboxRow): boolean {
	return row.state.kind !== 'delivered' || withdrawalPending(row);
}

/** Upload progress across the row's photos, 0..1, for a progress bar: by bytes when known, else by photos. */
export function photoProgress(state: OutboxState): number | undefined {
	if (state.kind !== 'photos' || state.total === 0) return undefined;
	if (state.bytes && state.bytes.total > 0) return Math.min(1, state.bytes.sent / state.bytes.total);
	return (state.done + (state.fraction ?? 0)) / state.total;
}
