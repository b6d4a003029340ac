/**
 * The API's OpenAPI description (GET /api/openapi.json): generated from the routes' zod schemas, it
 * validates as OpenAPI 3.1 and describes every route — inputs and JSON answers — so another system
 * (a province's hotline software, its IOC) can connect from it alone. And its reference page
 * (GET /api/docs) loads under the server's own Content-Security-Policy.
 */
import { compileErrors, validate } from '@readme/openapi-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes, type RegisteredRoute } from '../../sync-server/http/openapi';
import { startServer, type TestServer } from './harness';

/**
 * Routes that are not JSON APIs, hence without a JSON response schema (their inputs are still
 * checked below). Nothing else may lack one. Not Fastify routes at all: photo and file uploads (tus)
 * and downloads, plain Node handlers in front of Fastify, described from zod apart
 * (upload-endpoints.openapi.ts, checked below); the operator's /_db console (express-pouchdb, before
 * any tenant), never described.
 */
const NOT_JSON: Record<string, string> = {
	// Live streams (text/event-stream), held open until the token expires.
	'GET /api/sync/:collection/stream': 'SSE stream',
	'GET /api/ioc/stream': 'SSE stream',
	'GET /api/office/offices/:office/board/stream': 'SSE stream',
	// Binary or text files.
	'GET /api/public/media/:id': 'a WebP photo',
	'GET /api/ioc/export.csv': 'a CSV file',
	'GET /api/tiles/:z/:x/:file': 'a PNG map tile',
	'GET /api/map/poster.png': 'a PNG image',
	'GET /api/offline-areas/:code/tiles': 'a batch of PNG tiles (binary)',
	// JSON, but not ours to schema: the tenant folder's GeoJSON file as stored, and its compact
	// encoding (domain/boundary-codec.ts, a format checked by its codec, not by zod).
	'GET /api/tenant/boundaries': 'the tenant\'s GeoJSON file (application/geo+json)',
	'GET /api/tenant/boundaries.compact': 'compact boundaries (boundary-codec.ts)'
};

/**
 * Routes hidden from the document on purpose. The reference page and the document itself are not
 * part of the API they describe; the PWA's static files (@fastify/static, hidden by default) are pages.
 */
const HIDDEN: Record<string, string> = {
	'GET /api/openapi.json': 'the document itself',
	'GET /api/docs': 'the reference page',
	'GET /api/docs/:file': 'the reference page\'s script and style',
	// Registered with OTP_TEST_ENDPOINT=1 only (started so below, to check it stays out).
	'GET /api/test/otp': 'tests\' one-time codes, never in production'
};

/** Routes that take no body although their method could carry one: nothing to declare. */
const TAKES_NO_BODY = new Set([
	'POST /api/office/tickets/:id/cancel',
	'POST /api/office/offices/:office/kiosk',
	'POST /api/office/offices/:office/counters/:counter/session',
	'POST /api/office/offices/:office/counters/:counter/call-next',
	'POST /api/dossier-applications/:id/withdraw',
	'POST /api/ioc/rebuild',
	'POST /api/ioc/warnings/:id/ack'
]);

const keyOf = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const is2xx = (status: string) => /^2(\d\d|XX)$/.test(status);

let srv: TestServer;
let routes: RegisteredRoute[];
let doc: OpenAPIV3_1.Document;

beforeAll(async () => {
	srv = await startServer({ otpTestEndpoint: true });
	// HEAD twins are Fastify's copies of GET routes: described with them.
	routes = registeredRoutes(srv.handle.app).filter((r) => r.method !== 'HEAD');
	const res = await fetch(`${srv.url}/api/openapi.json`);
	expect(res.status).toBe(200);
	doc = (await res.json()) as OpenAPIV3_1.Document;
});
afterAll(() => srv?.close());

