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
const MAX_BODY_DEPTH = 32;

/**
 * A pushed document nested deeper than this is refused on its own (the rest of the batch is
 * stored). Domain documents are nested 3 levels at most (a report's location).
 */
export const MAX_DOC_DEPTH = 32;

/**
 * A pushed document wider than this (an array with more items, an object with more fields) is refused
 * on its own. Device identities are free, so a push is as good as anonymous: validating 600,000 bad
 * unit ids held the event loop 2.3 s (one issue each), parsing 250,000 unknown fields 0.6 s. So the
 * byte scan that cuts deep values also cuts wide ones to their first items, before anything is
 * parsed. The widest real document: 5 photos, a few dozen fields, a province's units.
 */
export const MAX_DOC_ITEMS = 1000;
export const MAX_DOC_FIELDS = 200;

/** Route config: the body is a push batch (`[{ newDocumentState, assumedMasterState }]`) of at most this many rows. */
export const PUSH_ROWS_BODY = 'pushRowsBody';
declare module 'fastify' {
	interface FastifyContextConfig {
		pushRowsBody?: number;
	}
}

/** Why a push row was cut: nested too deep (the deep part reads as null) or too wide (cut to its first items). */
export type Oversize = 'deep' | 'wide';

const cutRows = new WeakMap<object, ReadonlyMap<number, Oversize>>();

/** The push rows the byte scan cut (MAX_DOC_DEPTH, MAX_DOC_ITEMS, MAX_DOC_FIELDS), by index: each is refused on its own. */
export function oversizedPushRows(req: FastifyRequest): ReadonlyMap<number, Oversize> {
	return cutRows.get(req.raw) ?? new Map();
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

export interface CutLimits {
	/** Deeper values are replaced by null. */
	depth: number;
	/** Arrays and objects below the top level keep this many items / fields; the rest is cut. */
	items: number;
	fields: number;
	/** Elements of the top-level array; more and the scan stops (`tooMany`). */
	elements: number;
}

/**
 * For a top-level JSON array, in one pass over the text and before anything is parsed: a value
 * nested deeper than `depth` is replaced by null, an array or object below the top level wider than
 * `items` / `fields` is cut to its first ones, and the indexes of the elements where that happened
 * are returned with the reason. What is left is cheap to parse and safe to walk; an element keeps
 * its first fields (a document's id among them), so its refusal can still name it.
 */
export function cutOversized(text: string, limits: CutLimits): { text: string; cut: Map<number, Oversize>; tooMany: boolean } {
	const cut = new Map<number, Oversize>();
	const parts: string[] = [];
	/** Per open depth: is it an array, and how many commas it has had. */
	const isArray: boolean[] = [];
	const commas: number[] = [];
	let depth = 0;
	let element = 0;
	/** The cut in progress: from where, down to which depth's close, and whether the close is kept. */
	let cutFrom = -1;
	let cutDepth = 0;
	let keepClose = false;
	let last = 0;
	for (let i = 0, n = text.length; i < n; i++) {
		const c = text.charCodeAt(i);
		if (c === QUOTE) i = closingQuote(text, i);
		else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
			++depth;
			isArray[depth] = c === OPEN_ARRAY;
			commas[depth] = 0;
			if (cutFrom < 0 && depth === limits.depth + 1) {
				(cutFrom = i), (cutDepth = depth), (keepClose = false);
				if (!cut.has(element)) cut.set(element, 'deep');
			}
		} else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
			if (cutFrom >= 0 && depth === cutDepth) {
				// A deep value becomes null; a wide one keeps its first items and its closing bracket.
				parts.push(text.slice(last, cutFrom), keepClose ? '' : 'null');
				last = keepClose ? i : i + 1;
				cutFrom = -1;
			}
			depth--;
		} else if (c === COMMA) {
			if (depth === 1) {
				if (++element >= limits.elements) return { text, cut, tooMany: true };
			} else if (cutFrom < 0 && depth > 1 && ++commas[depth] >= (isArray[depth] ? limits.items : limits.fields)) {
				(cutFrom = i), (cutDepth = depth), (keepClose = true);
				cut.set(element, 'wide');
			}
		}
	}
	if (!parts.length) return { text, cut, tooMany: false };
	parts.push(text.slice(last));
	return { text: parts.join(''), cut, tooMany: false };
}

const tooDeep = () =>
	new ApiError(400, 'validation_failed', `Dữ liệu lồng quá ${MAX_BODY_DEPTH} cấp / JSON nested deeper than ${MAX_BODY_DEPTH} levels`);

/**
 * Replaces Fastify's JSON parser with one that measures nesting before parsing (same prototype
 * poisoning checks). A push batch keeps its shallow rows: its deep documents are marked for the
 * route to refuse one by one (`oversizedPushRows`); any other body nested too deep is refused whole.
 */
export function installJsonParser(app: FastifyInstance): void {
	const parse = app.getDefaultJsonParser('error', 'error');
	app.removeContentTypeParser('application/json');
	app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
		const text = body as string;
		const rows = req.routeOptions.config?.[PUSH_ROWS_BODY];
		if (rows) {
			// Row (depth 2) and document (depth 3) are kept: a refusal can still name the document's id.
			const limits = { depth: MAX_DOC_DEPTH + 2, items: MAX_DOC_ITEMS, fields: MAX_DOC_FIELDS, elements: rows };
			const { text: kept, cut, tooMany } = cutOversized(text, limits);
			if (tooMany) return done(new ApiError(400, 'validation_failed', `Tối đa ${rows} tài liệu mỗi lần / At most ${rows} documents per push`), undefined);
			if (cut.size) cutRows.set(req.raw, cut);
			return parse(req, kept, done);
		}
		if (nestedDeeperThan(text, MAX_BODY_DEPTH)) return done(tooDeep(), undefined);
		return parse(req, text, done);
	});
}
