import { liveQuery } from 'dexie';
import type { Contact } from '../domain/contact';
import type { ErrorCode } from '../domain/errors';
import type { ReportEvent } from '../domain/event';
import type { Report } from '../domain/report';
import { getDatabase, removeDatabase, type CauNoiDatabase } from '../sync/db';
import * as replica from '../sync/replica-watch';
import { startReplication, type Replication } from '../sync/replication';
import { getStaffToken } from '../sync/session';
import { localDb, type SessionUser } from '../sync/local-db';
import { startStepPhotoQueue, unsentStepPhotos, type StepPhotoQueue } from './event-photos.service';
import { forgetHandlingData, recordRefusal, refusedIds, watchRefusals, type RefusedStep } from './handling-store';
import { withLocalSteps } from './local-inbox';
import { LiveSet, nextTask, readInPages } from './sliced-read';

/**
 * The handler's inbox: the RxDB replica of the reports assigned to their units, kept live by the
 * replication, queried newest first. Loaded with `await import()` by the handler page only, so
 * RxDB never weighs on the report form.
 *
 * Handling steps are events appended to the local `events` collection: they show at once (pending,
 * without a server time) and the replication pushes them in the order they were made when the
 * network allows. The server judges each one; a refused step is kept with its reason until the
 * handler has read it (handling-store.ts).
 */

export interface Unsent {
	/** Steps appended on this device the server has not stored yet (refused ones excluded). */
	events: number;
	/** Photos of those steps not uploaded yet. */
	photos: number;
}

export interface Inbox {
	user: SessionUser;
	/**
	 * Newest received first; calls back on every change (no reload). `loading` while the device's copy
	 * is still being read: the list is not whole yet (it is not called back with a partial one).
	 */
	watchReports(cb: (reports: Report[], loading: boolean) => void): () => void;
	watchContact(reportId: string, cb: (contact: Contact | null) => void): () => void;
	/** Ids of the photos the server has stored: a photo follows its report, so a thumbnail may need a second try. */
	watchReadyMedia(cb: (ids: ReadonlySet<string>) => void): () => void;
	watchActive(cb: (active: boolean) => void): () => void;
	/** Ids of the reports with a `reopened` event on this device: the desk highlights them while open. */
	watchReopened(cb: (ids: ReadonlySet<string>) => void): () => void;
	/** Ids of the reports with a step of this official not stored by the server, or refused and not read yet. */
	watchOwnSteps(cb: (ids: ReadonlySet<string>) => void): () => void;
	/** A report's events on this device (stored and pending), live. */
	watchEvents(reportId: string, cb: (events: ReportEvent[]) => void): () => void;
	/** Appends a step: on the device at once, pushed by the replication when the network allows. */
	append(event: ReportEvent): Promise<void>;
	/** Counts of this official's work not on the server yet, live. */
	watchUnsent(cb: (unsent: Unsent) => void): () => void;
	unsent(): Promise<Unsent>;
	close(): Promise<void>;
}

const plainEvent = (d: { toJSON(): unknown }) => d.toJSON() as ReportEvent;

/**
 * Reports read from the device per page: ~100 cost a few ms on a fast machine, well under 50 ms on
 * a phone 4× slower (BENCH_PROFILE=1 npm run bench -- handler-inbox).
 */
const REPORTS_PAGE = 100;

