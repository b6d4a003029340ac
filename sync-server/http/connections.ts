import type { Server } from 'node:http';
import type { Config } from '../config';

type Timeouts = Pick<Config, 'httpHeadersTimeoutMs' | 'httpRequestTimeoutMs' | 'httpKeepAliveTimeoutMs' | 'httpIdleTimeoutMs'>;

/**
 * Options for `http.createServer`: how often Node looks for requests past their header or request
 * timeout. Node's default (30 s) would let a short timeout (tests) run up to 30 s late.
 */
export function httpServerOptions(c: Timeouts) {
	const shortest = [c.httpHeadersTimeoutMs, c.httpRequestTimeoutMs].filter((ms) => ms > 0);
	return { connectionsCheckingInterval: Math.max(100, Math.min(30_000, ...shortest.map((ms) => Math.floor(ms / 4)))) };
}

/**
 * Sockets that send nothing, trickle their headers, or hold a request open forever cost a file
 * descriptor and memory each; a few thousand of them starve the server (SECURITY.md lists the
 * figures). Node's defaults close none of them. Live streams are not cut: their request is complete
 * at once (request and header timeouts no longer apply) and their heartbeat keeps them from idling.
 */
export function applyHttpTimeouts(server: Server, c: Timeouts): Server {
	// Node refuses a header timeout longer than the request timeout.
	server.headersTimeout = c.httpRequestTimeoutMs > 0 ? Math.min(c.httpHeadersTimeoutMs, c.httpRequestTimeoutMs) : c.httpHeadersTimeoutMs;
	server.requestTimeout = c.httpRequestTimeoutMs;
	server.keepAliveTimeout = c.httpKeepAliveTimeoutMs;
	// Without a 'timeout' listener Node destroys the socket that idled this long.
	server.setTimeout(c.httpIdleTimeoutMs);
	return server;
}

/** A live stream's heartbeat: often enough that the idle timeout never closes a quiet stream. */
export function heartbeatFor(idleTimeoutMs: number, longest: number): number {
	return idleTimeoutMs > 0 ? Math.max(50, Math.min(longest, Math.floor(idleTimeoutMs / 2))) : longest;
}
