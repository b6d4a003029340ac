import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifySchema, FastifySchemaCompiler, RouteOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler } from 'fastify-type-provider-zod';
import type { OpenAPIV3_1 } from 'openapi-types';
import { z } from 'zod';
import { ERROR_CODES } from '$lib/domain/errors';
import { ApiError } from './api-error';
import { withUploadEndpoints } from './upload-endpoints.openapi';

/**
 * The API's OpenAPI 3.1 description, generated from the zod schemas each route declares (never
 * written by hand: a route's schema is both its validation and its documentation), at
 * GET /api/openapi.json, and a reference page (Swagger UI, served from node_modules: no CDN, the
 * page must work on an office LAN without internet) at GET /api/docs.
 */

export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

/** The error every route answers on failure (sync-server/http/error-handler.ts), shown once for all. */
const ErrorBody = z.object({
	error: z.object({
		code: z.enum(ERROR_CODES),
		message: z.string().describe('Vietnamese / English'),
		details: z.unknown().optional()
	})
});

const DESCRIPTION = [
	'The sync-server of Cầu Nối: residents report problems to their local government, offices handle them.',
	'One document describes every province this server serves; the server answers for the province of the host (or of the first path segment) the request uses.',
	'',
	'Authentication: staff sign in at POST /api/auth/login and devices at POST /api/auth/device; both answer a token sent as `Authorization: Bearer <token>`',
	'(live streams, which a browser cannot send headers with, take it as `?token=`). Integrating systems use an API key an admin created (POST /api/admin/api-keys),',
	'sent as `x-api-key: <key>` or `Authorization: ApiKey <key>` (Open311 calls take it as the `api_key` parameter, as GeoReport v2 says).',
	'Public routes (public reports, tenant configuration, office boards, zoning) take neither.',
	'',
	'Every failure answers `{ "error": { "code", "message" } }` with a message in Vietnamese and English.'
].join('\n');

/**
 * `true` when the answer schema S names every top-level field of the type T a route sends, with
 * types that fit both ways. A response schema drops the fields it does not name, so a field added to
 * T and not to S would vanish from the answer: `const ok: Describes<typeof S, T> = true` fails the
 * build instead.
 */
export type Describes<S extends z.ZodType, T> = [z.output<S>] extends [T]
	? [T] extends [z.output<S>]
		? [Exclude<keyof T, keyof z.output<S>>] extends [never]
			? true
			: false
		: false
	: false;

/**
 * The `validatorCompiler` of a route whose handler checks its body itself, because its refusals come
 * in an order or a shape of their own (the caller's role before the body; an import's own error
 * code): its body schema is declared for the API's document, and every other part validated as usual.
 */
type RouteSchemaDef<T> = Parameters<FastifySchemaCompiler<T>>[0];
export function bodyCheckedByHandler<T>(route: RouteSchemaDef<T>) {
	// Generic: Fastify types a route's compiler by the route's whole schema; each call gets one part's zod schema.
	return route.httpPart === 'body' ? (data: unknown) => ({ value: data }) : validatorCompiler(route as unknown as RouteSchemaDef<z.ZodType>);
}

/** A 304 answer to a request whose If-None-Match names the current version: no body. */
export const NotModified = z.undefined().describe('Not modified: the If-None-Match ETag is the current one');

/** Every route as registered (method, url, schema), for the check that each one is described (tests/integration/openapi.test.ts). */
export interface RegisteredRoute {
	method: string;
	url: string;
	schema?: FastifySchema & { hide?: boolean };
}
const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();
export const registeredRoutes = (app: FastifyInstance): readonly RegisteredRoute[] => registered.get(app) ?? [];

/** The failure answer, added to every operation: one place rather than a copy per route. */
function withErrorResponses(doc: OpenAPIV3_1.Document): OpenAPIV3_1.Document {
	const paths: OpenAPIV3_1.PathsObject = {};
	for (const [url, item] of Object.entries(doc.paths ?? {})) {
		const next: Record<string, unknown> = { ...item };
		for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const) {
			const op = item?.[method];
			if (op) next[method] = { ...op, responses: { ...op.responses, default: { $ref: '#/components/responses/Error' } } };
		}
		paths[url] = next as OpenAPIV3_1.PathItemObject;
	}
	return { ...doc, paths };
}

/** `/api/office/tickets` → `office`, `/open311/v2/…` → `open311`. */
const areaOf = (url: string) => (url.startsWith('/api/') ? url.split('/')[2].replace(/\..*$/, '') : url.split('/')[1]);

