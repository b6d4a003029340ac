import type { FastifyInstance } from 'fastify';
import type { Storage } from '../storage/storage';
import type { SyncStores } from '../storage/sync-stores';
import { createScope, type Scope } from './scope';
import { createScopeIndex, type ScopeIndex, type ScopeIndexDeps } from './scope-index';

export interface AccessModule {
	/** Who may read which document (sync, media and the live streams ask it). */
	scope: Scope;
	/** Reports by scope key and each report's children: first syncs and `eventsOf` read through it. */
	scopeIndex: ScopeIndex;
	/** Starts following the feeds (once the server listens). */
	start(): void;
	/** Stops following them; after the app has closed, before the storage does. */
	stop(): Promise<void>;
}

/** Access control: the scope rules over the tenant's reports, and the index that serves them fast. */
export function setupAccess(app: FastifyInstance, deps: { storage: Storage; stores: SyncStores }): AccessModule {
	const scope = createScope(deps.stores.reports);
	// It follows the feeds (scope-index.ts); a failed batch is retried.
	const scopeIndex = createScopeIndex({
		index: deps.storage.store('scope-index'),
		stores: deps.stores as unknown as ScopeIndexDeps['stores'],
		onError: (collection, err) => app.log.error({ err, collection }, 'scope index failed; retrying')
	});
	return { scope, scopeIndex, start: () => scopeIndex.start(), stop: () => scopeIndex.stop() };
}
