/**
 * Every HTTP endpoint of the sync-server as a fast-check arbitrary of hostile requests. Bodies start
 * from what a real device or staff member sends (so they get past the JSON parser and reach the
 * route's validation and its service), then a field or three is replaced, dropped or added.
 * Keep this list in step with sync-server/**\/*.routes.ts, app.ts and the media/`/_db` handlers.
 */
import fc from 'fast-check';
import { EVENT_TYPES } from '$lib/domain/event';
import { IOC_TABLES } from '$lib/domain/ioc';
import { SYNC_COLLECTIONS } from '$lib/domain/sync-protocol';
import { makeContact, makeEvent, makeReport } from '../documents';
import { SOURCE_ADDRESSES, type FuzzRequest } from './http';
import { authorization, bodyOf, deepJsonText, enc, extraHeaders, headerValue, hostileString, idLike, mutate, queryOf, type Body } from './values';

export interface FuzzSession {
	token: string;
	user: { sub: string; role: string; unitIds: string[] };
}

export interface FuzzContext {
	/** Residents' devices, and staff (handler, leader, admin, volunteer). */
	devices: FuzzSession[];
	staff: FuzzSession[];
	/** A report that exists (filed by devices[0]), so ids can name something real. */
	reportId: string;
	/** That report and its contact as devices[0] sent them: bases for edits of stored documents. */
	report: Record<string, unknown>;
	contact: Record<string, unknown>;
	/** Ids of operations-centre warnings the server raised (raiseWarning in context.ts), for the acknowledgement; none unless raised. */
	warningIds?: string[];
}

export interface Endpoint {
	name: string;
	arb: fc.Arbitrary<FuzzRequest>;
	/** Statuses this endpoint may answer besides the general rule (2xx, 304, a coded 4xx). */
	only?: readonly number[];
}

const anyFrom = fc.integer({ min: 0, max: SOURCE_ADDRESSES - 1 });
const CREATED_AT = '2026-01-02T03:04:05.000Z';

interface Parts {
	method?: fc.Arbitrary<string>;
	path: fc.Arbitrary<string>;
	auth?: fc.Arbitrary<string | undefined>;
	body?: fc.Arbitrary<Body>;
	headers?: fc.Arbitrary<Record<string, string>>;
	from?: fc.Arbitrary<number>;
}

function request(p: Parts): fc.Arbitrary<FuzzRequest> {
	return fc
		.record({
			method: p.method ?? fc.constant('GET'),
			path: p.path,
			auth: p.auth ?? fc.constant(undefined),
			body: p.body ?? fc.constant<Body>({}),
			headers: p.headers ?? fc.constant({}),
			extra: fc.option(extraHeaders, { freq: 4 }),
			from: p.from ?? anyFrom
		})
		.map(({ method, path, auth, body, headers, extra, from }) => ({
			method,
			path,
			from,
			headers: {
				...(extra ?? {}),
				...(auth !== undefined ? { authorization: auth } : {}),
				...(body.contentType !== undefined ? { 'content-type': body.contentType } : {}),
				...headers
			},
			...(body.bytes && method !== 'GET' && method !== 'HEAD' ? { body: body.bytes } : {})
		}));
}

/** Mostly the route's own method, sometimes one it does not take. */
const methods = (main: string, weight = 8) =>
	fc.oneof({ arbitrary: fc.constant(main), weight }, { arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'), weight: 1 });

const b64url = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('base64url'));
const phoneLike = fc.oneof(
	fc.constantFrom('0912345678', '+84912345678', '0912 345 678', '(091) 234-5678', '０９１２３４５６７８', '0912.345.678', '84912345678'),
	fc.stringMatching(/^0\d{9}$/),
	hostileString
);
const isoLike = fc.oneof(fc.constant(CREATED_AT), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), hostileString);

