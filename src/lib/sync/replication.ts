import { Subject } from 'rxjs';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { RxReplicationPullStreamItem } from 'rxdb';
import type { ErrorCode, Rejection } from '../domain/errors';
import type { Role } from '../domain/principal';
import type { Checkpoint, PullResponse, PushResponse, SyncCollection } from '../domain/sync-protocol';
import { ApiFailure, apiFetch, resolveOrigin } from './api';
import type { CauNoiDatabase } from './db';
import { normalizePulled } from './rx-schemas';

/**
 * Live replication of the RxDB collections with the sync-server's protocol: pull by checkpoint,
 * a server-sent-events stream for changes as they happen (RESYNC after a reconnect), push for
 * the collections the role writes through RxDB. Reports and contacts of residents go through the
 * outbox instead (it carries photos and must work from the service worker).
 */

/** Collections each role pushes through RxDB (the server scopes and validates every document). */
const PUSH_BY_ROLE: Record<Role, SyncCollection[]> = {
	resident: ['events'],
	volunteer: ['events'],
	handler: ['events'],
	leader: ['events'],
	admin: ['events'],
	operator: []
};

export interface ReplicationOptions {
	origin?: string;
	role: Role;
	/** Throws ApiFailure('token_expired') when the user must log in again. */
	getToken(): Promise<string>;
	/** The session is over (expired or refused): replication stops, the page asks for a login. */
	onAuthError?(code: ErrorCode): void;
	collections?: SyncCollection[];
	/**
	 * The user's actor id: only their own events are pushed. RxDB can push back a document it has
	 * just pulled (a RESYNC's upstream pass may read the fork before the pull's meta data is written);
	 * the server would refuse someone else's event as not_owner and the user would see a false refusal.
	 */
	actorId?: string;
}

export interface Replication {
	states: RxReplicationState<any, Checkpoint>[];
	/** Documents the server refused in a push: shown to the user, never retried forever. */
	rejected$: Subject<{ collection: SyncCollection; rejection: Rejection }>;
	/** True while any collection is pulling or pushing. */
	active(): boolean;
	stop(): Promise<void>;
}

/** An SSE stream that survives token expiry: EventSource cannot renew a token by itself. */
export function sseStream(url: (token: string) => string, opts: Pick<ReplicationOptions, 'getToken'>, onAuth: (e: unknown) => void) {
	const subject = new Subject<RxReplicationPullStreamItem<any, Checkpoint>>();
	let source: EventSource | null = null;
	let stopped = false;
	let retryMs = 1_000;
	let timer: ReturnType<typeof setTimeout> | undefined;

	const open = async () => {
		if (stopped || typeof EventSource === 'undefined') return;
		let token: string;
		try {
			token = await opts.getToken();
		} catch (e) {
			onAuth(e);
			return;
		}
		if (stopped) return;
		source = new EventSource(url(token));
		source.onmessage = (ev) => {
			retryMs = 1_000;
			let data: unknown;
			try {
				data = JSON.parse(ev.data);
			} catch {
				return;
			}
			if (data === 'RESYNC') subject.next('RESYNC');
			else if (data && typeof data === 'object' && Array.isArray((data as PullResponse).documents)) {
				const { documents, checkpoint } = data as PullResponse;
				subject.next({ documents: documents as any[], checkpoint: checkpoint as Checkpoint });
			}
		};
		source.onerror = () => {
			// The browser reconnects by itself unless the server answered with an error status
			// (e.g. 401 with an expired token): then open again with a fresh token, backing off.
			if (source?.readyState !== EventSource.CLOSED) return;
			source = null;
			clearTimeout(timer);
			timer = setTimeout(open, retryMs);
			retryMs = Math.min(retryMs * 2, 60_000);
		};
	};
	// Back online: open now. The backoff grew while the device was offline (up to a minute), and
	// steps made meanwhile by others (a leader's decision) would wait for it.
	const onOnline = () => {
		if (stopped || source) return;
		clearTimeout(timer);
		retryMs = 1_000;
		void open();
	};
	globalThis.addEventListener?.('online', onOnline);
	void open();
	return {
		stream$: subject.asObservable(),
		close() {
			stopped = true;
			globalThis.removeEventListener?.('online', onOnline);
			clearTimeout(timer);
			source?.close();
			subject.complete();
		}
	};
}