describe('GET /api/openapi.json', () => {
	it('is a valid OpenAPI 3.1 document', async () => {
		expect(doc.openapi).toBe('3.1.0');
		// The validator dereferences in place: give it a copy.
		const result = await validate(structuredClone(doc) as never);
		expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
	});

	it('names the server the caller reached, and how to authenticate', async () => {
		expect(doc.servers).toEqual([{ url: srv.url }]);
		// Behind the TLS-ending reverse proxy: the scheme the caller used.
		const proxied = (await (await fetch(`${srv.url}/api/openapi.json`, { headers: { 'x-forwarded-proto': 'https' } })).json()) as OpenAPIV3_1.Document;
		expect(proxied.servers).toEqual([{ url: srv.url.replace(/^http:/, 'https:') }]);
		expect(Object.keys(doc.components?.securitySchemes ?? {}).sort()).toEqual(['apiKey', 'bearerAuth']);
	});

	it('describes the routes other systems call, and no operator endpoint', () => {
		const paths = doc.paths ?? {};
		expect(paths['/api/sync/{collection}/push']?.post?.requestBody).toBeDefined();
		expect(paths['/api/sync/{collection}/pull']?.get?.parameters?.length).toBeGreaterThan(0);
		expect(paths['/api/public/reports']?.get?.responses?.['200']).toBeDefined();
		expect(paths['/api/auth/login']?.post).toBeDefined();
		expect(paths['/api/admin/api-keys']?.post).toBeDefined();
		expect(Object.keys(paths).filter((p) => p.startsWith('/_db') || p.startsWith('/api/test/'))).toEqual([]);
		// The uploads and downloads in front of Fastify are there too: every tus step, with its headers.
		for (const base of ['/api/media/uploads', '/api/dossier-files/uploads', '/open311/v2/media']) {
			expect(paths[base]?.post?.parameters?.map((p) => ('name' in p ? p.name : ''))).toEqual(['tus-resumable', 'upload-length', 'upload-metadata']);
			expect(Object.keys(paths[`${base}/{uploadId}`] ?? {}).sort()).toEqual(['head', 'patch']);
		}
		expect(paths['/api/media/{id}']?.get?.responses?.['200']).toMatchObject({ content: { 'image/webp': expect.any(Object) } });
		expect(paths['/open311/v2/media']?.post?.security).toEqual([{ apiKey: [] }]);
		// Failures share one documented shape.
		expect(paths['/api/auth/login']?.post?.responses?.default).toEqual({ $ref: '#/components/responses/Error' });
	});

	it('has every registered route, except the deliberately hidden ones', () => {
		const hidden = routes.filter((r) => r.schema?.hide).map(keyOf);
		expect(hidden.sort()).toEqual(Object.keys(HIDDEN).sort());
		const missing = routes
			.filter((r) => !r.schema?.hide)
			.filter((r) => !doc.paths?.[openApiPath(r.url)]?.[r.method.toLowerCase() as OpenAPIV3_1.HttpMethods])
			.map(keyOf);
		expect(missing).toEqual([]);
	});

	it('declares every route\'s inputs: path parameters, and a body where it takes one', () => {
		const documented = routes.filter((r) => !r.schema?.hide);
		const noParams = documented.filter((r) => r.url.includes(':') && !r.schema?.params).map(keyOf);
		expect(noParams).toEqual([]);
		const noBody = documented
			.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && !r.schema?.body && !TAKES_NO_BODY.has(keyOf(r)))
			.map(keyOf);
		expect(noBody).toEqual([]);
	});

	it('declares the JSON answer of every JSON route', () => {
		const documented = routes.filter((r) => !r.schema?.hide && !(keyOf(r) in NOT_JSON));
		const noAnswer = documented.filter((r) => !Object.keys(r.schema?.response ?? {}).some(is2xx)).map(keyOf);
		expect(noAnswer).toEqual([]);
		// The exclusions name routes that exist: a renamed route cannot hide behind a stale entry.
		const known = new Set(routes.map(keyOf));
		expect([...Object.keys(NOT_JSON), ...TAKES_NO_BODY].filter((k) => !known.has(k))).toEqual([]);
	});
});

describe('GET /api/docs', () => {
	it('serves the reference page, whose scripts our CSP allows, from this server', async () => {
		const res = await fetch(`${srv.url}/api/docs`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/html/);
		const html = await res.text();
		const csp = res.headers.get('content-security-policy') ?? '';
		const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1].split(/\s+/) ?? [];
		expect(scriptSrc).toContain("'self'");
		expect(scriptSrc).not.toContain("'unsafe-inline'");
		// No inline script (the CSP would block it): every script is a file of this server.
		const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
		expect(scripts.length).toBeGreaterThan(0);
		for (const [, attrs, body] of scripts) {
			expect(body.trim()).toBe('');
			const src = /src="([^"]+)"/.exec(attrs)?.[1] ?? '';
			const url = new URL(src, res.url);
			expect(url.origin).toBe(new URL(srv.url).origin);
			const asset = await fetch(url);
			expect(asset.status, src).toBe(200);
			expect(asset.headers.get('content-type')).toMatch(/javascript/);
			expect((await asset.text()).length).toBeGreaterThan(0);
		}
		const css = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1] ?? '';
		expect((await fetch(new URL(css, res.url))).status).toBe(200);
	});

	it('serves nothing else from the UI package', async () => {
		expect((await fetch(`${srv.url}/api/docs/package.json`)).status).toBe(404);
		expect((await fetch(`${srv.url}/api/docs/constructor`)).status).toBe(404);
		expect((await fetch(`${srv.url}/api/docs/..%2Fpackage.json`)).status).toBe(404);
	});
});