export function endpoints(ctx: FuzzContext): Endpoint[] {
	const everyone = [...ctx.devices, ...ctx.staff];
	const tokens = everyone.map((s) => s.token);
	const deviceTokens = ctx.devices.map((s) => s.token);
	const session = fc.constantFrom(...everyone);
	const reportId = fc.oneof(fc.constant(ctx.reportId), idLike);
	const collection = fc.oneof({ arbitrary: fc.constantFrom(...SYNC_COLLECTIONS), weight: 9 }, { arbitrary: hostileString.map(enc), weight: 1 });

	/** A document of `c` as `s` would write it, then mutated. */
	const documentOf = (c: string, s: FuzzSession) => {
		const base = fc.record({ id: fc.uuid({ version: 7 }), rid: reportId, type: fc.constantFrom(...EVENT_TYPES) }).map(({ id, rid, type }) => {
			if (c === 'contacts') return { ...makeContact({ id: rid, authorId: s.user.sub }), id };
			if (c === 'events') return { ...makeEvent(s, { id: rid }, type), id, at: CREATED_AT };
			return { ...makeReport(s.user.sub, { createdAt: CREATED_AT }), id } as Record<string, unknown>;
		});
		return fc.oneof({ arbitrary: base, weight: 1 }, { arbitrary: mutate(base), weight: 3 });
	};
	const pushBody = (c: string, s: FuzzSession): fc.Arbitrary<Body> => {
		const rows = fc.array(fc.record({ newDocumentState: documentOf(c, s), assumedMasterState: fc.option(documentOf(c, s), { freq: 4 }) }), { minLength: 1, maxLength: 4 });
		return fc.oneof(
			{ arbitrary: bodyOf(rows), weight: 8 },
			{ arbitrary: bodyOf(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }))), weight: 2 },
			// A document nested deep inside an otherwise valid row.
			{
				arbitrary: fc.integer({ min: 100, max: 20_000 }).map((d) => ({
					contentType: 'application/json',
					bytes: new Uint8Array(Buffer.from(`[{"newDocumentState":{"id":"${ctx.reportId}","description":${deepJsonText(d, 'object')}},"assumedMasterState":null}]`))
				})),
				weight: 1
			}
		);
	};
	/**
	 * The author edits their stored report claiming a deeply nested assumed state: the row is valid,
	 * so the server compares the states (its canonical form recursed on them).
	 */
	const deepEdit: fc.Arbitrary<FuzzRequest> = fc
		.tuple(fc.integer({ min: 1_000, max: 20_000 }), fc.constantFrom<'array' | 'object'>('array', 'object'), fc.constantFrom('reports', 'contacts'))
		.map(([d, kind, c]) => {
			const doc = c === 'reports' ? { ...ctx.report, description: 'Sửa lại mô tả' } : { ...ctx.contact, name: 'Tên khác' };
			return {
				method: 'POST',
				path: `/api/sync/${c}/push`,
				from: d % SOURCE_ADDRESSES,
				headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.devices[0].token}` },
				body: new Uint8Array(Buffer.from(`[{"newDocumentState":${JSON.stringify(doc)},"assumedMasterState":{"x":${deepJsonText(d, kind)}}}]`))
			};
		});

	const tusHeaders = fc.record(
		{
			'tus-resumable': fc.oneof({ arbitrary: fc.constant('1.0.0'), weight: 6 }, { arbitrary: headerValue, weight: 1 }),
			'upload-length': fc.oneof(fc.nat({ max: 20_000_000 }).map(String), fc.constantFrom('-1', '1e3', '0x10', '99999999999999999999', ''), headerValue),
			'upload-metadata': fc.oneof(
				{
					arbitrary: fc
						.record({ mediaId: idLike, reportId, eventId: fc.option(idLike, { freq: 3 }), filetype: fc.option(fc.constantFrom('image/jpeg', 'video/mp4', 'text/html'), { freq: 2 }) })
						.map((m) => Object.entries(m).filter(([, v]) => v !== null).map(([k, v]) => `${k} ${Buffer.from(String(v)).toString('base64')}`).join(',')),
					weight: 6
				},
				{ arbitrary: fc.uint8Array({ maxLength: 40 }).map((b) => `mediaId ${Buffer.from(b).toString('base64')},reportId`), weight: 1 },
				{ arbitrary: headerValue, weight: 1 }
			),
			'upload-offset': fc.oneof(fc.nat({ max: 1_000_000 }).map(String), fc.constantFrom('-5', 'abc', '')),
			'upload-defer-length': fc.constant('1'),
			'content-type': fc.constantFrom('application/offset+octet-stream', 'application/json', 'text/plain')
		},
		{ requiredKeys: ['tus-resumable'] }
	);
	const chunk: fc.Arbitrary<Body> = fc.oneof(fc.constant<Body>({}), fc.uint8Array({ maxLength: 2048 }).map((b) => ({ bytes: b })));
	const pageish = fc.oneof(fc.webPath(), hostileString.map((s) => '/' + enc(s)), fc.constantFrom('/..%2f..%2fetc/passwd', '//', '/api', '/api/', '/%2e%2e/', '/report/../../x', '/index.html', '/_app/x.js', '/api/sync', '/api/test/otp?phone=0912345678'));

	return [
		{
			name: 'POST /api/auth/login',
			arb: request({
				method: methods('POST'),
				path: fc.constant('/api/auth/login'),
				body: bodyOf(
					mutate(
						fc.record({
							username: fc.oneof(fc.constantFrom('admin', 'lanhdao', 'ubnd-lam-vien', ' admin', 'ADMIN', 'admin\t', 'ａｄｍｉｎ', 'admin\u0000'), hostileString),
							password: fc.oneof(fc.constantFrom('demo1234', 'wrong'), hostileString)
						})
					)
				),
				// Few addresses: each valid-shaped guess costs an argon2 verification, the limiter stops most.
				from: fc.integer({ min: 0, max: 3 })
			})
		},
		{
			name: 'POST /api/auth/device',
			arb: request({
				method: methods('POST'),
				path: fc.constant('/api/auth/device'),
				body: bodyOf(mutate(fc.record({ deviceId: idLike, secret: fc.oneof(b64url(32), b64url(64), hostileString) })))
			})
		},
		{
			name: 'POST /api/auth/otp/request',
			arb: request({
				method: methods('POST'),
				path: fc.constant('/api/auth/otp/request'),
				auth: authorization(tokens),
				body: bodyOf(mutate(fc.record({ phone: phoneLike })))
			})
		},
		{
			name: 'POST /api/auth/otp/verify',
			arb: request({
				method: methods('POST'),
				path: fc.constant('/api/auth/otp/verify'),
				auth: authorization(tokens),
				body: bodyOf(mutate(fc.record({ phone: phoneLike, code: fc.oneof(fc.stringMatching(/^\d{6}$/), hostileString) })))
			})
		},
		...['/api/tenant', '/api/tenant/boundaries', '/api/tenant/boundaries.compact', '/api/health', '/api/push/key'].map((p) => ({
			name: `GET ${p}`,
			arb: request({ method: methods('GET'), path: queryOf({}).map((q) => p + q), auth: fc.option(authorization(tokens), { freq: 2 }).map((a) => a ?? undefined) })
		})),
		{
			name: 'GET /api/public/reports',
			arb: request({
				method: methods('GET'),
				path: queryOf({
					ward: fc.oneof(fc.constantFrom('24778', '0', '9999999999', '12345678901'), hostileString),
					since: fc.oneof(isoLike, isoLike.map((t) => `${t}_${ctx.reportId}`)),
					limit: fc.oneof(fc.integer({ min: -5, max: 2000 }).map(String), hostileString)
				}).map((q) => `/api/public/reports${q}`)
			})
		},
		{
			name: 'GET /api/public/reports/:id',
			arb: request({ method: methods('GET'), path: fc.tuple(reportId, queryOf({})).map(([id, q]) => `/api/public/reports/${enc(id)}${q}`) })
		},
		{
			name: 'GET /api/public/media/:id',
			arb: request({
				method: methods('GET'),
				path: fc.tuple(idLike, queryOf({ size: fc.oneof(fc.constantFrom('thumb', 'full'), hostileString) })).map(([id, q]) => `/api/public/media/${enc(id)}${q}`)
			})
		},
		{
			name: 'POST /api/push/subscriptions',
			arb: request({
				method: methods('POST'),
				path: fc.constant('/api/push/subscriptions'),
				auth: authorization(tokens),
				body: bodyOf(
					mutate(
						fc.record({
							endpoint: fc.oneof(fc.constantFrom('https://fcm.googleapis.com/fcm/send/abc', 'http://127.0.0.1/x', 'https://localhost/x', 'https://user:pw@push.example.org/', 'https://[::1]/'), fc.webUrl(), hostileString),
							expirationTime: fc.option(fc.oneof(fc.integer(), fc.double())),
							keys: mutate(fc.record({ p256dh: b64url(65), auth: b64url(16) }))
						})
					)
				)
			})
		},
		{
			name: 'DELETE /api/push/subscriptions',
			arb: request({ method: methods('DELETE'), path: queryOf({}).map((q) => `/api/push/subscriptions${q}`), auth: authorization(tokens), body: bodyOf(fc.jsonValue({ maxDepth: 2 })) })
		},
		{
			name: 'GET /api/sync/:collection/pull',
			arb: request({
				method: methods('GET'),
				auth: authorization(tokens),
				path: fc
					.tuple(
						collection,
						queryOf({
							checkpoint: fc.oneof(
								fc.constantFrom('null', '{"seq":0}', '{"seq":"now"}', '{"seq":1,"initial":null}', '{"seq":1,"initial":{"seq":2,"after":""}}', '{"seq":1,"initial":{"seq":2,"after":"~"}}'),
								fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
								fc.record({ seq: fc.oneof(fc.integer(), hostileString), initial: fc.option(fc.record({ seq: fc.oneof(fc.integer(), hostileString), after: hostileString })) }).map((v) => JSON.stringify(v)),
								hostileString
							),
							limit: fc.oneof(fc.integer({ min: -3, max: 3000 }).map(String), hostileString),
							token: fc.constantFrom(...tokens)
						})
					)
					.map(([c, q]) => `/api/sync/${c}/pull${q}`)
			})
		},
		{
			name: 'POST /api/sync/:collection/push',
			arb: fc.oneof(
				{
					arbitrary: fc.tuple(collection, session).chain(([c, s]) =>
						request({
							method: methods('POST', 12),
							path: fc.constant(`/api/sync/${c}/push`),
							auth: fc.oneof({ arbitrary: fc.constant(`Bearer ${s.token}`), weight: 8 }, { arbitrary: authorization(tokens), weight: 2 }),
							body: pushBody(c, s)
						})
					),
					weight: 20
				},
				{ arbitrary: deepEdit, weight: 1 }
			)
		},
		{
			name: 'GET /api/sync/:collection/stream',
			arb: request({
				method: methods('GET'),
				path: fc.tuple(collection, queryOf({ token: fc.oneof(fc.constantFrom(...tokens), hostileString) })).map(([c, q]) => `/api/sync/${c}/stream${q}`),
				auth: fc.option(authorization(tokens), { freq: 2 }).map((a) => a ?? undefined)
			})
		},
		{
			name: 'POST /api/media/uploads (tus create)',
			arb: request({
				method: methods('POST'),
				path: fc.constantFrom('/api/media/uploads', '/api/media/uploads/', '/api/media'),
				auth: authorization(tokens),
				headers: tusHeaders,
				body: chunk
			})
		},
		{
			name: 'HEAD|PATCH|DELETE /api/media/uploads/:id',
			arb: request({
				method: fc.constantFrom('HEAD', 'PATCH', 'PATCH', 'DELETE', 'GET', 'POST', 'OPTIONS'),
				path: idLike.map((id) => `/api/media/uploads/${enc(id)}`),
				auth: authorization(deviceTokens.length ? deviceTokens : tokens),
				headers: tusHeaders,
				body: chunk
			})
		},
		{
			name: 'GET /api/media/:id[/thumb]',
			arb: request({
				method: methods('GET'),
				path: fc
					.tuple(idLike, fc.constantFrom('', '/thumb', '/full', '/'), queryOf({ token: fc.oneof(fc.constantFrom(...tokens), hostileString) }))
					.map(([id, suffix, q]) => `/api/media/${enc(id)}${suffix}${q}`),
				auth: fc.option(authorization(tokens), { freq: 2 }).map((a) => a ?? undefined)
			})
		},
		{
			name: '/_db (operator console)',
			// 431: a header block over Node's limit is refused before any handler sees the request.
			only: [401, 403, 431],
			arb: request({
				method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'COPY', 'OPTIONS'),
				path: fc.oneof(
					fc.constantFrom('/_db', '/_db/', '/_db?x=1', '/_db/_all_dbs', '/_db/_utils', '/_db/_utils/', '/_db/caunoi-lam-dong-users/_all_docs', '/_db/caunoi-lam-dong-reports/_changes?filter=x/y', '/_db/_config/admins/admin', '/_db/_session', '/_db/caunoi-lam-dong-users/_design/x/_list/a/b'),
					hostileString.map((s) => `/_db/${enc(s)}`)
				),
				auth: fc.option(
					fc.oneof(
						fc.tuple(hostileString, hostileString).map(([u, p]) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`),
						fc.constantFrom('Basic YWRtaW46', 'Basic YWRtaW46YWRtaW4=', 'Basic !!!', 'Basic'),
						authorization(tokens)
					)
				).map((a) => a ?? undefined),
				body: bodyOf(fc.jsonValue({ maxDepth: 3 }))
			})
		},
		{
			name: 'unknown paths and static fallback',
			arb: request({ method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE'), path: pageish, auth: fc.option(authorization(tokens)).map((a) => a ?? undefined) })
		},
		{
			name: 'broken framing (raw socket)',
			arb: fc
				.record({
					method: fc.constantFrom('POST', 'PUT', 'GET', 'PATCH'),
					path: fc.constantFrom('/api/auth/device', '/api/auth/login', '/api/sync/reports/push', '/api/media/uploads', '/api/health', '/api/public/reports?ward=24778'),
					framing: fc.constantFrom('cl-short', 'cl-long', 'cl-nan', 'cl-negative', 'cl-huge', 'cl-double', 'te-bad', 'te-and-cl', 'te-unknown', 'header-space'),
					body: fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), fc.constant('{"deviceId":"x","secret":"y"}')),
					from: anyFrom
				})
				.map(({ method, path, framing, body, from }): FuzzRequest => {
					const bytes = Buffer.from(body);
					const n = bytes.length;
					const h: Record<string, string> = { 'content-type': 'application/json', connection: 'close' };
					let sent: Buffer = bytes;
					let truncated = false;
					if (framing === 'cl-short') h['content-length'] = String(Math.max(0, n - 1));
					if (framing === 'cl-long') ((h['content-length'] = String(n + 10)), (truncated = true));
					if (framing === 'cl-nan') h['content-length'] = 'abc';
					if (framing === 'cl-negative') h['content-length'] = '-1';
					if (framing === 'cl-huge') ((h['content-length'] = '99999999999999999999'), (truncated = true));
					if (framing === 'cl-double') h['content-length'] = `${n}, ${n + 1}`;
					if (framing === 'te-bad') ((h['transfer-encoding'] = 'chunked'), (sent = Buffer.from(`zz\r\n${body}\r\n0\r\n\r\n`)));
					if (framing === 'te-and-cl') ((h['transfer-encoding'] = 'chunked'), (h['content-length'] = String(n)), (sent = Buffer.from(`${n.toString(16)}\r\n${body}\r\n0\r\n\r\n`)));
					if (framing === 'te-unknown') h['transfer-encoding'] = 'gzip, chunked';
					if (framing === 'header-space') ((h['content-length '] = String(n)), (h['content-length'] = String(n)));
					return { method, path, headers: h, body: new Uint8Array(sent), from, raw: true, truncated };
				})
		},
		// Last: an endpoint added later keeps the seeds of those above (each gets seed + its index).
		{
			name: 'GET /api/public/codes/:code',
			arb: request({
				method: methods('GET'),
				path: fc
					.tuple(fc.oneof(fc.constantFrom('LD-260102-6FGD8', 'ld 260102 6fgd8', '260102-6FGD8', 'ĐLK–261305–ƯÁ2Ẹ9'), hostileString), queryOf({}))
					.map(([code, q]) => `/api/public/codes/${enc(code)}${q}`)
			})
		},
		...iocEndpoints(ctx)
	];
}

