import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Principal } from '$lib/domain/principal';
import type { TokenService } from '../auth/tokens';
import { ApiError } from '../http/api-error';
import type { Storage } from '../storage/storage';
import { otpHashKey } from './otp-code';
import { createOtpService, type OtpDoc, type OtpLimits, type OtpRequestAnswer } from './otp.service';
import type { PersonLinks } from './person-links.service';
import { canonicalPhone } from '$lib/domain/common';
import { maskPhone } from './phone';
import { createLogSms, type SmsSender } from './sms';

const RequestBody = z.object({ phone: z.string().min(1).max(24) });
const VerifyBody = z.object({ phone: z.string().min(1).max(24), code: z.string().min(1).max(12) });
const TestQuery = z.object({ phone: z.string().min(1).max(24) });

/** What the app gets back after a verification (the token is the device's new one). */
export interface OtpVerifyAnswer {
	token: string;
	expiresAt: string;
	user: Principal;
	personId: string;
	/** The verified phone, normalised (0xxxxxxxxx). */
	phone: string;
	linkedReports: number;
	/**
	 * Pull every collection again from an empty checkpoint: reports that just became visible carry a
	 * new change, but their contacts, events and photos were written long before the device's
	 * checkpoint (and reports linked to the person earlier carry no new change at all).
	 */
	resync: true;
}

/** The answers as the API's document shows them, checked against their types. */
const RequestAnswer = z.object({ sent: z.literal(true), expiresAt: z.string(), resendAfterSeconds: z.number() }) satisfies z.ZodType<OtpRequestAnswer>;
const VerifyAnswer = z.object({
	token: z.string(),
	expiresAt: z.string(),
	user: Principal,
	personId: z.string(),
	phone: z.string(),
	linkedReports: z.number().int(),
	resync: z.literal(true)
}) satisfies z.ZodType<OtpVerifyAnswer>;

export interface OtpSetup {
	tenantId: string;
	tokens: TokenService;
	storage: Storage;
	tokenSecret: string;
	links: PersonLinks;
	accounts: { linkDevice(deviceId: string, personId: string): Promise<void> };
	/** OTP_TEST_ENDPOINT=1: `GET /api/test/otp?phone=` answers the last code (tests and e2e only). */
	testEndpoint: boolean;
	/** Requests per hour from one address (OTP_IP_LIMIT). */
	ipLimitPerHour?: number;
	limits?: Partial<OtpLimits>;
	/** A real SMS gateway; by default the development adapter that writes codes to the log. */
	sms?: SmsSender;
	now?: () => Date;
}

/**
 * `POST /api/auth/otp/request {phone}` and `POST /api/auth/otp/verify {phone, code}`, both with the
 * device's token. Every refusal is logged (warn) with its code and the phone masked.
 */
export async function otpRoutes(app: FastifyInstance, deps: OtpSetup): Promise<{ sms: SmsSender }> {
	const logSms = deps.sms ? null : createLogSms(app.log, { keepCodes: deps.testEndpoint });
	if (logSms)
		app.log.warn('SMS: development adapter in use: one-time codes are written to the log, not sent (plug an SmsSender for production)');
	const otp = createOtpService({
		tenantId: deps.tenantId,
		otp: deps.storage.store<OtpDoc>('otp'),
		links: deps.links,
		accounts: deps.accounts,
		sms: deps.sms ?? logSms!,
		hashKey: otpHashKey(deps.tokenSecret),
		now: deps.now,
		limits: {
			...(deps.ipLimitPerHour !== undefined ? { perIp: { max: deps.ipLimitPerHour, windowMs: 60 * 60_000 } } : {}),
			...deps.limits
		}
	});
	const r = app.withTypeProvider<ZodTypeProvider>();

	/** Runs one OTP step; a refusal is logged before it is answered. */
	async function logged<T>(req: FastifyRequest, action: 'request' | 'verify', phone: string, fn: (p: Principal) => Promise<T>): Promise<T> {
		let p: Principal | null = null;
		try {
			p = await deps.tokens.authenticate(req.raw);
			return await fn(p);
		} catch (err) {
			if (err instanceof ApiError && err.status < 500)
				req.log.warn({ otp: action, code: err.code, phone: maskPhone(phone), actor: p?.sub, ip: req.ip }, `otp ${action} refused: ${err.code}`);
			throw err;
		}
	}

	// A rate-limit refusal carries retryAfterSeconds, which the error handler also sends as Retry-After.
	r.post('/api/auth/otp/request', { schema: { body: RequestBody, response: { 200: RequestAnswer } } }, async (req) =>
		logged(req, 'request', req.body.phone, (p) => otp.request(p, req.body.phone, req.ip))
	);

	r.post('/api/auth/otp/verify', { schema: { body: VerifyBody, response: { 200: VerifyAnswer } } }, async (req): Promise<OtpVerifyAnswer> => {
		const done = await logged(req, 'verify', req.body.phone, (p) => otp.verify(p, req.body.phone, req.body.code));
		req.log.info({ otp: 'verify', actor: done.principal.sub, phone: maskPhone(done.phone), linked: done.linkedReportIds.length }, 'phone verified');
		const signed = await deps.tokens.sign(done.principal);
		return {
			...signed,
			user: done.principal,
			personId: done.personId,
			phone: done.phone,
			linkedReports: done.linkedReportIds.length,
			resync: true
		};
	});

	// Test-only: registered only with OTP_TEST_ENDPOINT=1, so it does not exist (404) anywhere else.
	if (deps.testEndpoint && logSms) {
		app.log.warn('OTP_TEST_ENDPOINT=1: GET /api/test/otp answers one-time codes (never in production)');
		// Hidden from the API's document: no client is ever to call it.
		r.get('/api/test/otp', { schema: { hide: true, querystring: TestQuery, response: { 200: z.object({ phone: z.string(), code: z.string() }) } } }, async (req) => {
			const phone = canonicalPhone(req.query.phone);
			const code = phone ? logSms.lastCode(phone) : null;
			if (!phone || !code) throw new ApiError(404, 'not_found', 'Chưa gửi mã nào tới số này / No code sent to this phone');
			return { phone, code };
		});
	}
	return { sms: deps.sms ?? logSms! };
}