export function startReplication(db: CauNoiDatabase, opts: ReplicationOptions): Replication {
	const origin = resolveOrigin(opts.origin);
	const rejected$ = new Subject<{ collection: SyncCollection; rejection: Rejection }>();
	const closers: (() => void)[] = [];
	const states: RxReplicationState<any, Checkpoint>[] = [];
	let authFailed = false;

	const onAuth = (e: unknown) => {
		if (!(e instanceof ApiFailure) || !(e.authExpired || e.code === 'bad_credentials')) return;
		if (authFailed) return;
		authFailed = true;
		opts.onAuthError?.(e.code);
		void replication.stop();
	};

	/** A call with the session's token; an auth failure ends the replication instead of retrying forever. */
	const call = async <T>(fn: (token: string) => Promise<T>): Promise<T> => {
		try {
			return await fn(await opts.getToken());
		} catch (e) {
			onAuth(e);
			throw e;
		}
	};

	const collections = opts.collections ?? (['reports', 'contacts', 'events', 'media'] as SyncCollection[]);
	for (const name of collections) {
		const base = `${origin}/api/sync/${name}`;
		const stream = sseStream((token) => `${base}/stream?token=${encodeURIComponent(token)}`, opts, onAuth);
		closers.push(stream.close);
		const canPush = PUSH_BY_ROLE[opts.role].includes(name);
		const state = replicateRxCollection<any, Checkpoint>({
			collection: db[name],
			replicationIdentifier: `cau-noi-${name}-${origin}`,
			live: true,
			retryTime: 10_000,
			// Each tab replicates for itself: no leader-election plugin to ship.
			waitForLeadership: false,
			pull: {
				batchSize: 200,
				stream$: stream.stream$,
				modifier: (doc) => normalizePulled(name, doc),
				handler: async (checkpoint, batchSize) => {
					// The first pull has no checkpoint: the parameter is left out.
					const documents: unknown[] = [];
					let at = checkpoint;
					// A short page with `more` is not the end: keep asking until the page is full or the
					// server has read its feed to the end (bounded, so a huge backlog spans several pulls).
					for (let round = 0; round < 200; round++) {
						const q = `${at ? `checkpoint=${encodeURIComponent(JSON.stringify(at))}&` : ''}limit=${batchSize - documents.length}`;
						const answer = await call((token) => apiFetch<PullResponse>(`${base}/pull?${q}`, { token }));
						documents.push(...answer.documents);
						at = answer.checkpoint ?? at;
						if (!answer.more || documents.length >= batchSize) break;
					}
					return { documents: documents as any[], checkpoint: at };
				}
			},
			push: canPush
				? {
						batchSize: 50,
						handler: async (rows) => {
							// Someone else's event came from the server: the master already holds it as it is.
							if (name === 'events' && opts.actorId)
								rows = rows.filter((r) => (r.newDocumentState as { actorId?: string }).actorId === opts.actorId);
							if (!rows.length) return [];
							const answer = await call((token) => apiFetch<PushResponse>(`${base}/push`, { token, body: rows }));
							for (const rejection of answer.rejected ?? []) rejected$.next({ collection: name, rejection });
							return answer.conflicts as any[];
						}
					}
				: undefined
		});
		states.push(state);
	}

	const replication: Replication = {
		states,
		rejected$,
		active: () => states.some((s) => s.subjects.active.getValue()),
		async stop() {
			for (const close of closers.splice(0)) close();
			await Promise.all(states.map((s) => s.cancel()));
		}
	};
	return replication;
}
