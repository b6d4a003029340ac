import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canonicalPhone, Id } from '$lib/domain/common';
import { actsForOffice, slotsOn } from '$lib/domain/office';
import type { Principal } from '$lib/domain/principal';
import { RATING_REASON_MAX, RatingLevel } from '$lib/domain/ticket';
import { uuidv7, uuidv7Time } from '$lib/domain/uuid';
import type { WorkCalendar } from '$lib/domain/work-calendar';
import { authenticateFirst, principalOf, type TokenService } from '../auth/tokens';
import { ApiError } from '../http/api-error';
import type { BoardStreams } from './board-stream';
import { BoardAnswer, CounterQueueAnswer, KioskTokenAnswer, OkAnswer, RatingsAnswer, SessionAnswer, SlotsAnswer, TicketAnswer, TicketViewAnswer } from './office-answers';
import { counterQueue } from './counter-queue';
import type { CounterService } from './counter.service';
import { ratingFigures } from './rating-figures';
import type { OfficeQueue } from './office-queue';
import type { TicketTake } from './ticket-take.service';
import type { TicketViews } from './ticket-view.service';

/**
 * The one-stop office's HTTP API (every body tiny: 2 KB; the caller is known before it is read):
 *
 *   POST /api/office/tickets                         resident device: take a number (idempotent by `ticketId`)
 *   GET  /api/office/tickets/:id                     its holder: the ticket, people ahead, the estimated wait
 *   POST /api/office/tickets/:id/cancel              its holder
 *   POST /api/office/tickets/:id/rating              its holder, once finished: { level, reason? }
 *   GET  /api/office/offices/:office/board           anyone: now serving, last calls, waiting per service
 *   GET  /api/office/offices/:office/board/stream    anyone: the same, live (SSE), a new board at every change
 *   GET  /api/office/offices/:office/slots?day=      anyone: a day's bookable slots
 *   POST /api/office/offices/:office/kiosk/rating    that office's kiosk: { number, level, reason? } for a ticket it took today
 *   POST /api/office/offices/:office/kiosk           an official of the office (or that office's kiosk, to renew): a kiosk token
 *   GET  /api/office/offices/:office/ratings?days=   an official: their own ratings; a leader: every official's
 *   POST|DELETE /api/office/offices/:office/counters/:counter/session   an official signs in to / leaves a counter
 *   GET  /api/office/offices/:office/counters/:counter/queue             its official: serving, callable, parked, today's figures
 *   POST /api/office/offices/:office/counters/:counter/call-next
 *   POST /api/office/offices/:office/counters/:counter/tickets/:id/:action   call | recall | park | skip | finish | transfer
 */

const BODY_LIMIT = 2 * 1024;
const Slug = z.string().regex(/^[a-z0-9-]{1,40}$/);

const TakeBody = z.strictObject({
	ticketId: Id,
	officeId: Slug,
	serviceId: Slug,
	slotFrom: z.iso.datetime({ offset: true }).optional(),
	priorityGroupId: Slug.optional(),
	/** For an SMS when the turn nears: residents without a smartphone at hand still get told. */
	phone: z.string().max(20).optional()
});
const RatingBody = z.strictObject({ level: RatingLevel, reason: z.string().max(RATING_REASON_MAX).optional() });
/** A rating at the kiosk: the number on the visitor's paper ticket, taken at this kiosk today. */
const KioskRatingBody = z.strictObject({ number: z.string().regex(/^\d{4}$/), level: RatingLevel, reason: z.string().max(RATING_REASON_MAX).optional() });
const TransferBody = z.strictObject({ serviceId: Slug.optional(), counterId: Slug.optional() });
const CounterParams = z.object({ office: Slug, counter: Slug });
const STEP = { recall: 'recalled', park: 'parked', skip: 'skipped', finish: 'finished' } as const;

function resident(p: Principal): void {
	if (p.role !== 'resident') throw new ApiError(403, 'forbidden_scope', 'Chỉ thiết bị của người dân lấy số / Only residents\' devices take numbers');
}

/**
 * A kiosk (the commune office's own touch screen, /kiosk) holds a resident token whose `sub` is
 * `kiosk:<office>:<uuidv7>`: a role of its own would touch every scope of the app. It takes numbers
 * for its own office only, for every visitor of the day. It renews its own token, but only for
 * KIOSK_SETUP_DAYS after an official set it up (the UUIDv7 says when): then an official signs in
 * on it again, so a kiosk lost, stolen or copied stops by itself.
 */
