/**
 * Hostile values for the HTTP fuzzer (fast-check arbitraries): strings with the unicode that breaks
 * naive code (lone surrogates, NUL, right-to-left overrides, combining marks), JSON of wrong types,
 * sizes and nesting, ids that are almost ids, and the headers a hostile client sends.
 */
import fc from 'fast-check';

/** Characters that have broken parsers, normalisers and loggers somewhere. */
const NASTY = [
	'\u0000', '\ud800', '\udfff', '\udbff\udc00', '\u202e', '\u200f', '\u200b', '\ufeff', '\u0301', 'ǅ', '𝕏', '🇻🇳',
	'\u2028', '\r\n', '%00', '%', '%ZZ', '../', '..\\', '\\', '"', "'", '<script>', '${x}', '{{x}}', '__proto__',
	'constructor', 'toString', 'NaN', '-0', '1e309', '０９１２', 'İ', 'ß', 'Đ', 'đ', 'Ỹ'
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
	{ arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
	{ arbitrary: fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 4 })), { maxLength: 12 }).map((xs) => xs.join('')), weight: 3 },
	{ arbitrary: fc.constantFrom('', ' ', '\t', 'null', 'undefined', 'true', '[]', '{}'), weight: 1 },
	{ arbitrary: fc.integer({ min: 200, max: 70_000 }).map((n) => 'a'.repeat(n)), weight: 1 }
);

/** Almost a UUID, a UUID, or anything else: where ids are checked, every near miss must be refused. */
export const idLike: fc.Arbitrary<string> = fc.oneof(
	fc.uuid(),
	fc.uuid().map((u) => u.toUpperCase()),
	fc.uuid().map((u) => u.slice(0, -1)),
	fc.uuid().map((u) => `${u}x`),
	fc.uuid().map((u) => u.replace(/-/g, '')),
	fc.constant('00000000-0000-0000-0000-000000000000'),
	hostileString
);

/** A JSON text nested `depth` levels deep (arrays or objects), built as text: no recursion here either. */
export const deepJsonText = (depth: number, kind: 'array' | 'object') =>
	kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
	{ arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 4 },
	{ arbitrary: hostileString, weight: 2 },
	{ arbitrary: fc.constantFrom(0, -1, 1.5, -0, 1e308, Number.MAX_SAFE_INTEGER + 2, true, false, null, [], {}), weight: 2 },
	{ arbitrary: fc.dictionary(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', '_id', '_rev', '_deleted')), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }), weight: 2 }
);

/** Replaces some fields of a valid object with hostile values, drops some, adds unknown ones. */
export function mutate<T extends Record<string, unknown>>(valid: fc.Arbitrary<T>): fc.Arbitrary<Record<string, unknown>> {
	return fc
		.tuple(valid, fc.array(fc.tuple(fc.nat(), anyJson), { maxLength: 3 }), fc.array(fc.nat(), { maxLength: 2 }), fc.option(fc.tuple(hostileString, anyJson), { freq: 5 }))
		.map(([doc, replace, drop, extra]) => {
			const out: Record<string, unknown> = { ...doc };
			const keys = Object.keys(doc);
			for (const [k, v] of replace) if (keys.length) out[keys[k % keys.length]] = v;
			for (const k of drop) if (keys.length) delete out[keys[k % keys.length]];
			if (extra) out[extra[0]] = extra[1];
			return out;
		});
}

export interface Body {
	contentType?: string;
	bytes?: Uint8Array;
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=latin1'];
const OTHER_TYPES = [
	'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/offset+octet-stream',
	'application/jsonx', 'application/*', '', 'application/json, text/plain', 'application/merge-patch+json'
];

const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

/**
 * A request body: mostly JSON of `value` with a JSON content type (so it reaches validation), else
 * the same text mangled (cut, raw bytes, BOM), deep nesting, a large body, or no body at all.
 */
export function bodyOf(value: fc.Arbitrary<unknown>): fc.Arbitrary<Body> {
	const json = value.map((v) => JSON.stringify(v) ?? 'null');
	return fc.oneof(
		{ arbitrary: fc.tuple(json, fc.constantFrom(...JSON_TYPES)).map(([s, ct]) => ({ contentType: ct, bytes: text(s) })), weight: 12 },
		{ arbitrary: fc.tuple(json, fc.constantFrom(...OTHER_TYPES)).map(([s, ct]) => ({ contentType: ct, bytes: text(s) })), weight: 2 },
		{ arbitrary: fc.tuple(json, fc.nat()).map(([s, n]) => ({ contentType: 'application/json', bytes: text(s.slice(0, n % (s.length + 1))) })), weight: 2 },
		{ arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => ({ contentType: 'application/json', bytes: b })), weight: 1 },
		{ arbitrary: json.map((s) => ({ contentType: 'application/json', bytes: text('\ufeff' + s) })), weight: 1 },
		{
			arbitrary: fc
				.tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom<'array' | 'object'>('array', 'object'))
				.map(([d, k]) => ({ contentType: 'application/json', bytes: text(deepJsonText(d, k)) })),
			weight: 1
		},
		{ arbitrary: fc.integer({ min: 100_000, max: 1_500_000 }).map((n) => ({ contentType: 'application/json', bytes: text(JSON.stringify({ x: 'y'.repeat(n) })) })), weight: 1 },
		{ arbitrary: fc.constant({}), weight: 1 }
	);
}