/**
 * The operations centre (sync-server/ioc/ioc.routes.ts, warnings.routes.ts): staff tokens mostly
 * (leader, operator, admin and a handler see figures; a handler naming another unit is refused),
 * residents' and forged ones too; the query of IocQuery (src/lib/domain/ioc.ts) with real values
 * and near misses (a 31 February, a period of more than a year, "7d" for "week"). The live stream
 * is followed as the sync stream is: the client drops it once it opened (http.ts).
 */
function iocEndpoints(ctx: FuzzContext): Endpoint[] {
	const staffTokens = ctx.staff.map((s) => s.token);
	const tokens = [...staffTokens, ...staffTokens, ...ctx.devices.map((s) => s.token)];
	const auth = authorization(tokens);
	const day = fc.oneof(
		fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
		fc.constantFrom('2026-02-30', '2026-13-01', '0000-01-01', '9999-12-31', '1970-01-01', '2026-1-5', '2026-01-05T00:00:00Z', '+02026-01-05', '２０２６-01-05'),
		hostileString
	);
	const iocQuery = {
		period: fc.oneof({ arbitrary: fc.constantFrom('today', 'week', 'month', 'custom'), weight: 6 }, { arbitrary: fc.constantFrom('7d', '30d', 'WEEK', 'year', ''), weight: 1 }, { arbitrary: hostileString, weight: 1 }),
		from: day,
		to: day,
		ward: fc.oneof(fc.constantFrom('24778', '24781', '24769', '0', '99999', '12345678901', '24778 ', '024778'), hostileString),
		unit: fc.oneof(fc.constantFrom('ubnd-lam-vien', 'ubnd-xuan-huong', 'police', 'natural-resources-environment', 'no-such-unit', 'UBND-LAM-VIEN'), hostileString),
		category: fc.oneof(fc.constantFrom('environment', 'public-service', 'traffic-security', 'no-such-category', 'a'.repeat(61)), hostileString)
	};
	/** A custom period spelled out whole more often than the query's independent pairs would: the period check is reached. */
	const customPeriod = fc
		.tuple(day, day, fc.option(fc.constantFrom('24778', '24781'), { nil: undefined }))
		.map(([from, to, ward]) => `?period=custom&from=${enc(from)}&to=${enc(to)}${ward ? `&ward=${ward}` : ''}`);
	const figuresPath = (base: string, extra: Record<string, fc.Arbitrary<string>> = {}) =>
		fc.oneof({ arbitrary: queryOf({ ...iocQuery, ...extra }), weight: 5 }, { arbitrary: customPeriod, weight: 1 }).map((q) => base + q);
	const table = fc.oneof({ arbitrary: fc.constantFrom(...IOC_TABLES), weight: 6 }, { arbitrary: fc.constantFrom('', 'Reports', 'users', '__proto__'), weight: 1 }, { arbitrary: hostileString, weight: 1 });
	// The table asked first (an export names one), then the filters.
	const exportPath = fc.tuple(table, figuresPath('')).map(([t, q]) => `/api/ioc/export.csv?table=${enc(t)}${q ? `&${q.slice(1)}` : ''}`);
	const warningId = fc.oneof(
		...(ctx.warningIds?.length ? [{ arbitrary: fc.constantFrom(...ctx.warningIds), weight: 4 }] : []),
		{ arbitrary: fc.constantFrom('spike|24778|environment|2026-12-05', `overdue|${ctx.reportId}|2026-01-02T03:04:05.000Z`, 'queue|lam-vien|2026-12-05', 'unseen|police|2026-12-05', 'ab', '_design/x', '_all_docs'), weight: 2 },
		{ arbitrary: idLike, weight: 2 }
	);

	return [
		{
			name: 'GET /api/ioc/figures',
			arb: request({ method: methods('GET'), path: figuresPath('/api/ioc/figures'), auth })
		},
		{
			name: 'GET /api/ioc/export.csv',
			arb: request({
				method: methods('GET'),
				path: fc.oneof({ arbitrary: exportPath, weight: 4 }, { arbitrary: figuresPath('/api/ioc/export.csv', { table }), weight: 1 }),
				auth
			})
		},
		{
			name: 'GET /api/ioc/stream',
			arb: request({
				method: methods('GET'),
				path: queryOf({ token: fc.oneof(fc.constantFrom(...tokens), hostileString), period: iocQuery.period }).map((q) => `/api/ioc/stream${q}`),
				auth: fc.option(auth, { freq: 2 }).map((a) => a ?? undefined)
			})
		},
		{
			name: 'POST /api/ioc/rebuild',
			arb: request({ method: methods('POST'), path: queryOf({}).map((q) => `/api/ioc/rebuild${q}`), auth, body: bodyOf(fc.jsonValue({ maxDepth: 2 })) })
		},
		{
			name: 'GET /api/ioc/warnings',
			arb: request({ method: methods('GET'), path: queryOf({ open: fc.oneof(fc.constantFrom('1', '0', '2', 'true', ''), hostileString) }).map((q) => `/api/ioc/warnings${q}`), auth })
		},
		{
			name: 'POST /api/ioc/warnings/:id/ack',
			arb: request({
				method: methods('POST'),
				path: fc.tuple(warningId, fc.constantFrom('/ack', '/ack', '/ack', '/ack/', '', '/ACK')).map(([id, suffix]) => `/api/ioc/warnings/${enc(id)}${suffix}`),
				auth,
				body: fc.oneof({ arbitrary: fc.constant<Body>({}), weight: 3 }, { arbitrary: bodyOf(fc.jsonValue({ maxDepth: 2 })), weight: 1 })
			})
		}
	];
}
