import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { BoundaryCollection } from '$lib/domain/geo';
import { ZONING_IMPORT_MAX_BYTES } from '$lib/domain/zoning-import-limit';
import type { TenantConfig } from '$lib/domain/tenant';
import { ZoningPlan } from '$lib/domain/zoning';
import { authenticateFirst, principalOf, type TokenService } from '../auth/tokens';
import { ApiError } from '../http/api-error';
import { bodyCheckedByHandler, type Describes } from '../http/openapi';
import { checkJsonNesting } from './geojson-validate';
import { centralMeridianOf, ImportBody, readImport, type ImportRejection } from './zoning-import';
import type { ZoningPlanStore } from './zoning-store';
import type { ZoningVersions } from './zoning-versions';

/** A plan file's size limit, shared with the admin's form (src/routes/admin/zoning). */
const IMPORT_BODY_LIMIT = ZONING_IMPORT_MAX_BYTES;

/** The answers, as the API's document shows them and the serializer sends them. */
const Rejection = z.object({
	collection: z.enum(['zones', 'parcels']),
	index: z.number().int(),
	id: z.union([z.string(), z.number()]).optional(),
	code: z.string(),
	reason: z.string()
});
const rejectionChecked: Describes<typeof Rejection, ImportRejection> = true;
void rejectionChecked;
const Counts = z.object({ zones: z.number().int(), parcels: z.number().int() });
const Imported = z.object({ planId: z.string(), version: z.number().int(), stored: z.literal(true), partial: z.boolean(), accepted: Counts, rejected: z.array(Rejection) });
const PlanList = z.object({ plans: z.array(ZoningPlan.omit({ tenantId: true }).extend({ current: z.boolean(), ...Counts.shape })) });
const ImportQuery = z.object({ partial: z.string().optional().describe('1: store the valid features and report the others') });

/**
 * Plan versions (domain/zoning.ts):
 *   POST /api/zoning/plans[?partial=1]  an admin: a new version, validated feature by feature; stored
 *                                      whole and made current only when no feature is rejected (or,
 *                                      with partial=1, the accepted ones) → { planId, version, accepted, rejected }
 *   GET  /api/zoning/plans              the versions (public, like the look-up): id, name, decision, period, size
 */
export async function zoningImportRoutes(
	app: FastifyInstance,
	deps: { tokens: TokenService; tenant: TenantConfig; boundaries: BoundaryCollection; store: ZoningPlanStore; versions: ZoningVersions; now: () => Date }
) {
	const wards = new Set(deps.tenant.adminUnits.map((u) => u.code));
	const meridian = deps.tenant.zoningCrs ? centralMeridianOf(deps.tenant.zoningCrs.centralMeridian) : null;
	const authenticate = authenticateFirst(deps.tokens);
	// The caller and their role are known before a byte of a 25 MB body is read.
	const adminFirst = async (req: FastifyRequest) => {
		await authenticate(req);
		if (principalOf(req).role !== 'admin') throw new ApiError(403, 'forbidden_scope', 'Chỉ quản trị viên nhập quy hoạch / Only an admin imports zoning plans');
	};

	await app.register(async (scoped) => {
		// The nesting is counted on the raw text before JSON.parse, so a hostile file costs one scan.
		scoped.removeContentTypeParser('application/json');
		scoped.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => {
			const deep = checkJsonNesting(body as string);
			if (deep) return done(new ApiError(400, 'import_invalid', deep.reason), undefined);
			try {
				done(null, JSON.parse(body as string));
			} catch {
				done(new ApiError(400, 'import_invalid', 'Tệp không phải JSON hợp lệ / The file is not valid JSON'), undefined);
			}
		});
		// The handler checks the body: its refusals are `import_invalid`, with the first issues.
		const schema = { body: ImportBody, querystring: ImportQuery, response: { 201: Imported } };
		scoped.post('/api/zoning/plans', { onRequest: adminFirst, bodyLimit: IMPORT_BODY_LIMIT, schema, validatorCompiler: bodyCheckedByHandler }, async (req, reply) => {
			const parsed = ImportBody.safeParse(req.body);
			if (!parsed.success)
				throw new ApiError(400, 'import_invalid', 'Cần { plan, crs, zones, parcels? } đúng mẫu / Expected { plan, crs, zones, parcels? } as documented', {
					issues: parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.')}: ${i.message}`)
				});
			const body = parsed.data;
			if (body.plan.periodTo && body.plan.periodTo < body.plan.periodFrom)
				throw new ApiError(400, 'import_invalid', 'Thời hạn kết thúc trước khi bắt đầu / The period ends before it starts');
			if (body.crs === 'vn2000' && (meridian === null || !Number.isFinite(meridian)))
				throw new ApiError(400, 'import_invalid', 'Tỉnh chưa khai báo kinh tuyến trục VN-2000 (zoningCrs) / The province has no VN-2000 central meridian (zoningCrs)');
			const partial = (req.query as Record<string, unknown>).partial === '1';
			const planId = `${deps.tenant.id}-${deps.now().toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`;
			const out = readImport(body, { planId, centralMeridian: meridian, boundaries: deps.boundaries, wards });
			if (out.refused) throw new ApiError(400, 'import_invalid', `${out.refused.collection}: ${out.refused.reason}`, { code: out.refused.code });
			const accepted = { zones: out.zones.length, parcels: out.parcels.length };
			// Nothing half-imported: any rejection refuses the file unless the admin asked for the valid part only.
			if ((out.rejected.length && !partial) || accepted.zones === 0)
				throw new ApiError(422, 'zoning_import_rejected', 'Tệp có đối tượng không hợp lệ, chưa lưu gì / The file has invalid features; nothing was stored', {
					stored: false,
					accepted,
					rejected: out.rejected
				});
			const by = principalOf(req).sub;
			const header = await deps.store.save({ plan: { id: planId, tenantId: deps.tenant.id, ...body.plan, demo: false }, zones: out.zones, parcels: out.parcels }, Math.max(...deps.versions.list().map((v) => v.plan.version), 0), by, deps.now());
			// Current in one step once the whole version is written.
			await deps.versions.adopt();
			req.log.info({ by, planId, version: header.plan.version, ...accepted, rejected: out.rejected.length, partial }, 'zoning plan imported');
			return reply.status(201).send({ planId, version: header.plan.version, stored: true, partial: out.rejected.length > 0, accepted, rejected: out.rejected });
		});
	});

	app.get('/api/zoning/plans', { schema: { response: { 200: PlanList } }, config: { rateLimit: { max: 60, timeWindow: 60_000 } } }, async (_req, reply) => {
		reply.header('cache-control', 'no-cache');
		const current = deps.versions.current();
		return {
			plans: deps.versions.list().map((v) => ({
				id: v.plan.id,
				nameVi: v.plan.nameVi,
				nameEn: v.plan.nameEn,
				decision: v.plan.decision,
				approvedAt: v.plan.approvedAt,
				periodFrom: v.plan.periodFrom,
				...(v.plan.periodTo ? { periodTo: v.plan.periodTo } : {}),
				version: v.plan.version,
				demo: v.plan.demo,
				current: v.plan.version === current,
				zones: v.zones,
				parcels: v.parcels
			}))
		};
	});
}
