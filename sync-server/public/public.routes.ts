import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '$lib/domain/common';
import { PublicReportDetail, PublicReportPage } from '$lib/domain/public';
import { PULL_LIMIT_MAX } from '$lib/domain/sync-protocol';
import { normalizeTrackingCode } from '$lib/domain/tracking-code';
import { ApiError } from '../http/api-error';
import { createCodeLookupLimiter } from './code-lookup-limiter';
import type { PublicService } from './public.service';

/** `<updatedAt>` or `<updatedAt>_<id>`, as handed out in `next`. */
const Cursor = z
	.string()
	.max(120)
	.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z(_[A-Za-z0-9-]{1,64})?$/, 'a cursor from `next`, or an ISO time');

const ListQuery = z.object({
	ward: z.string().regex(/^\d{1,10}$/, 'a ward/commune code'),
	since: Cursor.optional(),
	limit: z.coerce.number().int().min(1).max(PULL_LIMIT_MAX).default(200)
});
const IdParams = z.object({ id: Id });
const MediaQuery = z.object({ size: z.enum(['thumb', 'full']).optional() });

const CodeParams = z.object({ code: z.string() });
const reportNotFound = () => new ApiError(404, 'not_found', 'Không tìm thấy phản ánh / No such public report');
const photoNotFound = () => new ApiError(404, 'not_found', 'Không tìm thấy ảnh / No such public photo');

/**
 * Per address. Generous: a commune office or a mobile carrier's NAT puts many people behind one
 * address, and a device refreshing a big ward reads a few pages at once; a scraper is still slowed.
 */
const LIMITS = { list: 240, detail: 240, media: 900, code: 240 };
/** The window of the different-codes limit (config.codeLookupLimit per address). */
const CODE_WINDOW_MS = 3_600_000;

/**
 * The public pages' API (no login): see src/lib/domain/public.ts.
 *   GET /api/public/reports?ward=&since=&limit=   a ward's public reports, oldest change first, by cursor
 *   GET /api/public/reports/:id                   one public report and its public timeline
 *   GET /api/public/media/:id[?size=thumb]        a photo of a public report
 *   GET /api/public/codes/:code                   the public report holding a tracking code, as typed
 */
export async function publicRoutes(
	app: FastifyInstance,
	deps: { service: PublicService; codeLookupLimit: number; trackingPrefix: string }
) {
	const { service } = deps;
	const codeLimiter = createCodeLookupLimiter({ max: deps.codeLookupLimit, windowMs: CODE_WINDOW_MS });

	const r = app.withTypeProvider<ZodTypeProvider>();
	const limit = (max: number) => ({ rateLimit: { max, timeWindow: 60_000 } });

	// Answers are serialized through their schema (strict: a field outside the public allow-list fails
	// the request with a 500 rather than going out), then compressed by the server's compression plugin
	// (a ward's page of 200 reports is ~117 KB as JSON and ~13 KB gzipped, which matters on weak 4G).
	r.get(
		'/api/public/reports',
		{ schema: { querystring: ListQuery, response: { 200: PublicReportPage } }, config: limit(LIMITS.list) },
		async (req, reply) => {
			// A device asks again when it wants fresher data; a shared cache must not answer it stale.
			reply.header('cache-control', 'no-cache');
			return service.page(req.query.ward, req.query.since ?? null, req.query.limit);
		}
	);

	r.get(
		'/api/public/reports/:id',
		{ schema: { params: IdParams, response: { 200: PublicReportDetail } }, config: limit(LIMITS.detail) },
		async (req, reply) => {
			const detail = await service.detail(req.params.id);
			if (!detail) throw reportNotFound();
			reply.header('cache-control', 'no-cache');
			return detail;
		}
	);

	// A code as the resident typed it (any case, spaces, dashes or none): read in its canonical form,
	// which is also what the different-codes limit counts. Unknown and no longer public answer alike.
	// The per-request limit caps a device reloading one code; the different-codes one, enumeration.
	r.get(
		'/api/public/codes/:code',
		{ schema: { params: CodeParams, response: { 200: PublicReportDetail } }, config: limit(LIMITS.code) },
		async (req, reply) => {
			const code = normalizeTrackingCode(req.params.code, deps.trackingPrefix);
			if (!code) throw new ApiError(400, 'tracking_code_invalid', 'Mã theo dõi chưa đúng dạng / Not a tracking code');
			const allowed = codeLimiter.check(req.ip, code);
			if (!allowed.ok) {
				reply.header('retry-after', String(Math.ceil(allowed.retryAfterMs / 1000)));
				throw new ApiError(429, 'rate_limited', 'Đã tra quá nhiều mã, vui lòng đợi / Too many codes looked up, wait a while');
			}
			const detail = await service.byCode(code);
			if (!detail) throw new ApiError(404, 'tracking_code_unknown', 'Không có phản ánh với mã này / No public report has this code');
			reply.header('cache-control', 'no-cache');
			return detail;
		}
	);

	r.get(
		'/api/public/media/:id',
		{ schema: { params: IdParams, querystring: MediaQuery }, config: limit(LIMITS.media) },
		async (req, reply) => {
			const file = await service.mediaFile(req.params.id, req.query.size === 'thumb');
			if (!file) throw photoNotFound();
			// A photo id never gets other bytes. Public, but for a day only: a report can stop being
			// public (deleted), and a shared cache should not keep showing it for a year.
			return reply
				.header('content-type', 'image/webp')
				.header('content-length', file.size)
				.header('cache-control', 'public, max-age=86400')
				.header('x-content-type-options', 'nosniff')
				.send(createReadStream(file.path));
		}
	);
}
