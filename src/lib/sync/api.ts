import { isErrorCode, type ErrorCode } from '../domain/errors';
import { appRoot } from '../pwa/namespace';

/**
 * A failed call to the sync-server, reduced to an error code the device can show and a decision:
 * retry later (network, server trouble) or not (the server refused what we sent).
 */
export class ApiFailure extends Error {
	constructor(
		readonly code: ErrorCode,
		readonly status: number,
		message: string = code,
		readonly details?: unknown
	) {
		super(message);
		this.name = 'ApiFailure';
	}
	get retryable(): boolean {
		return this.code === 'network' || this.code === 'server_error' || this.code === 'rate_limited';
	}
	/** The token is stale: get a new one and try again. */
	get authExpired(): boolean {
		return this.code === 'token_expired' || this.code === 'token_invalid' || this.code === 'unauthenticated';
	}
}

function codeForStatus(status: number): ErrorCode {
	if (status === 401) return 'unauthenticated';
	if (status === 403) return 'forbidden_scope';
	if (status === 413) return 'media_too_large';
	if (status === 429) return 'rate_limited';
	if (status >= 500 || status === 408) return 'server_error';
	return 'validation_failed';
}

/**
 * What `/api/…` is appended to: the one given (tests, the service worker), else the page's origin
 * plus the build's base (`https://caunoi.example/dak-lak` for a province under a path).
 */
export function resolveOrigin(origin?: string): string {
	if (origin !== undefined) return origin.replace(/\/$/, '');
	return appRoot(globalThis.location?.origin ?? '');
}

const DEFAULT_TIMEOUT_MS = 30_000;

export interface ApiRequest {
	method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
	token?: string;
	body?: unknown;
	signal?: AbortSignal;
	/** A weak 4G link can hang a request for minutes: give up and retry later instead. */
	timeoutMs?: number;
}

/** fetch + JSON + the server's `{ error: { code, message } }`, turned into ApiFailure. Works in a service worker. */
export async function apiFetch<T>(url: string, req: ApiRequest = {}): Promise<T> {
	const headers: Record<string, string> = { accept: 'application/json' };
	if (req.body !== undefined) headers['content-type'] = 'application/json';
	if (req.token) headers.authorization = `Bearer ${req.token}`;
	const timeout = AbortSignal.timeout?.(req.timeoutMs ?? DEFAULT_TIMEOUT_MS);
	const signal = req.signal && timeout && 'any' in AbortSignal ? AbortSignal.any([req.signal, timeout]) : (req.signal ?? timeout);
	let res: Response;
	try {
		res = await fetch(url, {
			method: req.method ?? (req.body === undefined ? 'GET' : 'POST'),
			headers,
			body: req.body === undefined ? undefined : JSON.stringify(req.body),
			signal
		});
	} catch (e) {
		if (req.signal?.aborted) throw e;
		throw new ApiFailure('network', 0, e instanceof Error ? e.message : String(e));
	}
	const text = await res.text().catch(() => '');
	let body: unknown = undefined;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		// A proxy's HTML error page: keep the status.
	}
	if (!res.ok) {
		const err = (body as { error?: { code?: unknown; message?: string; details?: unknown } } | undefined)?.error;
		const code = isErrorCode(err?.code) ? err.code : codeForStatus(res.status);
		throw new ApiFailure(code, res.status, err?.message ?? `HTTP ${res.status}`, err?.details);
	}
	if (body === undefined) throw new ApiFailure('server_error', res.status, 'empty or non-JSON answer');
	return body as T;
}

/** Turns anything thrown into an error code (unknown failures read as server trouble). */
export function errorCodeOf(e: unknown): ErrorCode {
	if (e instanceof ApiFailure) return e.code;
	const code = (e as { code?: unknown } | null)?.code;
	if (isErrorCode(code)) return code;
	if (e instanceof TypeError) return 'network';
	return 'server_error';
}
