import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import type { ErrorCode } from '$lib/domain/errors';
import { ApiError } from './api-error';

const SERVER_ERROR = 'Lỗi máy chủ, vui lòng thử lại sau / Server error, please try again later';

function codeForStatus(status: number): ErrorCode {
	if (status === 401) return 'unauthenticated';
	if (status === 404) return 'not_found';
	if (status === 429) return 'rate_limited';
	return 'validation_failed';
}

/**
 * Every failure answers `{ error: { code, message } }`. Client errors say what was wrong; a server
 * error is logged with its stack and answered `server_error` without any detail (no stack leaks).
 */
export function errorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
	if (err instanceof ApiError) {
		if (err.status >= 500) req.log.error({ err }, 'api error');
		// A refusal that knows when to ask again (otp.service's rate limits) says so in the standard header too.
		const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
		if (typeof retryAfter === 'number' && retryAfter > 0) reply.header('retry-after', String(retryAfter));
		return reply.status(err.status).send(err.toBody());
	}
	if (hasZodFastifySchemaValidationErrors(err)) {
		const issues = err.validation.map((v) => ({ path: v.instancePath, message: v.message }));
		const first = issues[0];
		const body = new ApiError(400, 'validation_failed', `Yêu cầu không hợp lệ / Invalid request: ${first?.path ?? ''} ${first?.message ?? ''}`.trim(), { issues });
		return reply.status(400).send(body.toBody());
	}
	if (err instanceof ZodError) {
		const first = err.issues[0];
		return reply
			.status(400)
			.send(new ApiError(400, 'validation_failed', `Yêu cầu không hợp lệ / Invalid request: ${first?.path.join('.')} ${first?.message}`).toBody());
	}
	const status = (err as FastifyError).statusCode ?? 500;
	if (status >= 400 && status < 500) {
		return reply.status(status).send(new ApiError(status, codeForStatus(status), err.message).toBody());
	}
	req.log.error({ err }, 'unhandled error');
	return reply.status(500).send(new ApiError(500, 'server_error', SERVER_ERROR).toBody());
}
