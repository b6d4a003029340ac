import type { Contact } from '../domain/contact';
import type { ErrorCode } from '../domain/errors';
import type { Media } from '../domain/media';
import type { Report } from '../domain/report';
import { getDatabase, removeDatabase, type CauNoiDatabase } from '../sync/db';
import { startReplication, type Replication } from '../sync/replication';
import { getStaffToken } from '../sync/session';
import type { SessionUser } from '../sync/local-db';

/**
 * The handler's inbox: the RxDB replica of the reports assigned to their units, kept live by the
 * replication, queried newest first. Loaded with `await import()` by the handler page only, so
 * RxDB never weighs on the report form.
 */

export interface Inbox {
	/** Newest received first; calls back on every change (no reload). */
	watchReports(cb: (reports: Report[]) => void): () => void;
	watchContact(reportId: string, cb: (contact: Contact | null) => void): () => void;
	watchMedia(reportId: string, cb: (media: Media[]) => void): () => void;
	/** Ids of the photos the server has stored: a photo follows its report, so a thumbnail may need a second try. */
	watchReadyMedia(cb: (ids: ReadonlySet<string>) => void): () => void;
	watchActive(cb: (active: boolean) => void): () => void;
	close(): Promise<void>;
}

export async function openInbox(user: SessionUser, onAuthError: (code: ErrorCode) => void): Promise<Inbox> {
	const db: CauNoiDatabase = await getDatabase();
	const replication: Replication = startReplication(db, { role: user.role, getToken: getStaffToken, onAuthError });
	return {
		watchReports(cb) {
			const sub = db.reports.find({ sort: [{ receivedAt: 'desc' }] }).$.subscribe((docs) => cb(docs.map((d) => d.toJSON(true) as unknown as Report)));
			return () => sub.unsubscribe();
		},
		watchContact(reportId, cb) {
			const sub = db.contacts.findOne({ selector: { reportId } }).$.subscribe((d) => cb(d ? (d.toJSON(true) as unknown as Contact) : null));
			return () => sub.unsubscribe();
		},
		watchMedia(reportId, cb) {
			const sub = db.media.find({ selector: { reportId } }).$.subscribe((docs) => cb(docs.map((d) => d.toJSON(true) as unknown as Media)));
			return () => sub.unsubscribe();
		},
		watchReadyMedia(cb) {
			const sub = db.media.find({ selector: { status: 'ready' } }).$.subscribe((docs) => cb(new Set(docs.map((d) => d.id))));
			return () => sub.unsubscribe();
		},
		watchActive(cb) {
			const subs = replication.states.map((s) => s.active$.subscribe(() => cb(replication.active())));
			return () => subs.forEach((s) => s.unsubscribe());
		},
		close: () => replication.stop()
	};
}

/** Logout: stop syncing, then remove the local copy (it holds reporters' phone numbers). */
export async function closeAndForget(inbox: Inbox | null): Promise<void> {
	await inbox?.close().catch(() => undefined);
	await removeDatabase();
}
