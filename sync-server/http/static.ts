import { stat } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error';

const SPA_FALLBACK = '200.html';

/**
 * Cache policy of the built PWA: hashed assets forever, everything that names them (HTML, the
 * service worker, the manifest, version.json) revalidated on every load so a new build is seen.
 */
function cacheControlFor(filePath: string): string {
	const p = filePath.replace(/\.(br|gz)$/, '').split(path.sep).join('/');
	if (p.includes('/_app/immutable/')) return 'public, max-age=31536000, immutable';
	return 'no-cache';
}

async function isDirectory(dir: string): Promise<boolean> {
	try {
		return (await stat(dir)).isDirectory();
	} catch {
		return false;
	}
}

/**
 * Serves the built PWA from `staticDir` (adapter-static output, precompressed: .br/.gz chosen by
 * Accept-Encoding). Returns whether a build was found.
 */
export async function registerStatic(app: FastifyInstance, staticDir: string): Promise<boolean> {
	if (!(await isDirectory(staticDir))) return false;
	await app.register(fastifyStatic, {
		root: staticDir,
		preCompressed: true,
		wildcard: true,
		cacheControl: false,
		setHeaders(res: { setHeader(name: string, value: string): unknown }, filePath: string) {
			res.setHeader('cache-control', cacheControlFor(filePath));
			res.setHeader('vary', 'Accept-Encoding');
		}
	});
	return true;
}

/**
 * Unknown paths: API paths answer a JSON 404; page paths (no file extension) get the SPA's
 * 200.html so a deep link or a reload of a client-side route works; a missing asset stays a 404
 * (answering a missing .js with HTML would break the page in confusing ways).
 */
export function notFoundHandler(staticFound: boolean) {
	return (req: FastifyRequest, reply: FastifyReply) => {
		const pathname = req.url.split('?')[0];
		const isPage = !pathname.startsWith('/api/') && pathname !== '/api' && !path.posix.basename(pathname).includes('.');
		if (staticFound && isPage && (req.method === 'GET' || req.method === 'HEAD')) {
			return reply.header('cache-control', 'no-cache').header('vary', 'Accept-Encoding').sendFile(SPA_FALLBACK);
		}
		const e = new ApiError(404, 'not_found', `Không tìm thấy / Not found: ${req.method} ${pathname}`);
		return reply.status(404).send(e.toBody());
	};
}
