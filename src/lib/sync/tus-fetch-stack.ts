import type { FileReader as TusFileReader, FileSource, HttpRequest, HttpResponse, HttpStack, SliceResult } from 'tus-js-client';

/**
 * A tus-js-client HTTP stack on `fetch`, because the default one uses XMLHttpRequest, which a service
 * worker does not have (photos are sent from the service worker's background sync too). The same
 * code runs in a window, a worker and Node (tests).
 *
 * fetch reports no upload progress: a photo (one 512 KB chunk) would sit at 0 until its answer,
 * seconds on a slow link. So where XMLHttpRequest exists (a page, not the service worker) a request
 * with a body goes through it and reports bytes as they leave (`upload.onprogress`); elsewhere,
 * progress is reported per request, when its answer arrives.
 */
export interface FetchHttpStackOptions {
	/** Defaults to the global fetch. */
	fetch?: typeof fetch;
	/**
	 * Give up on one request after this long. A weak 4G link can leave a request hanging for minutes;
	 * failing lets tus retry from the offset the server has. 256 KB at 100 kbit/s takes ~21 s.
	 */
	timeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export class FetchHttpStack implements HttpStack {
	constructor(private readonly options: FetchHttpStackOptions = {}) {}

	createRequest(method: string, url: string): HttpRequest {
		return new FetchHttpRequest(method, url, this.options);
	}

	getName(): string {
		return 'FetchHttpStack';
	}
}

function bodySize(body: unknown): number {
	if (body == null) return 0;
	if (typeof Blob !== 'undefined' && body instanceof Blob) return body.size;
	if (body instanceof ArrayBuffer) return body.byteLength;
	if (ArrayBuffer.isView(body)) return body.byteLength;
	if (typeof body === 'string') return new TextEncoder().encode(body).length;
	return 0;
}

class FetchHttpRequest implements HttpRequest {
	private readonly headers: Record<string, string> = {};
	private readonly controller = new AbortController();
	private onProgress: (bytesSent: number) => void = () => {};

	constructor(
		private readonly method: string,
		private readonly url: string,
		private readonly options: FetchHttpStackOptions
	) {}

	getMethod() {
		return this.method;
	}
	getURL() {
		return this.url;
	}
	setHeader(header: string, value: string) {
		this.headers[header] = value;
	}
	getHeader(header: string) {
		const key = Object.keys(this.headers).find((k) => k.toLowerCase() === header.toLowerCase());
		return key === undefined ? undefined : this.headers[key];
	}
	setProgressHandler(handler: (bytesSent: number) => void) {
		this.onProgress = handler;
	}

	async send(body: unknown = null): Promise<HttpResponse> {
		const timeoutMs = this.options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
		if (body != null && !this.options.fetch && canReportUploadProgress()) return this.sendWithProgress(body, timeoutMs);
		const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
		const timer = setTimeout(() => this.controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
		try {
			const res = await doFetch(this.url, {
				method: this.method,
				headers: this.headers,
				body: body == null ? undefined : (body as BodyInit),
				signal: this.controller.signal,
				// tus answers must never come from a cache (the offset changes with every chunk).
				cache: 'no-store'
			});
			// The body must be read inside the timeout too: a stalled answer is as bad as none.
			const text = this.method === 'HEAD' ? '' : await res.text();
			this.onProgress(bodySize(body));
			return new FetchHttpResponse(res, text);
		} finally {
			clearTimeout(timer);
		}
	}

	/** The same request through XMLHttpRequest, reporting the bytes sent as they go. */
	private sendWithProgress(body: unknown, timeoutMs: number): Promise<HttpResponse> {
		return new Promise((resolve, reject) => {
			const xhr = new XMLHttpRequest();
			xhr.open(this.method, this.url, true);
			for (const [k, v] of Object.entries(this.headers)) xhr.setRequestHeader(k, v);
			xhr.timeout = timeoutMs;
			xhr.upload.onprogress = (e) => this.onProgress(e.loaded);
			xhr.onload = () => {
				this.onProgress(bodySize(body));
				resolve(new XhrHttpResponse(xhr));
			};
			// Rejections as fetch's: tus sees "no answer" (a network error) and retries from the offset.
			xhr.onerror = () => reject(new TypeError('network error'));
			xhr.ontimeout = () => reject(new Error(`no answer within ${timeoutMs} ms`));
			xhr.onabort = () => reject(this.controller.signal.reason ?? new DOMException('aborted', 'AbortError'));
			this.controller.signal.addEventListener('abort', () => xhr.abort(), { once: true });
			xhr.send(body as XMLHttpRequestBodyInit);
		});
	}

	async abort() {
		this.controller.abort();
	}

	getUnderlyingObject() {
		return this.controller;
	}
}

class FetchHttpResponse implements HttpResponse {
	constructor(
		private readonly res: Response,
		private readonly body: string
	) {}
	getStatus() {
		return this.res.status;
	}
	getHeader(header: string) {
		return this.res.headers.get(header) ?? undefined;
	}
	getBody() {
		return this.body;
	}
	getUnderlyingObject() {
		return this.res;
	}
}

/**
 * A page's XMLHttpRequest, with upload events. Not in a worker (none there) nor in Node, where a
 * library may define an XMLHttpRequest without `upload` (PouchDB's tests: photos then failed as
 * "network" forever).
 */
function canReportUploadProgress(): boolean {
	return typeof window !== 'undefined' && typeof XMLHttpRequest !== 'undefined' && 'upload' in XMLHttpRequest.prototype;
}

class XhrHttpResponse implements HttpResponse {
	constructor(private readonly xhr: XMLHttpRequest) {}
	getStatus() {
		return this.xhr.status;
	}
	getHeader(header: string) {
		return this.xhr.getResponseHeader(header) ?? undefined;
	}
	getBody() {
		return this.xhr.responseText;
	}
	getUnderlyingObject() {
		return this.xhr;
	}
}

/**
 * Reads a Blob in slices for tus-js-client. Its Node build only reads Buffers and streams, its
 * browser build only Blobs; photos are Blobs everywhere (from the Dexie outbox), so one reader
 * serves the window, the service worker and the tests.
 */
export class BlobFileReader implements TusFileReader {
	async openFile(input: unknown, _chunkSize?: number): Promise<FileSource> {
		if (typeof Blob === 'undefined' || !(input instanceof Blob)) throw new Error('tus: the photo must be a Blob');
		const blob = input;
		return {
			size: blob.size,
			slice: async (start: number, end: number): Promise<SliceResult> => ({
				value: blob.slice(start, end),
				done: end >= blob.size
			}),
			close: () => {}
		};
	}
}
