import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PullQuery, PullResponse, PUSH_ROWS_MAX, PushBody, PushResponse, SYNC_COLLECTIONS, type PushRow, type SyncCollection } from '$lib/domain/sync-protocol';
import { authenticateFirst, principalOf, type TokenService } from '../auth/tokens';
import { ApiError } from '../http/api-error';
import { MAX_DOC_DEPTH, MAX_DOC_FIELDS, MAX_DOC_ITEMS, oversizedPushRows, PUSH_ROWS_BODY, type Oversize } from '../http/body-limits';
import type { Store, StoredDoc } from '../storage/storage';
import { pullChanges } from './pull.service';
import type { PushService } from './push.service';
import { pushedId, reject } from './push-validation';
import type { Scope } from '../access/scope';
import type { ScopeIndex } from '../access/scope-index';
import type { StreamHub, StreamLimits } from './stream.service';

// The pull query and the push body are the wire format's schemas (src/lib/domain/sync-protocol.ts).
const Params = z.object({ collection: z.string().describe(SYNC_COLLECTIONS.join(' | ')) });

const OVERSIZE: Record<Oversize, string> = {
	deep: `lồng quá ${MAX_DOC_DEPTH} cấp / nested deeper than ${MAX_DOC_DEPTH} levels`,
	wide: `quá ${MAX_DOC_ITEMS} phần tử hoặc ${MAX_DOC_FIELDS} trường / more than ${MAX_DOC_ITEMS} items or ${MAX_DOC_FIELDS} fields`
};

/**
 * The largest document the schemas allow, as JSON: a 4,000-character text at 3 bytes a character
 * (12 KB), unit lists of a whole province, ids and times; 32 KiB leaves room. A row carries a
 * document twice (new and assumed state).
 */
const MAX_DOC_BYTES = 32 * 1024;
export const PUSH_BODY_LIMIT = PUSH_ROWS_MAX * 2 * MAX_DOC_BYTES + 16 * 1024;

function collectionOf(name: string): SyncCollection {
	if (!(SYNC_COLLECTIONS as readonly string[]).includes(name))
		throw new ApiError(404, 'unknown_collection', `Không có bộ dữ liệu / No such collection: ${name}`);
	return name as SyncCollection;
}

/** RxDB replication endpoints (src/lib/domain/sync-protocol.ts), scoped to the caller. */
export async function syncRoutes(
	app: FastifyInstance,
	deps: {
		tokens: TokenService;
		scope: Scope;
		push: PushService;
		stores: Record<SyncCollection, Store<StoredDoc>>;
		hubs: Record<SyncCollection, StreamHub>;
		/** Caps on live streams per identity and address; none without. */
		streamLimits?: StreamLimits;
		/** First syncs read through it (pull.service.ts); without it every pull scans the feed. */
		index?: ScopeIndex;
	}
) {
	const r = app.withTypeProvider<ZodTypeProvider>();

	r.get('/api/sync/:collection/pull', { schema: { params: Params, querystring: PullQuery, response: { 200: PullResponse } } }, async (req) => {
		const collection = collectionOf(req.params.collection);
		const p = await deps.tokens.authenticate(req.raw);
		return pullChanges(deps.stores[collection], deps.scope, p, collection, req.query.checkpoint, req.query.limit, deps.index);
	});

	// Authenticated before the body is read (a stranger's megabytes are refused unread), a body sized
	// for a full batch of the largest documents, parsed with its deep documents cut out (body-limits.ts).
	r.post(
		'/api/sync/:collection/push',
		{
			schema: { params: Params, body: PushBody, response: { 200: PushResponse } },
			bodyLimit: PUSH_BODY_LIMIT,
			onRequest: authenticateFirst(deps.tokens),
			config: { [PUSH_ROWS_BODY]: PUSH_ROWS_MAX }
		},
		async (req) => {
			const collection = collectionOf(req.params.collection);
			const p = principalOf(req);
			// A document the byte scan cut (too deep, too wide) is refused on its own; the others are stored.
			const cut = oversizedPushRows(req);
			const rows: PushRow[] = [];
			const oversized: ReturnType<typeof reject>[] = [];
			for (const [i, row] of req.body.entries()) {
				const why = cut.get(i);
				if (why) oversized.push(reject(pushedId(row.newDocumentState), 'validation_failed', OVERSIZE[why]));
				else rows.push(row);
			}
			const pushed = await deps.push.push(p, collection, rows);
			const answer = { ...pushed, rejected: [...oversized, ...pushed.rejected] };
			// Refusals are answered per document and logged: a forged actor or a burst of forbidden
			// transitions is something an operator must be able to find.
			if (answer.rejected.length)
				req.log.warn(
					{ collection, actor: p.sub, role: p.role, rejected: answer.rejected.map((x) => ({ id: x.id, code: x.code, path: x.path })) },
					'push refused documents'
				);
			return answer;
		}
	);

	// No HEAD twin: a HEAD would attach a stream whose writes Node drops, holding the socket and a
	// stream slot with nothing ever sent (found by the fuzzer).
	r.get('/api/sync/:collection/stream', { schema: { params: Params }, exposeHeadRoute: false }, async (req, reply) => {
		const collection = collectionOf(req.params.collection);
		const { principal, expiresAt } = await deps.tokens.authenticateSession(req.raw);
		const release = deps.streamLimits?.admit(principal.sub, req.ip);
		// From here the response is a long-lived SSE stream written by the hub, until the token expires.
		reply.hijack();
		deps.hubs[collection].attach(principal, reply.raw, { expiresAt, onEnd: release });
	});
}