/** Authorization as sent: none, a real token of `tokens`, or a forgery of one. */
export function authorization(tokens: string[]): fc.Arbitrary<string | undefined> {
	const real = tokens.length ? fc.constantFrom(...tokens) : fc.constant('x.y.z');
	return fc.oneof(
		{ arbitrary: real.map((t) => `Bearer ${t}`), weight: 6 },
		{ arbitrary: fc.constant(undefined), weight: 2 },
		{
			arbitrary: fc.tuple(real, fc.nat(), fc.constantFrom('A', '_', '.', '')).map(([t, i, c]) => `Bearer ${t.slice(0, i % t.length)}${c}${t.slice((i % t.length) + 1)}`),
			weight: 1
		},
		{ arbitrary: real.map((t) => `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${t.split('.')[1]}.`), weight: 1 },
		{ arbitrary: fc.constantFrom('Bearer', 'Bearer ', 'bearer x', 'Basic YWRtaW46YWRtaW4=', 'Token abc', 'Bearer a b', 'Bearer ' + 'a'.repeat(9000)), weight: 1 },
		{ arbitrary: headerValue, weight: 1 }
	);
}

/** What node:http lets through in a header value: tab, printable ASCII and Latin-1 bytes. */
export const headerValue: fc.Arbitrary<string> = fc
	.array(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(9)), { maxLength: 60 })
	.map((cs) => String.fromCharCode(...cs));

/** Extra headers a hostile client adds (forwarding claims, odd encodings). */
export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.dictionary(
	fc.constantFrom('x-forwarded-for', 'forwarded', 'accept-encoding', 'if-none-match', 'origin', 'cookie', 'accept', 'range', 'x-http-method-override', 'tus-resumable'),
	headerValue,
	{ maxKeys: 3 }
);

/** A query string: real parameter names with hostile values, unknown ones, repeated ones, bad escapes. */
export function queryOf(params: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
	const names = Object.keys(params);
	const pair = fc.oneof(
		...(names.length ? [{ arbitrary: fc.constantFrom(...names).chain((n) => params[n].map((v) => [n, v] as const)), weight: 4 }] : []),
		{ arbitrary: fc.tuple(fc.constantFrom(...names, 'token', '__proto__', 'x', ''), hostileString), weight: 2 }
	);
	return fc.oneof(
		{ arbitrary: fc.array(pair, { maxLength: 4 }).map((ps) => (ps.length ? '?' + ps.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&') : '')), weight: 8 },
		{ arbitrary: fc.constantFrom('?%', '?a=%ZZ', '?&&&', '?=', '?a[b]=1', '?a=1&a=2', '?' + 'a=1&'.repeat(500)), weight: 1 }
	);
}

/** encodeURIComponent that does not throw on lone surrogates (they are sent as raw %ED%A0%80 bytes). */
export function enc(s: string): string {
	try {
		return encodeURIComponent(s);
	} catch {
		return [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
	}
}
