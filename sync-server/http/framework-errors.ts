import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '$lib/domain/errors';
import { ApiError } from './api-error';

/**
 * Refusals made before a request reaches a route — by Node's HTTP parser (broken framing, a header
 * block over the limit, a request that took too long to arrive) or by Fastify's router (a URL that
 * does not decode, a path parameter over the router's limit) — answered in the API's one error
 * shape `{ error: { code, message } }` like every other refusal, instead of Fastify's defaults
 * (`{ error: "Bad Request", statusCode }`), which carry no code a client could show.
 */
const CLIENT_ERRORS: Record<string, { status: number; reason: string; code: ErrorCode; message: string }> = {
	// The request arrived too slowly: on a weak link, that is the network; the device sends again.
	ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', code: 'network', message: 'Yêu cầu đến quá chậm / The request took too long to arrive' },
	HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', code: 'validation_failed', message: 'Phần đầu yêu cầu quá lớn / Request headers too large' }
};
const MALFORMED = { status: 400, reason: 'Bad Request', code: 'validation_failed' as ErrorCode, message: 'Yêu cầu sai định dạng HTTP / Malformed HTTP request' };

/** Fastify's `clientErrorHandler`: the socket has no request object yet, only raw bytes can go back. */
export function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
	// A reset connection has nobody left to answer.
	if (err.code === 'ECONNRESET' || socket.destroyed) return;
	const e = CLIENT_ERRORS[err.code ?? ''] ?? MALFORMED;
	if (socket.writable) {
		const body = JSON.stringify(new ApiError(e.status, e.code, e.message).toBody());
		socket.write(
			`HTTP/1.1 ${e.status} ${e.reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`
		);
	}
	socket.destroy();
}

/**
 * Fastify's `frameworkErrors`: the router refused the URL (FST_ERR_BAD_URL 400, FST_ERR_MAX_PARAM_LENGTH
 * 414), or a route constraint failed (FST_ERR_ASYNC_CONSTRAINT 500: ours, so a server error).
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
	const status = err.statusCode ?? 500;
	if (status >= 500) {
		req.log.error({ err }, 'router error');
		void reply.status(500).send(new ApiError(500, 'server_error', 'Lỗi máy chủ / Server error').toBody());
		return;
	}
	void reply.status(status).send(new ApiError(status, 'validation_failed', 'Đường dẫn không hợp lệ / Invalid URL').toBody());
}