/** ErrorBody as a component schema (its `$schema` is the document's own dialect: left out). */
function errorSchema(): OpenAPIV3_1.SchemaObject {
	const { $schema: _dialect, ...schema } = z.toJSONSchema(ErrorBody, { target: 'draft-2020-12' });
	return schema as OpenAPIV3_1.SchemaObject;
}

/**
 * Registers the generator: call it before any route (it collects them with an onRoute hook), after
 * the plugins whose hooks every route needs.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
	const routes: RegisteredRoute[] = [];
	registered.set(app, routes);
	app.addHook('onRoute', (r: RouteOptions) => {
		for (const method of [r.method].flat()) routes.push({ method, url: r.url, schema: r.schema as RegisteredRoute['schema'] });
	});

	await app.register(swagger, {
		openapi: {
			openapi: '3.1.0',
			info: { title: 'Cầu Nối API', version: '1', description: DESCRIPTION },
			components: {
				securitySchemes: {
					bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A staff or device session (POST /api/auth/login, /api/auth/device)' },
					apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'An integrating system\'s key (also `Authorization: ApiKey <key>`)' }
				}
			},
			// Which of them a route needs is said by its answer (401/403): anonymous, a session or a key.
			security: [{}, { bearerAuth: [] }, { apiKey: [] }]
		},
		transform: (route) => {
			const out = jsonSchemaTransform(route);
			// Grouped on the page by the path's area (/api/office/… → office): no tag to keep up by hand.
			return out.schema?.hide || out.schema?.tags ? out : { ...out, schema: { ...out.schema, tags: [areaOf(route.url)] } };
		},
		transformObject: (documentObject) => {
			const doc = jsonSchemaTransformObject(documentObject) as OpenAPIV3_1.Document;
			const components = doc.components ?? {};
			return withErrorResponses({
				...doc,
				// The uploads and downloads handled in front of Fastify, described from zod too.
				paths: withUploadEndpoints(doc.paths ?? {}),
				components: {
					...components,
					schemas: { ...components.schemas, ApiError: errorSchema() },
					responses: {
						...components.responses,
						Error: { description: 'The request failed', content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } }
					}
				}
			});
		}
	});
	await docsRoutes(app);
}

/** The reference UI's files, read from node_modules once, on first use. */
const SWAGGER_UI_FILES: Record<string, string> = {
	'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
	'swagger-ui.css': 'text/css; charset=utf-8',
	'favicon-32x32.png': 'image/png'
};
/** The page's own start-up script: a file, since the CSP allows no inline script. Relative URLs keep a path-prefixed province (/dak-lak/api/docs) working. */
const INIT_JS = `window.ui = SwaggerUIBundle({ url: new URL('openapi.json', location.href).href, dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });\n`;
const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cầu Nối API</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
<link rel="icon" href="docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;

async function docsRoutes(app: FastifyInstance): Promise<void> {
	const require = createRequire(import.meta.url);
	const uiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
	const cache = new Map<string, Buffer>();
	const hidden = { hide: true };

	app.get(OPENAPI_PATH, { schema: hidden }, async (req, reply) => {
		// One document for every province: the server is the one the caller reached. Behind the
		// reverse proxy that ends TLS (the documented deployment) the scheme is the proxy's.
		const doc = app.swagger() as OpenAPIV3_1.Document;
		const forwarded = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim();
		const scheme = forwarded === 'https' || forwarded === 'http' ? forwarded : req.protocol;
		reply.header('cache-control', 'no-cache').header('vary', 'X-Forwarded-Proto');
		return { ...doc, servers: [{ url: `${scheme}://${req.host}` }] };
	});

	app.get(DOCS_PATH, { schema: hidden }, async (_req, reply) =>
		reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(DOCS_HTML)
	);

	app.get<{ Params: { file: string } }>(`${DOCS_PATH}/:file`, { schema: hidden }, async (req, reply) => {
		const { file } = req.params;
		if (file === 'init.js') return reply.header('content-type', 'application/javascript; charset=utf-8').header('cache-control', 'no-cache').send(INIT_JS);
		const type = Object.hasOwn(SWAGGER_UI_FILES, file) ? SWAGGER_UI_FILES[file] : undefined;
		if (!type) throw new ApiError(404, 'not_found', 'Không có tệp này / No such file');
		let bytes = cache.get(file);
		if (!bytes) cache.set(file, (bytes = await readFile(path.join(uiDir, file))));
		// Not hashed names: a day, then revalidated (a new swagger-ui-dist comes with a restart).
		return reply.header('content-type', type).header('cache-control', 'public, max-age=86400').send(bytes);
	});
}
