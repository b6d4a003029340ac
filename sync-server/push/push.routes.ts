import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '$lib/domain/principal';
import type { TokenService } from '../auth/tokens';
import { ApiError } from '../http/api-error';
import type { PushSubscriptions } from './subscriptions.service';
import type { VapidKeys } from './vapid';

/**
 *   GET    /api/push/key            -> { publicKey }      the VAPID key to subscribe with (public)
 *   POST   /api/push/subscriptions  { endpoint, keys }    a resident device (or an official's) registers its subscription
 *   DELETE /api/push/subscriptions                        the device withdraws it
 * A subscription belongs to the device token's subject: a device can only speak for itself.
 */

const base64url = (bytes: number) =>
	z
		.string()
		.regex(/^[A-Za-z0-9_-]+={0,2}$/, 'base64url')
		.refine((s) => Buffer.from(s, 'base64url').length === bytes, `${bytes} bytes`);

/** The browser's PushSubscription.toJSON(). */
const SubscriptionBody = z.object({
	endpoint: z.string().url().max(2000),
	expirationTime: z.number().nullable().optional(),
	keys: z.object({
		// An uncompressed P-256 point (65 bytes) and the 16-byte authentication secret (RFC 8291).
		p256dh: base64url(65),
		auth: base64url(16)
	})
});

/**
 * The server POSTs to whatever endpoint a device registers: only real push services (HTTPS, a host
 * name) unless the operator allows local ones (tests), so a device cannot aim the server at an
 * address inside its network.
 */
function checkEndpoint(endpoint: string, allowLocal: boolean): void {
	const url = new URL(endpoint);
	const host = url.hostname.replace(/^\[|\]$/g, '');
	const local = isIP(host) !== 0 || host === 'localhost' || host.endsWith('.localhost') || !host.includes('.');
	if (url.protocol !== 'https:' || (local && !allowLocal) || url.username || url.password)
		throw new ApiError(400, 'validation_failed', 'Địa chỉ nhận thông báo không hợp lệ / Not a push service address');
}

/**
 * Who may receive notices: a resident's device (their reports, tickets, dossiers), and officials who
 * watch the operations centre's warnings (sync-server/ioc/warning-notices.ts). A volunteer's or a
 * kiosk's account gets none: it is shared, and a notice would reach whoever holds it.
 */
const SUBSCRIBERS: ReadonlySet<Principal['role']> = new Set(['resident', 'handler', 'leader', 'admin', 'operator']);
function subscriberOnly(p: Principal): void {
	if (!SUBSCRIBERS.has(p.role))
		throw new ApiError(403, 'forbidden_scope', 'Tài khoản này không nhận thông báo / This account does not receive notices');
}

export async function pushRoutes(
	app: FastifyInstance,
	deps: { tokens: TokenService; subscriptions: PushSubscriptions; vapid: VapidKeys; allowLocalEndpoints: boolean }
) {
	const r = app.withTypeProvider<ZodTypeProvider>();

	r.get('/api/push/key', { schema: { response: { 200: z.object({ publicKey: z.string() }) } } }, async (_req, reply) => {
		reply.header('cache-control', 'no-cache');
		return { publicKey: deps.vapid.publicKey };
	});

	r.post(
		'/api/push/subscriptions',
		{ schema: { body: SubscriptionBody, response: { 200: z.object({ ok: z.boolean() }) } }, config: { rateLimit: { max: 30, timeWindow: 60_000 } } },
		async (req) => {
			const p = await deps.tokens.authenticate(req.raw);
			subscriberOnly(p);
			checkEndpoint(req.body.endpoint, deps.allowLocalEndpoints);
			await deps.subscriptions.save({
				sub: p.sub,
				tenantId: p.tenantId,
				personId: p.personId,
				endpoint: req.body.endpoint,
				keys: req.body.keys
			});
			return { ok: true };
		}
	);

	r.delete('/api/push/subscriptions', { schema: { response: { 200: z.object({ ok: z.boolean(), removed: z.boolean() }) } }, config: { rateLimit: { max: 30, timeWindow: 60_000 } } }, async (req) => {
		const p = await deps.tokens.authenticate(req.raw);
		subscriberOnly(p);
		return { ok: true, removed: await deps.subscriptions.remove(p.sub) };
	});
}
