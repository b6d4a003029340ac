import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IocAnswer, IocQuery, IocTable, resolvePeriod, type DayRange } from '$lib/domain/ioc';
import type { Office } from '$lib/domain/office';
import type { Principal } from '$lib/domain/principal';
import type { TenantConfig } from '$lib/domain/tenant';
import { ApiError } from '../http/api-error';
import type { TokenService } from '../auth/tokens';
import type { createStreamLimits } from '../sync/stream.service';
import { csvLines, reportLines } from './ioc-csv';
import type { IocFigures } from './ioc.module';
import type { FigureFilter } from './report-figures';
import { iocUnitsOf } from './warnings.routes';

/** Live pings go out at most this often: a leader's screen refetches once a second at most. */
const PING_MS = 1_000;
const HEARTBEAT_MS = 20_000;
const ExportQuery = IocQuery.extend({ table: IocTable });

/**
 * The operations centre (issue 15), for leaders, IOC operators and admins of the tenant; a handler sees only a
 * unit of their own (the unit they name, or their first). No personal data leaves here: counts,
 * durations, and for overdue reports their codes, category, commune and units.
 *
 *   GET  /api/ioc/figures?period=&from=&to=&ward=&unit=&category=   the figures (domain/ioc.ts IocAnswer)
 *   GET  /api/ioc/stream?token=                                      SSE: `{"asOf"}` when the figures change
 *   GET  /api/ioc/export.csv?table=categories|wards|units|overdue&…  a table as CSV (UTF-8 with BOM)
 *   POST /api/ioc/rebuild                                            admin: rebuild the figures from scratch
 */
