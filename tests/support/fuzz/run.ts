/**
 * Runs an endpoint's generated requests against a server and checks the invariant every answer must
 * hold: no 5xx, no hang, and either a success or a SPECIFIC refusal — a 4xx whose JSON body is
 * `{ error: { code } }` with a code of ERROR_CODES (src/lib/domain/errors.ts), which is what a device
 * turns into words. Two modes: `assertEndpoint` (tests: fast-check's assert, shrinking a failure to a
 * minimal request) and `surveyEndpoint` (the benchmark: every answer counted, nothing stops it).
 */
import fc from 'fast-check';
import { isErrorCode } from '$lib/domain/errors';
import type { Endpoint } from './endpoints';
import type { FuzzAnswer, FuzzRequest } from './http';

export type Send = (r: FuzzRequest) => Promise<FuzzAnswer>;

/** What is wrong with this answer, or null when it holds the invariant. */
export function violation(endpoint: Endpoint, req: FuzzRequest, a: FuzzAnswer): string | null {
	if (a.status === -1) return a.body;
	if (a.status === 0) {
		// The server cannot answer a request whose declared body never comes; nor, reliably, one it
		// refused early while the client was still writing a large body (the socket closes under it).
		if (req.truncated || (req.body?.length ?? 0) > 512 * 1024) return null;
		// A header block over the limit is refused before the method is known, with a body even to a
		// HEAD, which Node's client then reports as a parse error: the refusal itself was given.
		if (req.method === 'HEAD' && a.body.includes('Data after `Connection: close`')) return null;
		return `connection closed without an answer (${a.body.slice(0, 120)})`;
	}
	if (endpoint.only && !endpoint.only.includes(a.status)) return `status ${a.status}, expected one of ${endpoint.only.join('/')}`;
	if (a.status >= 500) return `status ${a.status}: ${a.body.slice(0, 300)}`;
	if ((a.status >= 200 && a.status < 300) || a.status === 304) return null;
	if (a.status < 400) return `status ${a.status}`;
	if (req.method === 'HEAD' && a.body === '') return null;
	const code = errorCodeOf(a.body);
	if (code === undefined) return `status ${a.status} without {error:{code}}: ${JSON.stringify(a.body.slice(0, 200))}`;
	if (!isErrorCode(code)) return `status ${a.status} with unknown code ${JSON.stringify(code)}`;
	return null;
}

export function errorCodeOf(body: string): unknown {
	try {
		const parsed = JSON.parse(body) as { error?: { code?: unknown } };
		return parsed && typeof parsed.error === 'object' && parsed.error ? parsed.error.code : undefined;
	} catch {
		return undefined;
	}
}

/** A request as a reproducer: method, path, headers and (the start of) the body. */
export function describeRequest(r: FuzzRequest): string {
	const body = r.body ? Buffer.from(r.body) : null;
	const shown = body ? (body.length > 300 ? `${JSON.stringify(body.subarray(0, 300).toString('utf8'))}… (${body.length} bytes)` : JSON.stringify(body.toString('utf8'))) : '(none)';
	const path = r.path.length > 300 ? `${r.path.slice(0, 300)}… (${r.path.length} chars)` : r.path;
	const headers = JSON.stringify(r.headers);
	return `${r.method} ${path}${r.raw ? ' [raw socket]' : ''} from 127.0.0.${2 + r.from}\n  headers: ${headers.length > 600 ? `${headers.slice(0, 600)}…` : headers}\n  body: ${shown}`;
}

export interface FuzzOptions {
	seed: number;
	runs: number;
	/** Requests in flight at once. */
	concurrency: number;
}

/**
 * fast-check's assert over batches of `concurrency` requests sent together; a batch fails on its
 * first bad answer, reported with its request and the seed (no shrinking: the run stays bounded in
 * time even when a request hangs; FUZZ_SEED replays it).
 */
