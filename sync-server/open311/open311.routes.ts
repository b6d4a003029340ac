import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '$lib/domain/common';
import type { ReportEvent } from '$lib/domain/event';
import { toPublicEvent, toPublicReport } from '$lib/domain/public';
import type { Report } from '$lib/domain/report';
import { orderEvents } from '$lib/domain/report-state';
import type { TenantConfig } from '$lib/domain/tenant';
import { normalizeTrackingCode } from '$lib/domain/tracking-code';
import { ADDRESS_RATE_LIMIT, enforceLimit, KEY_RATE_LIMIT } from '../api-keys/api-keys.routes';
import { apiKeyFromRequest, type ApiKeyCaller, type ApiKeyService } from '../api-keys/api-keys.service';
import { ApiError } from '../http/api-error';
import type { TrackingClaim } from '../reports/tracking-code';
import type { Store } from '../storage/storage';
import { isPublicReport } from '../public/ward-index';
import { Format, open311ErrorHandler, sendAs, sendGeoError, formatOf } from './open311-format';
import { RequestForm, type Open311Intake } from './open311-intake';
import {
	GeoCreated,
	GeoDiscovery,
	GeoError,
	GeoRequest,
	GeoService,
	GeoServiceDefinition,
	GeoToken,
	LOCALES,
	serviceNotice,
	toGeoRequest,
	toService,
	toServiceDefinition,
	type RequestContext
} from './open311-mapping';
import type { RequestIndex } from './request-index';

/**
 * GeoReport v2 (wiki.open311.org/GeoReport_v2) at /open311/v2, JSON and XML:
 *   GET  discovery.{fmt}                       the endpoint, its formats, where keys come from
 *   GET  services.{fmt}?locale=vi|en           our categories
 *   GET  services/{code}.{fmt}                 a category's attributes (ward_code)
 *   POST requests.{fmt}                        form-encoded, api_key: files a report
 *   GET  requests.{fmt}?…                      public reports: ids, service, status, ≤ 90 days, paged
 *   GET  requests/{id}.{fmt}                   one, by tracking code
 *   GET  tokens/{token}.{fmt}                  the request a POST's token became
 * Reading is public (as the public pages are) and rate-limited per address; filing takes a key
 * with the scope `open311:requests`, limited per address and per key, each use logged.
 */

export const PREFIX = '/open311/v2';
/** A service request form is a few hundred bytes; a description of 4,000 characters fits many times. */
export const FORM_BODY_LIMIT = 16 * 1024;
/** The span GET requests covers at most, and by default (the spec's own default). */
export const MAX_SPAN_DAYS = 90;
export const MAX_PAGE_SIZE = 1000;
/** How long a POST's token answers. */
export const TOKEN_TTL_DAYS = 30;
/** Reads per minute from one address: a city's back-end polling a list every minute fits many times. */
const READS_PER_MINUTE = 240;
const DAY_MS = 86_400_000;

const Fmt = z.object({ format: Format });
const Jurisdiction = { jurisdiction_id: z.string().max(60).optional() };
const LocaleQuery = z.object({ ...Jurisdiction, locale: z.enum(LOCALES).default('vi') });
const ServiceParams = z.object({ service_code: z.string().max(60), format: Format });
const RequestParams = z.object({ service_request_id: z.string().max(64), format: Format });
const TokenParams = z.object({ token: Id, format: Format });
const ListQuery = z.object({
	...Jurisdiction,
	service_request_id: z.string().max(2000).optional(),
	service_code: z.string().max(60).optional(),
	/** One status, or several comma delimited (the spec's form): both is every request. */
	status: z
		.string()
		.regex(/^(open|closed)(,(open|closed))*$/)
		.optional()
		.transform((v) => {
			const asked = new Set(v?.split(','));
			return asked.size === 1 ? ([...asked][0] as 'open' | 'closed') : undefined;
		}),
	start_date: z.string().max(40).optional(),
	end_date: z.string().max(40).optional(),
	page: z.coerce.number().int().min(1).max(100_000).default(1),
	page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
	locale: z.enum(LOCALES).default('vi')
});
const errors = { 400: z.array(GeoError), 403: z.array(GeoError), 404: z.array(GeoError) };

