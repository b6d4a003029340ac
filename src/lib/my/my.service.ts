import type { Subscription } from 'rxjs';
import { uuidv7 } from '../domain/uuid';
import type { ReportEvent } from '../domain/event';
import type { Report } from '../domain/report';
import { getDatabase, MY_DB_NAME, type CauNoiDatabase } from '../sync/db';
import { plainDoc, watchQuery, watchReadyMedia, watchReports } from '../sync/replica-watch';
import { startReplication, type Replication } from '../sync/replication';
import { deviceActorId, getDeviceIdentity, getDeviceToken } from '../sync/session';
import { onPersonLinked, restartFromScratch, takeResyncPending } from '../account/person-link';
import { startStepPhotoQueue, type StepPhotoQueue } from '../handler/event-photos.service';
import { listRejections, noticeSources, recordNotices, saveRejection } from './notices';

/**
 * The resident's own reports on this device: an RxDB replica ('cau-noi-my', apart from a handler's
 * inbox on the same phone) pulled with the device token and kept live by the server-sent-events
 * stream, so a handler's step shows up without a reload. The resident's answers and ratings are
 * events inserted here: visible at once as "not sent yet", pushed when the network allows. Loaded
 * with `await import()` by /my only: the home page and the report form never pay for RxDB.
 */

/** The resident's own steps on /my; `withdrawn` closes the report (rút phản ánh), from any of their phones. */
export type ResidentEventType = 'info_provided' | 'feedback' | 'contested' | 'withdrawn';

/** What the resident's step carries; `id` is made when its form opened (its photos are kept under it). */
export interface ResidentFields {
	id?: string;
	note?: string;
	satisfied?: boolean;
	/** An answer's photos, prepared on the device (event-photos.service.ts), uploaded after the step. */
	photoIds?: string[];
}

export interface MyReports {
	/** This device's actor id (`device:<uuid>`). */
	sub: string;
	/** Newest received first; called on every change. */
	watchReports(cb: (reports: Report[]) => void): () => void;
	/** Every event of the resident's reports, stored or still on this device. */
	watchEvents(cb: (events: ReportEvent[]) => void): () => void;
	/** Ids of the photos the server has stored. */
	watchReadyMedia(cb: (ids: ReadonlySet<string>) => void): () => void;
	watchActive(cb: (active: boolean) => void): () => void;
	/** Appends the resident's answer, rating, contest or withdrawal; pushed by the replication, its photos by the photo queue. */
	append(report: Pick<Report, 'id' | 'tenantId'>, type: ResidentEventType, fields: ResidentFields): Promise<ReportEvent>;
	close(): Promise<void>;
}


export async function openMyReports(opts: { origin?: string } = {}): Promise<MyReports> {
	// A token first: it registers the device on its first visit, and names the actor of its events.
	await getDeviceToken({ origin: opts.origin }).catch(() => undefined);
	const identity = await getDeviceIdentity();
	const sub = identity.user?.sub ?? (await deviceActorId());
	const db: CauNoiDatabase = await getDatabase({ name: MY_DB_NAME });

	let replication!: Replication;
	let rejectedSub: Subscription | null = null;
	let closed = false;
	let restarts = 0;
	const activeListeners = new Set<(a: boolean) => void>();
	const activeSubs: Subscription[] = [];

	const start = () => {
		replication = startReplication(db, {
			origin: opts.origin,
			role: 'resident',
			actorId: sub,
			collections: ['reports', 'events', 'media'],
			getToken: () => getDeviceToken({ origin: opts.origin }),
			// A resident never "logs in again": the device renews its token with its own secret and
			// the replication starts over (a few times, not in a loop).
			onAuthError: () => {
				if (closed || restarts >= 3) return;
				restarts++;
				void getDeviceToken({ origin: opts.origin, forceRefresh: true })
					.then(() => replication.stop())
					.then(() => !closed && start())
					.catch(() => undefined);
			}
		});
		rejectedSub?.unsubscribe();
		rejectedSub = replication.rejected$.subscribe(({ rejection }) => {
			void (async () => {
				const doc = await db.events.findOne(rejection.id).exec();
				const e = doc ? plainDoc<ReportEvent>(doc) : null;
				await saveRejection({
					eventId: rejection.id,
					reportId: e?.reportId ?? '',
					type: e?.type ?? 'info_provided',
					...(e?.note ? { note: e.note } : {}),
					...(typeof e?.satisfied === 'boolean' ? { satisfied: e.satisfied } : {}),
					code: rejection.code,
					message: rejection.message,
					at: Date.now()
				});
			})();
		});
		for (const s of activeSubs.splice(0)) s.unsubscribe();
		for (const state of replication.states)
			activeSubs.push(state.active$.subscribe(() => activeListeners.forEach((cb) => cb(replication.active()))));
	};
	start();
	// A phone verification (here or in another tab) made more reports this person's: pull everything
	// again from empty checkpoints, or the events of reports that just became visible never arrive.
	const again = () => (start(), replication);
	if (await takeResyncPending()) await restartFromScratch(replication, again);
	const offLinked = onPersonLinked(() => void restartFromScratch(replication, again));

	// New events from handlers, leaders or the system become notices, whether /my shows them or not.
	const noticeSub = db.events.find().$.subscribe((docs) => {
		// Every event of the reports is here: their leads are followed from the start.
		void recordNotices(noticeSources(docs.map((d) => plainDoc<ReportEvent>(d))));
	});

	// An answer's photos go the way a handler's step photos go (tus, resumable, one at a time), with
	// the device's token, once their step is on this device; the server takes them before or after it.
	const photos: StepPhotoQueue = startStepPhotoQueue({
		origin: opts.origin,
		getToken: () => getDeviceToken({ origin: opts.origin }),
		// Only this device's own steps: a staff step on the same phone is the handler's queue's to send.
		async appended(ids) {
			const docs = await db.events.findByIds(ids).exec();
			return new Set([...docs.values()].map((d) => plainDoc<ReportEvent>(d)).filter((e) => e.actorId === sub).map((e) => e.id));
		},
		refused: async () => new Set((await listRejections()).map((r) => r.eventId)),
		stopReason: 'The resident left My reports.'
	});

	return {
		sub,
		watchReports: (cb) => watchReports(db, cb),
		watchEvents: (cb) => watchQuery(db.events.find(), (docs) => cb(docs.map((d) => plainDoc<ReportEvent>(d)))),
		watchReadyMedia: (cb) => watchReadyMedia(db, cb),
		watchActive(cb) {
			activeListeners.add(cb);
			cb(replication.active());
			return () => activeListeners.delete(cb);
		},
		async append(report, type, fields) {
			const note = fields.note?.trim();
			const event: ReportEvent = {
				id: uuidv7(),
				reportId: report.id,
				tenantId: report.tenantId,
				type,
				actorId: sub,
				actorRole: 'resident',
				...(note ? { note } : {}),
				...(typeof fields.satisfied === 'boolean' ? { satisfied: fields.satisfied } : {}),
				...(fields.photoIds?.length ? { photoIds: fields.photoIds } : {}),
				at: new Date().toISOString(),
				_deleted: false
			};
			if (fields.id) event.id = fields.id;
			await db.events.insert(event);
			if (event.photoIds) photos.kick();
			return event;
		},
		async close() {
			closed = true;
			photos.stop();
			offLinked();
			noticeSub.unsubscribe();
			rejectedSub?.unsubscribe();
			for (const s of activeSubs.splice(0)) s.unsubscribe();
			activeListeners.clear();
			await replication.stop();
		}
	};
}