export async function iocRoutes(
	app: FastifyInstance,
	deps: {
		tokens: TokenService;
		tenant: TenantConfig;
		figures: IocFigures;
		/** The offices as an admin last saved them. */
		offices: () => readonly Office[];
		limits: ReturnType<typeof createStreamLimits>;
		now: () => Date;
	}
) {
	const { tenant, figures: feed } = deps;
	const r = app.withTypeProvider<ZodTypeProvider>();
	const wards = new Set(tenant.adminUnits.map((u) => u.code));
	const units = new Set(tenant.units.map((u) => u.id));
	const categories = new Set(tenant.categories.map((c) => c.code));
	/** Open live streams: ended on shutdown (a stream never ends by itself). */
	const open = new Set<ServerResponse>();
	app.addHook('preClose', async () => {
		for (const res of open) res.end();
	});

	/** Who may see which figures: the tenant for leaders, admins and IOC operators, a unit of their own for a handler. */
	function scopeOf(p: Principal, q: IocQuery): FigureFilter {
		const own = iocUnitsOf(p);
		if (!own) return { ward: q.ward, unit: q.unit, category: q.category };
		const unit = q.unit ?? own[0];
		if (!own.includes(unit)) throw new ApiError(403, 'forbidden_scope', 'Chỉ xem được số liệu đơn vị mình / Only your own unit’s figures');
		return { ward: q.ward, unit, category: q.category };
	}

	function checkQuery(q: IocQuery): { current: DayRange; previous: DayRange } {
		if (q.ward && !wards.has(q.ward)) throw new ApiError(400, 'unknown_ward', 'Không có phường/xã này / Unknown commune');
		if (q.unit && !units.has(q.unit)) throw new ApiError(400, 'unknown_unit', 'Không có đơn vị này / Unknown unit');
		if (q.category && !categories.has(q.category)) throw new ApiError(400, 'unknown_category', 'Không có lĩnh vực này / Unknown category');
		const period = resolvePeriod(q, tenant.calendar ?? { utcOffset: '+00:00' }, deps.now());
		// `validation_failed` with the problem in its details: the page says it in its own words
		// (lib/i18n/areas/ioc.ts), and the app's core error words stay out of every other page.
		if ('problem' in period) throw new ApiError(400, 'validation_failed', PERIOD_WORDS[period.problem], { problem: period.problem });
		return period;
	}

	/** The offices in the area asked (a commune, a unit's); undefined: every office, and dossiers without one. */
	function officesOf(filter: FigureFilter): ReadonlySet<string> | undefined {
		if (!filter.ward && !filter.unit) return undefined;
		return new Set(deps.offices().filter((o) => (!filter.ward || o.wardCode === filter.ward) && (!filter.unit || o.unitIds.includes(filter.unit))).map((o) => o.id));
	}

	async function answer(p: Principal, q: IocQuery): Promise<IocAnswer> {
		// Who may ask comes before what was asked: a refused caller learns nothing of the tenant's names.
		const filter = scopeOf(p, q);
		const { current, previous } = checkQuery(q);
		// No waiting for a first build after a restart: the figures read so far, said to be incomplete.
		const now = deps.now();
		const reports = feed.reports.index;
		const cur = reports.query(current, filter);
		const overdue = reports.overdue(filter, now);
		const offices = officesOf(filter);
		const tickets = feed.tickets.index.query(current, offices);
		const dossiers = feed.dossiers.index.query(current, now, offices);
		return {
			asOf: feed.asOf().toISOString(),
			complete: feed.complete(),
			period: current,
			previous,
			totals: cur.totals,
			previousTotals: reports.query(previous, filter, { totalsOnly: true }).totals,
			byCategory: cur.byCategory,
			byWard: cur.byWard,
			byUnit: cur.byUnit,
			series: cur.series,
			overdue: overdue.items,
			overdueTotal: overdue.total,
			office: { ...tickets, previousTotals: feed.tickets.index.query(previous, offices).totals },
			dossiers: { ...dossiers, previousTotals: feed.dossiers.index.query(previous, now, offices).totals }
		};
	}

	r.get('/api/ioc/figures', { schema: { querystring: IocQuery, response: { 200: IocAnswer } } }, async (req, reply) => {
		const p = await deps.tokens.authenticate(req.raw);
		reply.header('cache-control', 'no-store');
		return answer(p, req.query);
	});

	r.get('/api/ioc/export.csv', { schema: { querystring: ExportQuery } }, async (req, reply) => {
		const p = await deps.tokens.authenticate(req.raw);
		const { table } = req.query;
		const a = await answer(p, req.query);
		const lines = table === 'reports' ? reportLines(feed.reports.index, a.period, scopeOf(p, req.query), tenant) : csvLines(table, a, tenant, deps.offices());
		reply.hijack();
		const res = reply.raw;
		res.writeHead(200, {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="ioc-${table}-${a.period.from}-${a.period.to}.csv"`,
			'cache-control': 'no-store'
		});
		// The BOM makes Excel read UTF-8 (Vietnamese) rather than the machine's code page.
		res.write('\uFEFF');
		await writeLines(res, lines);
	});

	r.get('/api/ioc/stream', { exposeHeadRoute: false }, async (req, reply) => {
		const { principal, expiresAt } = await deps.tokens.authenticateSession(req.raw);
		scopeOf(principal, { period: 'today' });
		const release = deps.limits.admit(principal.sub, req.ip);
		reply.hijack();
		const res = reply.raw;
		res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
		const send = () => res.write(`data: ${JSON.stringify({ asOf: feed.asOf().toISOString() })}\n\n`);
		res.write('retry: 3000\n\n');
		send();
		let timer: NodeJS.Timeout | null = null;
		const off = feed.onChange(() => {
			timer ??= setTimeout(() => {
				timer = null;
				send();
			}, PING_MS);
		});
		const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
		// A stream never outlives its token (setTimeout fires at once past 2^31 - 1 ms).
		const expiry = setTimeout(() => res.end(), Math.min(Math.max(0, expiresAt - Date.now()), 2 ** 31 - 1));
		let ended = false;
		const done = () => {
			if (ended) return;
			ended = true;
			off();
			if (timer) clearTimeout(timer);
			clearInterval(heartbeat);
			clearTimeout(expiry);
			release();
		};
		open.add(res);
		res.on('close', () => (open.delete(res), done()));
		res.on('error', done);
	});

	r.post('/api/ioc/rebuild', { schema: { response: { 200: z.object({ reports: z.number(), tickets: z.number(), dossiers: z.number(), ms: z.number() }) } } }, async (req) => {
		const p = await deps.tokens.authenticate(req.raw);
		if (p.role !== 'admin') throw new ApiError(403, 'forbidden_scope', 'Chỉ quản trị viên / Admins only');
		const done = await feed.rebuild();
		req.log.info({ ...done, ms: Math.round(done.ms) }, 'ioc: figures rebuilt');
		return done;
	});
}

const PERIOD_WORDS: Record<'bad_date' | 'period_reversed' | 'period_in_future' | 'period_too_long', string> = {
	bad_date: 'Ngày không đúng / Not a date',
	period_reversed: 'Ngày kết thúc trước ngày bắt đầu / The end is before the start',
	period_in_future: 'Khoảng thời gian ở tương lai / The period is in the future',
	period_too_long: 'Khoảng thời gian quá một năm / The period is longer than a year'
};


/**
 * Writes lines in chunks of about 64 KB, waiting for the socket to drain between them; stops when the
 * client goes away (a closed download never leaves a generator waiting for a 'drain' that won't come).
 */
async function writeLines(res: ServerResponse, lines: Iterable<string>): Promise<void> {
	let chunk = '';
	for (const l of lines) {
		chunk += l;
		if (chunk.length < 65_536) continue;
		if (res.destroyed) return;
		const flowing = res.write(chunk);
		chunk = '';
		if (!flowing)
			await new Promise<void>((ok) => {
				const done = () => (res.off('drain', done), res.off('close', done), ok());
				res.on('drain', done).on('close', done);
			});
	}
	if (!res.destroyed) res.end(chunk);
}
