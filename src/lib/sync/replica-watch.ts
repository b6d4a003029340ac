import type { Observable } from 'rxjs';
import type { Report } from '../domain/report';
import type { CauNoiDatabase } from './db';
import type { Replication } from './replication';

/**
 * Live views of an RxDB replica, shared by the handler's inbox and the resident's /my: each calls
 * back on every change and returns the function that stops it. Types only from RxDB here: the module
 * adds nothing to a page that does not open a replica.
 */

export type Unwatch = () => void;

/** A document as a plain object, with RxDB's meta fields. */
export const plainDoc = <T>(d: { toJSON(withMetaFields: true): unknown }): T => d.toJSON(true) as T;

/** Calls back with a query's result (`find`, `findOne`) on every change. */
export function watchQuery<R>(query: { $: Observable<R> }, cb: (result: R) => void): Unwatch {
	const sub = query.$.subscribe(cb);
	return () => sub.unsubscribe();
}

/** The replica's reports, newest received first. */
export function watchReports(db: CauNoiDatabase, cb: (reports: Report[]) => void): Unwatch {
	return watchQuery(db.reports.find({ sort: [{ receivedAt: 'desc' }] }), (docs) => cb(docs.map((d) => plainDoc<Report>(d))));
}

/** Ids of the photos the server has stored: a photo follows its report, so a thumbnail may need a second try. */
export function watchReadyMedia(db: CauNoiDatabase, cb: (ids: ReadonlySet<string>) => void): Unwatch {
	return watchQuery(db.media.find({ selector: { status: 'ready' } }), (docs) => cb(new Set(docs.map((d) => d.id))));
}

/** Whether any collection is pulling or pushing: at once, then on every change. */
export function watchActive(replication: Replication, cb: (active: boolean) => void): Unwatch {
	const subs = replication.states.map((s) => s.active$.subscribe(() => cb(replication.active())));
	return () => subs.forEach((s) => s.unsubscribe());
}
