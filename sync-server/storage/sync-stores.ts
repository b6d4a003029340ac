import type { Contact } from '$lib/domain/contact';
import type { ReportEvent } from '$lib/domain/event';
import type { Media } from '$lib/domain/media';
import type { Report } from '$lib/domain/report';
import type { SyncCollection } from '$lib/domain/sync-protocol';
import type { Storage, Store, StoredDoc } from './storage';

/** A tenant's four synced collections, typed: most server modules read or write some of them. */
export interface SyncStores {
	reports: Store<Report>;
	contacts: Store<Contact>;
	events: Store<ReportEvent>;
	media: Store<Media>;
}

export const openSyncStores = (storage: Storage): SyncStores => ({
	reports: storage.store<Report>('reports'),
	contacts: storage.store<Contact>('contacts'),
	events: storage.store<ReportEvent>('events'),
	media: storage.store<Media>('media')
});

/** The same stores by collection name, for code generic over the collections (pull, push, streams, health). */
export const storesByCollection = (stores: SyncStores) => stores as unknown as Record<SyncCollection, Store<StoredDoc>>;
