import { storageName } from '../pwa/namespace';

/**
 * Names of the RxDB databases, apart from db.ts so that code checking for them (volunteer
 * sign-out) does not load RxDB. Named per province when the app is built under a path of a shared
 * host (namespace.ts); unchanged at the root.
 */

/** A handler's (or volunteer's) inbox: reports, contacts, events, media of their units. */
export const DB_NAME = storageName('cau-noi-inbox');
/** The resident's own reports (/my): a separate database, since one phone may hold both. */
export const MY_DB_NAME = storageName('cau-noi-my');
