import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import { toXml } from './open311-xml';

/**
 * Every GeoReport v2 path ends in its format (`services.json`, `requests/LD-….xml`): the answer,
 * and any error, is written in it. Errors are the spec's error objects — JSON
 * `[{"code":400,"description":"…"}]`, XML `<errors><error><code/><description/></error></errors>` —
 * with the same HTTP status, and words "vi / en" like every message of this server.
 */

export const Format = z.enum(['json', 'xml']);
export type Format = z.infer<typeof Format>;

/** The format a request's path asks for; JSON when it names none (an unknown path under /open311/v2). */
export function formatOf(url: string): Format {
	const path = url.split('?')[0];
	return path.endsWith('.xml') ? 'xml' : 'json';
}

/** Sends `data` (a list or a record) in the format: JSON as it is, XML under `root`. */
export function sendAs(reply: FastifyReply, format: Format, root: string, data: unknown): void {
	if (format === 'xml') void reply.type('text/xml; charset=utf-8').send(toXml(root, data as never));
	else void reply.send(data);
}

/** Words for the framework's own refusals (body too large, a type it cannot parse …). */
const STATUS_WORDS: Record<number, string> = {
	400: 'Yêu cầu không hợp lệ / Invalid request',
	404: 'Không tìm thấy / Not found',
	413: 'Nội dung gửi lên quá lớn / The request body is too large',
	415: 'Kiểu nội dung không được nhận / Content type not accepted',
	429: 'Quá nhiều yêu cầu, vui lòng đợi / Too many requests, wait a while'
};

export function sendGeoError(reply: FastifyReply, format: Format, status: number, description: string): void {
	sendAs(reply.status(status), format, 'errors', [{ code: status, description }]);
}

/** The error handler of the /open311/v2 routes: any refusal as the spec's error object. */
export function open311ErrorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
	const format = formatOf(req.url);
	if (err instanceof ApiError) {
		if (err.status >= 500) req.log.error({ err }, 'open311 error');
		return sendGeoError(reply, format, err.status, err.message);
	}
	if (hasZodFastifySchemaValidationErrors(err)) {
		const first = err.validation[0];
		const where = first ? `${first.instancePath.replace(/^\//, '')} ${first.message ?? ''}`.trim() : '';
		return sendGeoError(reply, format, 400, `${STATUS_WORDS[400]}: ${where}`);
	}
	const status = (err as FastifyError).statusCode ?? 500;
	if (status >= 400 && status < 500) return sendGeoError(reply, format, status, STATUS_WORDS[status] ?? err.message);
	req.log.error({ err }, 'open311 unhandled error');
	return sendGeoError(reply, format, 500, 'Lỗi máy chủ, vui lòng thử lại sau / Server error, please try again later');
}
