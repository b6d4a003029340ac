/**
 * The fuzzer's HTTP client: node:http with keep-alive agents (the fetch API would refuse most of
 * what a hostile client sends: bogus Content-Length, raw bytes), one agent per loopback source
 * address so per-address limits (login, device registration, OTP) do not turn every generated
 * request into the same `rate_limited` answer before its body reaches validation. Requests whose
 * framing is broken on purpose go over a raw socket of their own.
 */
import http from 'node:http';
import net from 'node:net';

export interface FuzzRequest {
	method: string;
	/** Path and query, sent as is (already percent-encoded where the generator wanted it). */
	path: string;
	headers: Record<string, string>;
	body?: Uint8Array;
	/** Index of the loopback source address (127.0.0.<2 + from>): per-address limits see different callers. */
	from: number;
	/** Sent byte for byte over a fresh socket: framing (Content-Length, Transfer-Encoding) is part of the attack. */
	raw?: boolean;
	/** The framing declares more bytes than are sent: the server cannot answer, it may only close. */
	truncated?: boolean;
}

export interface FuzzAnswer {
	/** 0: the connection closed without an answer. */
	status: number;
	contentType: string;
	body: string;
	ms: number;
}

export const SOURCE_ADDRESSES = 64;
const ANSWER_TIMEOUT_MS = 15_000;

export function createFuzzClient(base: string) {
	const { hostname, port } = new URL(base);
	const agents = new Map<number, http.Agent>();
	const agentFor = (from: number) => {
		let a = agents.get(from);
		if (!a) agents.set(from, (a = new http.Agent({ keepAlive: true, maxSockets: 4, localAddress: localAddress(from) })));
		return a;
	};

	function viaAgent(r: FuzzRequest): Promise<FuzzAnswer> {
		const t0 = performance.now();
		return new Promise((resolve) => {
			let settled = false;
			const done = (a: Omit<FuzzAnswer, 'ms'>) => {
				if (settled) return;
				settled = true;
				resolve({ ...a, ms: performance.now() - t0 });
			};
			// Node sends DELETE/OPTIONS bodies without framing unless told their length: the bytes would
			// be read as the next request on the connection.
			const headers = r.body ? { 'content-length': String(r.body.length), ...r.headers } : r.headers;
			const req = http.request({ host: hostname, port, method: r.method, path: r.path, headers, agent: agentFor(r.from) }, (res) => {
				const contentType = String(res.headers['content-type'] ?? '');
				// A live stream that opened is a success; it would never end by itself.
				if (contentType.startsWith('text/event-stream')) {
					res.destroy();
					return done({ status: res.statusCode ?? 0, contentType, body: '' });
				}
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => done({ status: res.statusCode ?? 0, contentType, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', () => done({ status: res.statusCode ?? 0, contentType, body: Buffer.concat(chunks).toString('utf8') }));
			});
			req.setTimeout(ANSWER_TIMEOUT_MS, () => {
				req.destroy();
				done({ status: -1, contentType: '', body: `no answer within ${ANSWER_TIMEOUT_MS} ms` });
			});
			req.on('error', (e) => done({ status: 0, contentType: '', body: String(e) }));
			req.end(r.body);
		});
	}

	/** One request, written as raw bytes; the answer's status line, headers and body parsed by hand. */
	function viaSocket(r: FuzzRequest): Promise<FuzzAnswer> {
		const t0 = performance.now();
		return new Promise((resolve) => {
			const sock = net.connect({ host: hostname, port: Number(port), localAddress: localAddress(r.from) });
			const chunks: Buffer[] = [];
			const finish = () => {
				clearTimeout(timer);
				resolve({ ...parseRawAnswer(Buffer.concat(chunks)), ms: performance.now() - t0 });
			};
			const timer = setTimeout(() => sock.destroy(), ANSWER_TIMEOUT_MS);
			sock.on('data', (c: Buffer) => {
				chunks.push(c);
				// One answer is all we wait for: the socket may stay open (keep-alive).
				const a = parseRawAnswer(Buffer.concat(chunks));
				if (a.complete) sock.destroy();
			});
			sock.on('close', finish);
			sock.on('error', () => undefined);
			const head = [`${r.method} ${r.path} HTTP/1.1`, `Host: ${hostname}:${port}`, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`)];
			sock.write(Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'));
			if (r.body) sock.write(r.body);
			// The client has nothing more to say: a server waiting for declared bytes sees the end.
			sock.end();
		});
	}

	return {
		send: (r: FuzzRequest) => (r.raw ? viaSocket(r) : viaAgent(r)),
		close() {
			for (const a of agents.values()) a.destroy();
			agents.clear();
		}
	};
}

export const localAddress = (from: number) => `127.0.0.${2 + (Math.abs(from) % SOURCE_ADDRESSES)}`;

function parseRawAnswer(buf: Buffer): Omit<FuzzAnswer, 'ms'> & { complete: boolean } {
	const text = buf.toString('latin1');
	const end = text.indexOf('\r\n\r\n');
	const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
	if (!m || end < 0) return { status: 0, contentType: '', body: text.slice(0, 200), complete: false };
	const headers = text.slice(0, end).toLowerCase();
	const contentType = /\ncontent-type:\s*([^\r\n]*)/.exec(headers)?.[1] ?? '';
	const length = Number(/\ncontent-length:\s*(\d+)/.exec(headers)?.[1] ?? NaN);
	const body = buf.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'));
	return {
		status: Number(m[1]),
		contentType,
		body: body.toString('utf8'),
		complete: Number.isFinite(length) ? body.length >= length : false
	};
}