/** Newest received first; the id orders reports received in the same millisecond. */
const newestFirst = (a: Report, b: Report) => {
	const [x, y] = [a.receivedAt ?? '', b.receivedAt ?? ''];
	return x < y ? 1 : x > y ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

/** Steps of this official the server has not stored, refused ones left out. */
async function pendingSteps(db: CauNoiDatabase, sub: string): Promise<ReportEvent[]> {
	const [mine, refused] = await Promise.all([db.events.find({ selector: { actorId: sub } }).exec(), refusedIds()]);
	return mine.map(plainEvent).filter((e) => !e.serverAt && !refused.has(e.id));
}

/** This official's reports with a step not stored yet: all their events, and the refused steps. */
async function localSteps(db: CauNoiDatabase, sub: string): Promise<{ events: ReportEvent[]; refused: ReadonlySet<string> }> {
	const [mine, refused] = await Promise.all([db.events.find({ selector: { actorId: sub } }).exec(), refusedIds()]);
	const reportIds = [...new Set(mine.filter((e) => !e.serverAt && !refused.has(e.id)).map((e) => e.reportId))];
	if (!reportIds.length) return { events: [], refused };
	const events = await db.events.find({ selector: { reportId: { $in: reportIds } } }).exec();
	return { events: events.map(plainEvent), refused };
}

async function appendedIds(db: CauNoiDatabase, ids: string[]): Promise<Set<string>> {
	return new Set((await db.events.findByIds(ids).exec()).keys());
}

async function countUnsent(db: CauNoiDatabase, sub: string): Promise<Unsent> {
	const [events, photos] = await Promise.all([
		pendingSteps(db, sub).then((e) => e.length),
		unsentStepPhotos({ appended: (ids) => appendedIds(db, ids), refused: refusedIds })
	]);
	return { events, photos };
}

export async function openInbox(user: SessionUser, onAuthError: (code: ErrorCode) => void): Promise<Inbox> {
	// Loading RxDB's code, opening the database, starting the replication and the page's first
	// queries were one long task on a slow phone: a pause between each.
	await nextTask();
	const db: CauNoiDatabase = await getDatabase();
	await nextTask();
	const replication: Replication = startReplication(db, { role: user.role, actorId: user.sub, getToken: getStaffToken, onAuthError });
	// A refusal is announced once, by the push that carried it: keep it, so it is shown until read.
	const refusals = replication.rejected$.subscribe(({ collection, rejection }) => {
		if (collection !== 'events') return;
		void db.events
			.findOne(rejection.id)
			.exec()
			.then((doc) =>
				recordRefusal({
					eventId: rejection.id,
					reportId: doc?.reportId ?? '',
					type: doc?.type ?? 'progress',
					code: rejection.code,
					message: rejection.message
				})
			);
	});
	const photos: StepPhotoQueue = startStepPhotoQueue({
		getToken: getStaffToken,
		appended: (ids) => appendedIds(db, ids),
		refused: refusedIds,
		stopReason: 'The handler’s inbox was closed (sign-out or another page).'
	});
	await nextTask();

	return {
		user,
		watchReports(cb) {
			// The replica's reports with this official's pending steps applied (withLocalSteps): a step
			// made offline changes the list at once, not when the server has it.
			const known = new LiveSet<Report>();
			let loading = true;
			let stopped = false;
			let local = { events: [] as ReportEvent[], refused: new Set<string>() as ReadonlySet<string> };
			let run = 0;
			/** The first draw waits for the pending steps too: a report must not show its old status first. */
			let localRead = false;
			let drawing: ReturnType<typeof setTimeout> | null = null;
			const emit = () => {
				drawing = null;
				if (!stopped) cb(withLocalSteps(known.values().sort(newestFirst), local.events, local.refused), loading);
			};
			// In a task of its own, once per burst: a replication batch writes many reports at once.
			const draw = () => {
				if (!loading && localRead && !stopped && drawing === null) drawing = setTimeout(emit, 0);
			};
			const reread = () => {
				const mine = ++run;
				void localSteps(db, user.sub)
					.catch(() => local)
					.then((l) => {
						if (mine !== run) return;
						local = l;
						localRead = true;
						draw();
					});
			};
			// Changes first, then the pages: a report written while the pages are read is not missed.
			const changes = db.reports.eventBulks$.subscribe((bulk) => {
				if (bulk.isLocal) return;
				for (const e of bulk.events) known.change(e.documentData as Report);
				draw();
			});
			void readInPages(
				(from, limit) =>
					db.reports
						.find({ selector: from === null ? {} : { receivedAt: { $gte: from } }, sort: [{ receivedAt: 'asc' }, { id: 'asc' }], limit })
						.exec()
						.then((docs) => docs.map((d) => replica.plainDoc<Report>(d))),
				(r) => r.receivedAt ?? '',
				(page) => page.forEach((r) => known.read(r)),
				{ size: REPORTS_PAGE, pause: nextTask, stopped: () => stopped }
			)
				.catch((err: unknown) => console.error('Reading the inbox from the device failed', err))
				.finally(() => {
					loading = false;
					draw();
				});
			const subs = [
				replica.watchQuery(db.events.find({ selector: { actorId: user.sub } }), reread),
				// A refusal arrives in the settings table: the refused step stops counting.
				watchRefusals(reread)
			];
			return () => {
				stopped = true;
				if (drawing !== null) clearTimeout(drawing);
				changes.unsubscribe();
				subs.forEach((stop) => stop());
			};
		},
		watchContact: (reportId, cb) =>
			replica.watchQuery(db.contacts.findOne({ selector: { reportId } }), (d) => cb(d ? replica.plainDoc<Contact>(d) : null)),
		watchReadyMedia: (cb) => replica.watchReadyMedia(db, cb),
		watchActive: (cb) => replica.watchActive(replication, cb),
		watchReopened: (cb) =>
			replica.watchQuery(db.events.find({ selector: { type: 'reopened' } }), (docs) => cb(new Set(docs.map((d) => d.reportId)))),
		watchOwnSteps(cb) {
			let mine: ReportEvent[] = [];
			let refusals: RefusedStep[] = [];
			let last: string | null = null;
			const update = () => {
				const read = new Set(refusals.filter((r) => r.dismissed).map((r) => r.eventId));
				const ids = new Set(mine.filter((e) => !e.serverAt && !read.has(e.id)).map((e) => e.reportId));
				for (const r of refusals) if (!r.dismissed) ids.add(r.reportId);
				const key = [...ids].sort().join(',');
				if (key !== last) (last = key), cb(ids);
			};
			const subs = [
				replica.watchQuery(db.events.find({ selector: { actorId: user.sub } }), (docs) => {
					mine = docs.map(plainEvent);
					update();
				}),
				watchRefusals((r) => {
					refusals = r;
					update();
				})
			];
			return () => subs.forEach((stop) => stop());
		},
		watchEvents: (reportId, cb) =>
			replica.watchQuery(db.events.find({ selector: { reportId }, sort: [{ at: 'asc' }] }), (docs) => cb(docs.map(plainEvent))),
		async append(event) {
			// RxDB keeps `_deleted` itself.
			const { _deleted: _, ...doc } = event;
			await db.events.insert(doc as ReportEvent);
			photos.kick();
		},
		watchUnsent(cb) {
			let last = '';
			const update = () =>
				void countUnsent(db, user.sub).then((u) => {
					const key = `${u.events}/${u.photos}`;
					if (key !== last) (last = key), cb(u);
				});
			const subs = [
				db.events.$.subscribe(update),
				// Photos leave the device's table as they upload, and refusals arrive in the settings table.
				liveQuery(() => Promise.all([localDb.photos.where('eventId').above('').count(), localDb.settings.count()])).subscribe({
					next: update,
					error: () => undefined
				})
			];
			update();
			return () => subs.forEach((s) => s.unsubscribe());
		},
		unsent: () => countUnsent(db, user.sub),
		async close() {
			photos.stop();
			refusals.unsubscribe();
			await replication.stop();
		}
	};
}

/**
 * Work of `sub` still on this device without a running inbox (e.g. the session ran out): counted from
 * the local database, which is opened for it.
 */
export async function unsentOnDevice(sub: string): Promise<Unsent> {
	const db = await getDatabase();
	return countUnsent(db, sub);
}

/** Logout: stop syncing, then remove the local copy (it holds reporters' phone numbers) and the handling drafts and photos. */
export async function closeAndForget(inbox: Inbox | null): Promise<void> {
	await inbox?.close().catch(() => undefined);
	await removeDatabase();
	await forgetHandlingData();
}