const KIOSK = 'kiosk:';
export const KIOSK_SETUP_DAYS = 30;
const kioskOffice = (p: Principal): string | null => (p.role === 'resident' && p.sub.startsWith(KIOSK) ? p.sub.slice(KIOSK.length).split(':')[0] : null);

export async function officeRoutes(
	app: FastifyInstance,
	deps: { tokens: TokenService; ticketRateLimit: number; take: TicketTake; queue: OfficeQueue; counters: CounterService; views: TicketViews; streams: BoardStreams; calendar: WorkCalendar; now: () => Date }
) {
	const r = app.withTypeProvider<ZodTypeProvider>();
	const authed = { onRequest: authenticateFirst(deps.tokens), bodyLimit: BODY_LIMIT };

	r.post(
		'/api/office/tickets',
		{ ...authed, schema: { body: TakeBody, response: { 201: TicketViewAnswer } }, config: { rateLimit: { max: deps.ticketRateLimit, timeWindow: 60_000 } } },
		async (req, reply) => {
			const p = principalOf(req);
			resident(p);
			const kiosk = kioskOffice(p);
			if (kiosk !== null && kiosk !== req.body.officeId)
				throw new ApiError(403, 'forbidden_scope', 'Máy lấy số chỉ lấy số của văn phòng mình / A kiosk takes numbers for its own office only');
			const phone = req.body.phone ? canonicalPhone(req.body.phone) : null;
			if (req.body.phone && !phone) throw new ApiError(400, 'validation_failed', 'Số điện thoại không đúng / Not a phone number');
			const ticket = await deps.take.take({
				...req.body,
				...(phone ? { phone } : { phone: undefined }),
				channel: kiosk !== null ? 'kiosk' : 'app',
				holderId: p.sub,
				personId: p.personId,
				address: req.ip
			});
			deps.queue.taken(ticket);
			reply.code(201);
			return deps.views.view(ticket);
		}
	);

	r.get('/api/office/tickets/:id', { ...authed, schema: { params: z.object({ id: Id }), response: { 200: TicketViewAnswer } } }, async (req, reply) => {
		reply.header('cache-control', 'no-store');
		return deps.views.mine(principalOf(req).sub, req.params.id);
	});

	r.post('/api/office/tickets/:id/cancel', { ...authed, schema: { params: z.object({ id: Id }), response: { 200: TicketAnswer } } }, async (req) => ({
		ticket: await deps.views.cancel(principalOf(req).sub, req.params.id)
	}));

	r.post('/api/office/tickets/:id/rating', { ...authed, schema: { params: z.object({ id: Id }), body: RatingBody, response: { 200: TicketAnswer } } }, async (req) => ({
		ticket: await deps.views.rate(principalOf(req).sub, req.params.id, req.body.level, req.body.reason)
	}));

	// Public: the board after a reconnect, the offices page's queue line per office. Per address and minute.
	r.get('/api/office/offices/:office/board', { schema: { params: z.object({ office: Slug }), response: { 200: BoardAnswer } }, config: { rateLimit: { max: 120, timeWindow: 60_000 } } }, async (req, reply) => {
		reply.header('cache-control', 'no-store');
		return deps.views.board(req.params.office);
	});

	r.get('/api/office/offices/:office/board/stream', { schema: { params: z.object({ office: Slug }) }, exposeHeadRoute: false }, async (req, reply) => {
		deps.queue.officeOf(req.params.office);
		deps.streams.attach(req.params.office, req.ip, reply.raw);
		reply.hijack();
	});

	r.get(
		'/api/office/offices/:office/slots',
		{ schema: { params: z.object({ office: Slug }), querystring: z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }), response: { 200: SlotsAnswer } } },
		async (req) => {
			const o = deps.queue.officeOf(req.params.office);
			return { day: req.query.day, slots: slotsOn(o, deps.calendar, req.query.day) };
		}
	);

	r.post(
		'/api/office/offices/:office/kiosk/rating',
		{ ...authed, schema: { params: z.object({ office: Slug }), body: KioskRatingBody, response: { 200: TicketAnswer } } },
		async (req) => {
			const p = principalOf(req);
			if (kioskOffice(p) !== req.params.office)
				throw new ApiError(403, 'forbidden_scope', 'Chỉ máy lấy số của văn phòng này / Only this office\'s kiosk');
			// The visitor gives the number on their paper: a ticket this kiosk took today, nobody else's.
			const today = await deps.queue.dayTickets(req.params.office, deps.queue.today());
			const t = today.find((x) => x.number === req.body.number && x.holderId === p.sub);
			if (!t) throw new ApiError(404, 'not_found', 'Không có số này trong các số lấy ở máy này hôm nay / No such number taken at this kiosk today');
			return { ticket: await deps.views.rate(p.sub, t.id, req.body.level, req.body.reason, 'kiosk') };
		}
	);

	r.post('/api/office/offices/:office/kiosk', { ...authed, schema: { params: z.object({ office: Slug }), response: { 200: KioskTokenAnswer } } }, async (req) => {
		const p = principalOf(req);
		const o = deps.queue.officeOf(req.params.office);
		// A kiosk renews its own token (it runs for days; tokens live TOKEN_TTL_SECONDS): the same identity.
		const renewal = kioskOffice(p) === o.id;
		const official = actsForOffice(p, o);
		if (!renewal && !official) throw new ApiError(403, 'forbidden_scope', 'Bạn không làm việc ở văn phòng này / You do not work at this office');
		if (renewal) {
			const since = uuidv7Time(p.sub.slice(KIOSK.length).split(':')[1] ?? '');
			if (since === null || deps.now().getTime() - since > KIOSK_SETUP_DAYS * 86_400_000)
				throw new ApiError(401, 'token_expired', 'Máy lấy số cần cán bộ đăng nhập lại / The kiosk needs an official to sign in again');
		}
		const sub = renewal ? p.sub : `${KIOSK}${o.id}:${uuidv7(deps.now().getTime())}`;
		const signed = await deps.tokens.sign({ sub, role: 'resident', tenantId: p.tenantId, unitIds: [] });
		return { token: signed.token, expiresAt: signed.expiresAt };
	});

	r.get(
		'/api/office/offices/:office/ratings',
		{ ...authed, schema: { params: z.object({ office: Slug }), querystring: z.object({ days: z.coerce.number().int().min(1).max(92).default(30) }), response: { 200: RatingsAnswer } } },
		async (req, reply) => {
			reply.header('cache-control', 'no-store');
			return ratingFigures({ queue: deps.queue, calendar: deps.calendar, now: deps.now }, principalOf(req), req.params.office, req.query.days);
		}
	);

	r.post('/api/office/offices/:office/counters/:counter/session', { ...authed, schema: { params: CounterParams, response: { 200: SessionAnswer } } }, async (req) => ({
		session: await deps.counters.signIn(principalOf(req), req.params.office, req.params.counter)
	}));
	r.delete('/api/office/offices/:office/counters/:counter/session', { ...authed, schema: { params: CounterParams, response: { 200: OkAnswer } } }, async (req) => {
		await deps.counters.signOut(principalOf(req), req.params.office, req.params.counter);
		return { ok: true };
	});

	r.get('/api/office/offices/:office/counters/:counter/queue', { ...authed, schema: { params: CounterParams, response: { 200: CounterQueueAnswer } } }, async (req, reply) => {
		reply.header('cache-control', 'no-store');
		return counterQueue(deps, principalOf(req), req.params.office, req.params.counter);
	});

	r.post('/api/office/offices/:office/counters/:counter/call-next', { ...authed, schema: { params: CounterParams, response: { 200: TicketAnswer } } }, async (req) => ({
		ticket: await deps.counters.callNext(principalOf(req), req.params.office, req.params.counter)
	}));

	r.post(
		'/api/office/offices/:office/counters/:counter/tickets/:id/:action',
		{
			...authed,
			schema: {
				params: CounterParams.extend({ id: Id, action: z.enum(['call', 'recall', 'park', 'skip', 'finish', 'transfer']) }),
				// Steps other than a transfer carry no body; some clients send `null` for none.
				body: TransferBody.nullish(),
				response: { 200: TicketAnswer }
			}
		},
		async (req) => {
			const p = principalOf(req);
			const { office, counter, id, action } = req.params;
			if (action === 'call') return { ticket: await deps.counters.call(p, office, counter, id) };
			if (action === 'transfer') return { ticket: await deps.counters.transfer(p, office, counter, id, req.body ?? {}) };
			return { ticket: await deps.counters.step(p, office, counter, id, STEP[action]) };
		}
	);
}
