import { constants as zlibConstants } from 'node:zlib';
import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../config';
import { ApiError } from './api-error';
import { DEFAULT_BODY_LIMIT, installJsonParser } from './body-limits';
import { errorHandler } from './error-handler';
import { frameworkErrors } from './framework-errors';
import { registerOpenApi } from './openapi';
import { helmetOptions, isStaticAsset, stripDocumentHeaders } from './security';

/** Tokens travel in `?token=` for SSE and photos, Open311 keys may in `?api_key=`: keep them out of the logs. */
export const redactToken = (url: string | undefined) => (url ?? '').replace(/([?&](?:token|api_key)=)[^&]*/g, '$1[redacted]');

/**
 * A tenant's Fastify instance with what every route shares, before any route is registered (a hook
 * added later would miss the routes before it): its log, zod schemas, the API's error shape, the
 * JSON parser, security headers, compression and the (per-route) rate limiter.
 */
export async function createHttpApp(opts: { config: Config; tenantId: string; scriptHashes: string[] }): Promise<FastifyInstance> {
	const app = Fastify({
		frameworkErrors,
		logger: {
			level: opts.config.logLevel,
			// Which province a line is about, when one process serves several.
			base: { tenant: opts.tenantId },
			serializers: {
				req: (req: { method: string; url: string; ip?: string }) => ({
					method: req.method,
					url: redactToken(req.url),
					remoteAddress: req.ip
				})
			}
		},
		// Every route with a body takes a few KB; push sets its own (sync.routes.ts, body-limits.ts).
		bodyLimit: DEFAULT_BODY_LIMIT
	});
	app.setValidatorCompiler(validatorCompiler);
	app.setSerializerCompiler(serializerCompiler);
	app.setErrorHandler(errorHandler);
	installJsonParser(app);

	await app.register(helmet, helmetOptions(opts.scriptHashes));
	// API answers are JSON that shrinks 6–8× (a handler's first sync: 17.8 MB raw, 2.3 MB gzipped),
	// and the links are weak 4G. Brotli at a low quality costs about what gzip does; the built app is
	// served precompressed by the static handler (already encoded, left alone), photos are WebP
	// (not compressible) and live streams are hijacked responses (never buffered here).
	await app.register(compress, {
		encodings: ['br', 'gzip'],
		threshold: 1024,
		brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
		zlibOptions: { level: 6 }
	});
	app.addHook('onSend', async (req, reply) => {
		if (isStaticAsset(req.url)) stripDocumentHeaders(reply);
	});
	// Registered once, off by default: each route that needs a limit sets its own (`config: { rateLimit }`).
	await app.register(rateLimit, {
		global: false,
		errorResponseBuilder: () =>
			new ApiError(429, 'rate_limited', 'Thử lại quá nhiều lần, vui lòng đợi một phút / Too many attempts, wait a minute')
	});
	// Last: it collects the routes registered from here on (the modules'), with the hooks above.
	await registerOpenApi(app);
	return app;
}
