import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IocWarning, IocWarningList } from '$lib/domain/ioc';
import { seesOperationsCentre, type Principal } from '$lib/domain/principal';
import { ApiError } from '../http/api-error';
import type { TokenService } from '../auth/tokens';
import type { Store } from '../storage/storage';
import type { StoredWarning, WarningList } from './warnings';

const ListQuery = z.strictObject({ open: z.enum(['0', '1']).default('0') });
const Params = z.object({ id: z.string().min(3).max(200) });

/**
 * What of the operations centre (its figures and its warnings) `p` sees: leaders, operators and
 * admins the whole tenant (undefined), a unit head their own units; anyone else is refused.
 */
export function iocUnitsOf(p: Principal): readonly string[] | undefined {
	if (!seesOperationsCentre(p)) throw new ApiError(403, 'forbidden_scope', 'Chỉ lãnh đạo, trưởng đơn vị và trung tâm điều hành xem được / Leaders, unit heads and the operations centre only');
	return p.role === 'handler' ? p.unitIds : undefined;
}

/**
 *   GET  /api/ioc/warnings?open=1        the recent warnings (open only: not acknowledged), newest first
 *   POST /api/ioc/warnings/:id/ack       acknowledges one (once: a second acknowledgement changes nothing)
 */
export async function warningRoutes(app: FastifyInstance, deps: { tokens: TokenService; store: Store<StoredWarning>; list: () => WarningList; now: () => Date }) {
	const r = app.withTypeProvider<ZodTypeProvider>();

	r.get('/api/ioc/warnings', { schema: { querystring: ListQuery, response: { 200: IocWarningList } } }, async (req, reply) => {
		const units = iocUnitsOf(await deps.tokens.authenticate(req.raw));
		reply.header('cache-control', 'no-store');
		return { warnings: deps.list().list({ units, open: req.query.open === '1' }) };
	});

	r.post('/api/ioc/warnings/:id/ack', { schema: { params: Params, response: { 200: IocWarning } } }, async (req) => {
		const p = await deps.tokens.authenticate(req.raw);
		const units = iocUnitsOf(p);
		for (let attempt = 0; attempt < 5; attempt++) {
			const held = (await deps.store.getMany([req.params.id])).get(req.params.id);
			if (!held || held.doc._deleted || (units && !held.doc.unitIds.some((u) => units.includes(u))))
				throw new ApiError(404, 'not_found', 'Không có cảnh báo này / No such warning');
			const { _deleted: _d, ...warning } = held.doc;
			if (warning.acknowledged) return warning;
			const acknowledged = { ...warning, acknowledged: { by: p.sub, at: deps.now().toISOString() } };
			const [res] = await deps.store.bulkPut([{ doc: acknowledged as StoredWarning, rev: held.rev }]);
			if (res.ok) return acknowledged;
			if (!res.conflict) throw new Error(res.error);
		}
		throw new ApiError(503, 'server_error', 'Thử lại sau ít giây / Try again in a few seconds');
	});
}