export async function assertEndpoint(send: Send, endpoint: Endpoint, opts: FuzzOptions): Promise<void> {
	// fast-check prints a counterexample with this: the reproducer, not 8 requests' raw bytes.
	const printable = endpoint.arb.map((r) => Object.assign(r, { [fc.toStringMethod]: () => describeRequest(r) }));
	const batch = fc.noShrink(fc.array(printable, { minLength: opts.concurrency, maxLength: opts.concurrency }));
	await fc.assert(
		fc.asyncProperty(batch, async (reqs) => {
			const answers = await Promise.all(reqs.map(send));
			const bad = reqs.map((r, i) => ({ r, a: answers[i], why: violation(endpoint, r, answers[i]) })).filter((x) => x.why);
			if (bad.length) throw new Error(`${bad[0].why}\n  request: ${describeRequest(bad[0].r)}`);
		}),
		{ seed: opts.seed, numRuns: Math.ceil(opts.runs / opts.concurrency), endOnFailure: true, verbose: 0 }
	);
}

export interface Survey {
	endpoint: string;
	requests: number;
	ok: number;
	/** 4xx by error code (or by status when there was no code). */
	refused: Record<string, number>;
	serverErrors: number;
	/** Violations other than 5xx (uncoded 4xx, no answer). */
	other: number;
	p50: number;
	p99: number;
	/** First few failing requests, as reproducers. */
	examples: string[];
}

/** Sends `runs` generated requests (seeded), `concurrency` at a time, and counts every answer. */
export async function surveyEndpoint(send: Send, endpoint: Endpoint, opts: FuzzOptions): Promise<Survey> {
	const reqs = fc.sample(endpoint.arb, { seed: opts.seed, numRuns: opts.runs });
	const s: Survey = { endpoint: endpoint.name, requests: 0, ok: 0, refused: {}, serverErrors: 0, other: 0, p50: 0, p99: 0, examples: [] };
	const times: number[] = [];
	const kinds = new Set<string>();
	let next = 0;
	await Promise.all(
		Array.from({ length: opts.concurrency }, async () => {
			while (next < reqs.length) {
				const r = reqs[next++];
				const a = await send(r);
				s.requests++;
				times.push(a.ms);
				const why = violation(endpoint, r, a);
				if (a.status >= 500) s.serverErrors++;
				else if (why) s.other++;
				else if (a.status >= 400) {
					// A HEAD answer has no body to carry a code: counted by its status.
					const code = String(errorCodeOf(a.body) ?? `HEAD ${a.status}`);
					s.refused[code] = (s.refused[code] ?? 0) + 1;
				} else if (a.status === 0) s.refused.closed = (s.refused.closed ?? 0) + 1;
				else s.ok++;
				// One example per kind of violation (its first words), a few kinds per endpoint.
				const kind = why?.replace(/[^a-z ]/gi, '').slice(0, 40);
				if (why && kind !== undefined && !kinds.has(kind) && kinds.size < 6) {
					kinds.add(kind);
					s.examples.push(`${why}\n  request: ${describeRequest(r)}`);
				}
			}
		})
	);
	times.sort((a, b) => a - b);
	s.p50 = times[Math.floor(times.length * 0.5)] ?? 0;
	s.p99 = times[Math.floor(times.length * 0.99)] ?? 0;
	return s;
}

/** FUZZ_SEED / FUZZ_RUNS from the environment, or a fresh seed (printed by the caller, to replay). */
/** The seed `npm test` uses under CI=true. */
export const CI_FUZZ_SEED = 2026;

export function fuzzSettings(defaultRuns: number): { seed: number; runs: number } {
	// CI replays one fixed seed, so whether a change lands never depends on the draw; a developer's
	// run (and the benchmark) draws a new one each time, to keep finding what the fixed one misses.
	const seed = process.env.FUZZ_SEED
		? Number(process.env.FUZZ_SEED)
		: process.env.CI
			? CI_FUZZ_SEED
			: Math.floor(Math.random() * 2 ** 31);
	const runs = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : defaultRuns;
	if (!Number.isInteger(seed) || !Number.isInteger(runs) || runs < 1) throw new Error('FUZZ_SEED and FUZZ_RUNS must be integers');
	return { seed, runs };
}
