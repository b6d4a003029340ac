import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './api-error';

/**
 * What a request body may cost the server before anyone knows who sent it. JSON.parse of an 8 MB
 * body nested 4 million levels deep holds the event loop for about a second, and every other
 * request waits behind it; a recursive walk of a document nested 10,000 levels overflows the stack.
 * So every body is bounded in size per route, and in depth by a byte scan BEFORE it is parsed;
 * routes that need a large body (push) authenticate in `onRequest`, before the body is read.
 */

/** Every route with a body except push: login, device, one-time codes, push subscriptions — all under 2.5 KB. */
export const DEFAULT_BODY_LIMIT = 8 * 1024;

/** Request bodies (outside push documents) are nested a few levels at most. */
export const MAX_BODY_DEPTH = 32;

/**
 * A pushed document nested deeper than this is refused on its own (the rest of the batch is
 * stored). Domain documents are nested 3 levels at most (a report's location).
 */
export const MAX_DOC_DEPTH = 32;

/** Route config flag: the body is a push batch (`[{ newDocumentState, assumedMasterState }]`). */
export const PUSH_ROWS_BODY = 'pushRowsBody';
declare module 'fastify' {
	interface FastifyContextConfig {
		pushRowsBody?: boolean;
	}
}

const deepRows = new WeakMap<object, ReadonlySet<number>>();

/** Indexes of the push rows whose documents were nested deeper than MAX_DOC_DEPTH (their deep parts read as null). */
export function deepPushRows(req: FastifyRequest): ReadonlySet<number> {
	return deepRows.get(req.raw) ?? new Set();
}

const OPEN_ARRAY = 91;
const OPEN_OBJECT = 123;
const CLOSE_ARRAY = 93;
const CLOSE_OBJECT = 125;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;

/** The index of the quote that closes the JSON string opened at `open` (escapes skipped), or the end. */
function closingQuote(text: string, open: number): number {
	let i = open + 1;
	for (const n = text.length; i < n; i++) {
		const s = text.charCodeAt(i);
		if (s === BACKSLASH) i++;
		else if (s === QUOTE) break;
	}
	return i;
}

/** Whether JSON text nests arrays/objects deeper than `max` (the outermost counts 1). One pass, strings skipped. */
export function nestedDeeperThan(text: string, max: number): boolean {
	let depth = 0;
	for (let i = 0, n = text.length; i < n; i++) {
		const c = text.charCodeAt(i);
		if (c === QUOTE) i = closingQuote(text, i);
		else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
			if (++depth > max) return true;
		} else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
	}
	return false;
}

/**
 * For a top-level JSON array: every value nested deeper than `max` levels is replaced by `null`
 * in the text, and the indexes of the elements where that happened are returned. One pass over
 * the text; what is left is at most `max` deep, cheap to parse and safe to walk.
 */
export function pruneDeepElements(text: string, max: number): { text: string; pruned: Set<number> } {
	const pruned = new Set<number>();
	const parts: string[] = [];
	let depth = 0;
	let element = 0;
	let cutFrom = -1;
	let last = 0;
	for (let i = 0, n = text.length; i < n; i++) {
		const c = text.charCodeAt(i);
		if (c === QUOTE) i = closingQuote(text, i);
		else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
			if (++depth === max + 1) (cutFrom = i), pruned.add(element);
		} else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
			if (depth === max + 1 && cutFrom >= 0) {
				parts.push(text.slice(last, cutFrom), 'null');
				last = i + 1;
				cutFrom = -1;
			}
			depth--;
		} else if (c === COMMA && depth === 1) element++;
	}
	if (!parts.length) return { text, pruned };
	parts.push(text.slice(last));
	return { text: parts.join(''), pruned };
}

const tooDeep = () =>
	new ApiError(400, 'validation_failed', `Dữ liệu lồng quá ${MAX_BODY_DEPTH} cấp / JSON nested deeper than ${MAX_BODY_DEPTH} levels`);

/**
 * Replaces Fastify's JSON parser with one that measures nesting before parsing (same prototype
 * poisoning checks). A push batch keeps its shallow rows: its deep documents are marked for the
 * route to refuse one by one (`deepPushRows`); any other body nested too deep is refused whole.
 */
export function installJsonParser(app: FastifyInstance): void {
	const parse = app.getDefaultJsonParser('error', 'error');
	app.removeContentTypeParser('application/json');
	app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
		const text = body as string;
		if (req.routeOptions.config?.[PUSH_ROWS_BODY]) {
			// Row (depth 2) and document (depth 3) are kept: a refusal can still name the document's id.
			const { text: kept, pruned } = pruneDeepElements(text, MAX_DOC_DEPTH + 2);
			if (pruned.size) deepRows.set(req.raw, pruned);
			return parse(req, kept, done);
		}
		if (nestedDeeperThan(text, MAX_BODY_DEPTH)) return done(tooDeep(), undefined);
		return parse(req, text, done);
	});
}
