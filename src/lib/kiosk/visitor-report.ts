import type { ErrorCode } from '../domain/errors';
import { localDb } from '../sync/local-db';
import type { OutboxRow } from '../sync/outbox';

/**
 * A field report filed at the commune office's kiosk. It goes the way every report goes (the form's
 * draft, the outbox, the sender: photos by tus, the report and its contact by push), sent while the
 * visitor waits, to the office's own sync-server. What the kiosk must add: it keeps nothing of a
 * visitor once they leave. The device has no resident of its own, so every reset empties the tables
 * a report passes through — drafts, photos, outbox — whatever state a row is in.
 *
 * The one trade-off, said to the visitor on screen: a report the server did not take before they
 * leave (the office network down) is erased with the rest, not kept to send later with their phone
 * number on a shared screen.
 */

/** Where the visitor's report stands after a try, for the screen. */
export type KioskSendOutcome =
	| { kind: 'sent'; trackingCode: string }
	| { kind: 'unreachable' }
	| { kind: 'refused'; code: ErrorCode };

/** The outcome a try left in the report's outbox row (`undefined`: the row is gone). */
export function sendOutcome(row: OutboxRow | undefined): KioskSendOutcome {
	if (!row) return { kind: 'unreachable' };
	switch (row.state.kind) {
		case 'delivered':
			return { kind: 'sent', trackingCode: row.state.trackingCode ?? row.trackingCode ?? '' };
		case 'needs_attention':
			return { kind: 'refused', code: row.state.code };
		case 'login_required':
			return { kind: 'refused', code: 'token_expired' };
		default:
			// Waiting for a retry, or stopped while sending (the report or its photos): not yet on the
			// server as a whole. The visitor may try again.
			return { kind: 'unreachable' };
	}
}

/** Every draft, photo and outbox row on the device: what a visitor's report left behind. */
export async function forgetVisitorReports(): Promise<void> {
	await localDb.transaction('rw', localDb.drafts, localDb.photos, localDb.outbox, async () => {
		await Promise.all([localDb.drafts.clear(), localDb.photos.clear(), localDb.outbox.clear()]);
	});
}