export interface Open311RouteDeps {
	tenant: TenantConfig;
	keys: ApiKeyService | undefined;
	intake: Open311Intake;
	reports: Store<Report>;
	trackingCodes: Pick<Store<TrackingClaim>, 'get'>;
	eventsOf(ids: string[]): Promise<Map<string, ReportEvent[]>>;
	index: RequestIndex;
	now: () => Date;
}

const keyProblem = (message: string) => new ApiError(403, 'api_key_invalid', message);

export async function open311Routes(app: FastifyInstance, deps: Open311RouteDeps) {
	const { tenant } = deps;
	const utcOffset = tenant.calendar?.utcOffset ?? '+00:00';
	const blurOf = new Map(tenant.categories.map((c) => [c.code, c.publicLocationBlurM]));
	const origin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;
	const ctxOf = (req: FastifyRequest, locale: 'vi' | 'en'): RequestContext => ({ tenant, utcOffset, locale, origin: origin(req) });

	app.setErrorHandler(open311ErrorHandler);
	app.setNotFoundHandler((req, reply) => sendGeoError(reply, formatOf(req.url), 404, 'Không có đường dẫn này / No such GeoReport v2 path'));
	// The spec's POST is application/x-www-form-urlencoded; empty fields read as absent (a lat of "" is no lat, not 0).
	app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_req, body, done) => {
		const form: Record<string, string> = {};
		for (const [k, v] of new URLSearchParams(body as string)) if (v !== '') form[k] = v;
		done(null, form);
	});

	const r = app.withTypeProvider<ZodTypeProvider>();
	const reads = { config: { rateLimit: { max: READS_PER_MINUTE, timeWindow: 60_000 } } };

	function checkJurisdiction(id: string | undefined) {
		if (id !== undefined && id !== tenant.id)
			throw new ApiError(404, 'not_found', `Không phục vụ jurisdiction_id ${id} / This server does not serve the jurisdiction ${id}`);
	}

	/** Public projections of these reports with their public timelines, in the order given; not public: left out. */
	async function requestsOf(ids: string[], ctx: RequestContext) {
		const docs = await deps.reports.getMany(ids);
		const shown = ids.map((id) => docs.get(id)?.doc).filter((d): d is Report => isPublicReport(d, tenant.id));
		const events = await deps.eventsOf(shown.map((d) => d.id));
		return shown.map((d) =>
			toGeoRequest(toPublicReport(d, blurOf.get(d.categoryCode)), orderEvents(events.get(d.id) ?? []).map(toPublicEvent), ctx)
		);
	}

	/**
	 * The requests of tracking codes as typed (any case, with or without dashes), unknown ones left out.
	 * A claim must be its report's own code: a retried intake on another day claimed a candidate it does not carry.
	 */
	async function byCodes(raws: string[], ctx: RequestContext) {
		const codes = [...new Set(raws.map((raw) => normalizeTrackingCode(raw, tenant.trackingPrefix)).filter((c): c is string => c !== null))];
		const claims = await Promise.all(codes.map((code) => deps.trackingCodes.get(code)));
		const ids = claims.map((c) => c?.reportId).filter((id): id is string => !!id);
		return (await requestsOf([...new Set(ids)], ctx)).filter((r) => codes.includes(r.service_request_id));
	}

	r.get('/discovery.:format', { ...reads, schema: { params: Fmt, response: { 200: GeoDiscovery } } }, async (req, reply) => {
		const formats = ['application/json', 'text/xml'];
		sendAs(reply, req.params.format, 'discovery', {
			changeset: '2026-12-05T00:00:00+07:00',
			contact: `${tenant.nameVi} / ${tenant.nameEn}`,
			key_service: 'Khóa API do quản trị viên của tỉnh cấp (/admin) / API keys are issued by the province’s administrator (/admin)',
			endpoints: [
				{ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${origin(req)}${PREFIX}`, changeset: '2026-12-05T00:00:00+07:00', type: 'production', formats }
			]
		});
	});

	r.get('/services.:format', { ...reads, schema: { params: Fmt, querystring: LocaleQuery, response: { 200: z.array(GeoService), ...errors } } }, async (req, reply) => {
		checkJurisdiction(req.query.jurisdiction_id);
		sendAs(reply, req.params.format, 'services', tenant.categories.map((c) => toService(c, req.query.locale)));
	});

	r.get(
		'/services/:service_code.:format',
		{ ...reads, schema: { params: ServiceParams, querystring: LocaleQuery, response: { 200: GeoServiceDefinition, ...errors } } },
		async (req, reply) => {
			checkJurisdiction(req.query.jurisdiction_id);
			const c = tenant.categories.find((x) => x.code === req.params.service_code);
			if (!c) throw new ApiError(404, 'unknown_category', `Không có dịch vụ ${req.params.service_code} / Unknown service_code ${req.params.service_code}`);
			sendAs(reply, req.params.format, 'service_definition', toServiceDefinition(c, tenant, req.query.locale));
		}
	);

	r.get('/requests.:format', { ...reads, schema: { params: Fmt, querystring: ListQuery, response: { 200: z.array(GeoRequest), ...errors } } }, async (req, reply) => {
		const q = req.query;
		checkJurisdiction(q.jurisdiction_id);
		const ctx = ctxOf(req, q.locale);
		if (q.service_request_id !== undefined) {
			// The spec: ids given override every other filter.
			const codes = q.service_request_id.split(',').map((s) => s.trim()).filter(Boolean);
			if (codes.length > MAX_PAGE_SIZE) throw new ApiError(400, 'validation_failed', `Tối đa ${MAX_PAGE_SIZE} mã / At most ${MAX_PAGE_SIZE} ids`);
			return sendAs(reply, req.params.format, 'service_requests', await byCodes(codes, ctx));
		}
		if (q.service_code !== undefined && !tenant.categories.some((c) => c.code === q.service_code))
			throw new ApiError(404, 'unknown_category', `Không có dịch vụ ${q.service_code} / Unknown service_code ${q.service_code}`);
		const { from, to } = spanOf(q.start_date, q.end_date, deps.now());
		await deps.index.ready();
		const ids = deps.index.find({ from, to, serviceCode: q.service_code, status: q.status, page: q.page, pageSize: q.page_size });
		sendAs(reply, req.params.format, 'service_requests', await requestsOf(ids, ctx));
	});

	r.get(
		'/requests/:service_request_id.:format',
		{ ...reads, schema: { params: RequestParams, querystring: LocaleQuery, response: { 200: z.array(GeoRequest), ...errors } } },
		async (req, reply) => {
			checkJurisdiction(req.query.jurisdiction_id);
			const found = await byCodes([req.params.service_request_id], ctxOf(req, req.query.locale));
			if (!found.length) throw new ApiError(404, 'not_found', `Không có yêu cầu ${req.params.service_request_id} / No service request ${req.params.service_request_id}`);
			sendAs(reply, req.params.format, 'service_requests', found);
		}
	);

	r.get('/tokens/:token.:format', { ...reads, schema: { params: TokenParams, querystring: z.object(Jurisdiction), response: { 200: z.array(GeoToken), ...errors } } }, async (req, reply) => {
		checkJurisdiction(req.query.jurisdiction_id);
		const doc = await deps.reports.get(req.params.token);
		const fresh = doc?.receivedAt && deps.now().getTime() - Date.parse(doc.receivedAt) <= TOKEN_TTL_DAYS * DAY_MS;
		if (!isPublicReport(doc, tenant.id) || !doc.filedVia || !fresh || !doc.trackingCode)
			throw new ApiError(404, 'not_found', 'Không có token này, hoặc token đã hết hạn / No such token, or it has expired');
		sendAs(reply, req.params.format, 'service_requests', [{ service_request_id: doc.trackingCode, token: doc.id }]);
	});

	// Filing: limited per address before anything is read (bogus keys cost a hash each), the body is
	// a small form, then the key (form field, query string or header) and a limit per key.
	const perAddress = app.createRateLimit({ max: ADDRESS_RATE_LIMIT, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => `open311-address|${req.ip}` });
	const callers = new WeakMap<FastifyRequest, ApiKeyCaller>();
	const perKey = app.createRateLimit({ max: KEY_RATE_LIMIT, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => `open311-key|${callers.get(req)?.keyId}` });

	r.post(
		'/requests.:format',
		{
			bodyLimit: FORM_BODY_LIMIT,
			schema: { params: Fmt, body: RequestForm, response: { 200: z.array(GeoCreated), ...errors } },
			onRequest: async (req, reply) => {
				await enforceLimit(perAddress, req, reply);
				// An XML or JSON document where the spec asks for a form: refused before it is read.
				const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
				if (type !== 'application/x-www-form-urlencoded')
					throw new ApiError(415, 'validation_failed', 'Gửi dạng application/x-www-form-urlencoded, không phải XML hay JSON / Send application/x-www-form-urlencoded, not XML or JSON');
			},
			// Before the form's fields are validated: who is calling comes first.
			preValidation: async (req, reply) => {
				const form = (req.body ?? {}) as Record<string, unknown>;
				const fromQuery = (req.query as Record<string, unknown> | undefined)?.api_key;
				const key = [form.api_key, fromQuery, apiKeyFromRequest(req.raw)].find((k): k is string => typeof k === 'string' && k !== '');
				if (!key) throw keyProblem('Thiếu api_key / api_key is missing');
				if (!deps.keys) throw keyProblem('Máy chủ không nhận khóa API / This server takes no API keys');
				const caller = await deps.keys.verify(key, 'open311:requests').catch((err: unknown) => {
					throw err instanceof ApiError && err.status < 500 ? keyProblem(err.message) : err;
				});
				callers.set(req, caller);
				await enforceLimit(perKey, req, reply);
			}
		},
		async (req, reply) => {
			checkJurisdiction(req.body.jurisdiction_id);
			const caller = callers.get(req)!;
			const report = await deps.intake.file(req.body, caller, origin(req));
			req.log.info({ apiKeyId: caller.keyId, system: caller.name, reportId: report.id, trackingCode: report.trackingCode }, 'open311 request filed');
			sendAs(reply, req.params.format, 'service_requests', [
				{
					service_request_id: report.trackingCode ?? report.id,
					token: report.id,
					service_notice: serviceNotice(report.dueAt, { utcOffset, locale: req.body.locale }),
					account_id: null
				}
			]);
		}
	);
}

/** The span GET requests covers: the spec's default, the last 90 days; longer or reversed is refused. */
export function spanOf(start: string | undefined, end: string | undefined, now: Date): { from: string; to: string } {
	const parse = (s: string, name: string) => {
		const t = Date.parse(s);
		if (!/^\d{4}-\d\d-\d\d/.test(s) || Number.isNaN(t)) throw new ApiError(400, 'validation_failed', `${name} không phải thời điểm ISO 8601 / ${name} is not an ISO 8601 date-time`);
		return t;
	};
	const to = end !== undefined ? parse(end, 'end_date') : start !== undefined ? Math.min(now.getTime(), parse(start, 'start_date') + MAX_SPAN_DAYS * DAY_MS) : now.getTime();
	const from = start !== undefined ? parse(start, 'start_date') : to - MAX_SPAN_DAYS * DAY_MS;
	if (from > to) throw new ApiError(400, 'validation_failed', 'start_date sau end_date / start_date is after end_date');
	if (to - from > MAX_SPAN_DAYS * DAY_MS)
		throw new ApiError(400, 'validation_failed', `Khoảng thời gian quá ${MAX_SPAN_DAYS} ngày / The date span is over ${MAX_SPAN_DAYS} days`);
	return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
