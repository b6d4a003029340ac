import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ApiError } from '../http/api-error';

/** The tus protocol version every tus answer must name, errors included. */
export const TUS_RESUMABLE = '1.0.0';

function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		...headers,
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(text)
	});
	// Node leaves the body out for HEAD by itself.
	res.end(text);
}

/**
 * Answers any error as `{ error: { code, message } }`; an unexpected one as a 500 that leaks nothing,
 * logged through `log` (the server's structured log), never printed to stderr.
 */
export function sendError(
	res: ServerResponse,
	err: unknown,
	headers: OutgoingHttpHeaders = {},
	log?: (obj: object, msg: string) => void
): void {
	const apiError =
		err instanceof ApiError ? err : new ApiError(500, 'server_error', 'The server could not handle the photo. It will be sent again later.');
	if (!(err instanceof ApiError)) log?.({ err }, 'photo request failed');
	if (res.headersSent) {
		res.destroy();
		return;
	}
	sendJson(res, apiError.status, apiError.toBody(), headers);
}

/**
 * Reads and discards a request body we answer without storing (a chunk for an upload that is already
 * finished). Answering before the body is read would make Node close the connection under the
 * client's feet, which a weak-network client takes for a network failure and retries.
 */
export async function drain(req: IncomingMessage, maxBytes = 64 * 1024 * 1024): Promise<void> {
	let seen = 0;
	for await (const chunk of req) {
		seen += (chunk as Buffer).length;
		if (seen > maxBytes) {
			req.destroy();
			return;
		}
	}
}

/**
 * `<img src>` cannot send an Authorization header, so photo URLs may carry the token as `?token=`.
 * It is moved into the header so `authenticate` has one place to look.
 */
export function moveQueryTokenToHeader(req: IncomingMessage, url: URL): void {
	const token = url.searchParams.get('token');
	if (token && !req.headers.authorization) req.headers.authorization = `Bearer ${token}`;
}
