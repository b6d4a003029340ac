import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PULL_LIMIT_MAX, SYNC_COLLECTIONS, type Checkpoint, type SyncCollection } from '../../src/lib/domain/sync-protocol';
import type { TokenService } from '../auth/tokens';
import { ApiError } from '../http/api-error';
import type { Store, StoredDoc } from '../storage/storage';
import { pullChanges } from './pull.service';
import type { PushService } from './push.service';
import type { Scope } from './scope';
import type { ScopeIndex } from './scope-index';
import type { StreamHub } from './stream.service';

const Params = z.object({ collection: z.string() });

const CheckpointParam = z
	.string()
	.optional()
	.transform((s, ctx): Checkpoint | null => {
		if (!s || s === 'null') return null;
		try {
			const v = JSON.parse(s) as unknown;
			if (v === null) return null;
			const seqOk = (x: unknown) => ['string', 'number'].includes(typeof x);
			if (v && typeof v === 'object' && seqOk((v as Checkpoint).seq)) {
				// `initial`: a first sync through the index still going on (pull.service.ts).
				const { seq, initial } = v as Checkpoint;
				if (initial === undefined) return { seq };
				if (initial === null) return { seq, initial: null };
				if (typeof initial === 'object' && seqOk(initial.seq) && typeof initial.after === 'string')
					return { seq, initial: { seq: initial.seq, after: initial.after } };
			}
		} catch {
			/* answered below */
		}
		ctx.addIssue({ code: 'custom', message: 'checkpoint must be JSON {"seq": …} or null' });
		return z.NEVER;
	});

const PullQuery = z.object({
	checkpoint: CheckpointParam,
	limit: z.coerce.number().int().min(1).max(PULL_LIMIT_MAX).default(100),
	token: z.string().optional()
});

const Json = z.record(z.string(), z.unknown());
/** At most one pull page's worth of rows per push. */
const PushBody = z
	.array(z.object({ newDocumentState: Json, assumedMasterState: Json.nullable().optional() }))
	.max(PULL_LIMIT_MAX);

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
		/** First syncs read through it (pull.service.ts); without it every pull scans the feed. */
		index?: ScopeIndex;
	}
) {
	const r = app.withTypeProvider<ZodTypeProvider>();

	r.get('/api/sync/:collection/pull', { schema: { params: Params, querystring: PullQuery } }, async (req) => {
		const collection = collectionOf(req.params.collection);
		const p = await deps.tokens.authenticate(req.raw);
		return pullChanges(deps.stores[collection], deps.scope, p, collection, req.query.checkpoint, req.query.limit, deps.index);
	});

	// A full batch of long reports can pass Fastify's 1 MiB default.
	r.post('/api/sync/:collection/push', { schema: { params: Params, body: PushBody }, bodyLimit: 8 * 1024 * 1024 }, async (req) => {
		const collection = collectionOf(req.params.collection);
		const p = await deps.tokens.authenticate(req.raw);
		const answer = await deps.push.push(p, collection, req.body);
		// Refusals are answered per document and logged: a forged actor or a burst of forbidden
		// transitions is something an operator must be able to find.
		if (answer.rejected.length)
			req.log.warn(
				{ collection, actor: p.sub, role: p.role, rejected: answer.rejected.map((x) => ({ id: x.id, code: x.code, path: x.path })) },
				'push refused documents'
			);
		return answer;
	});

	r.get('/api/sync/:collection/stream', { schema: { params: Params } }, async (req, reply) => {
		const collection = collectionOf(req.params.collection);
		const p = await deps.tokens.authenticate(req.raw);
		// From here the response is a long-lived SSE stream written by the hub.
		reply.hijack();
		deps.hubs[collection].attach(p, reply.raw);
	});
}
