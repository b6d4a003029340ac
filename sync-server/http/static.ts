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

async function isFile(file: string): Promise<boolean> {
	try {
		return (await stat(file)).isFile();
	} catch {
		return false;
	}
}

/** `/dossier` → `dossier.html`, inside the build only; null for the root or anything that climbs out. */
function prerenderedPage(build: string, pathname: string): string | null {
	let decoded: string;
	try {
		decoded = decodeURIComponent(pathname);
	} catch {
		return null;
	}
	const rel = path.posix.normalize(decoded).replace(/^\/+|\/+$/g, '');
	if (!rel || rel.startsWith('..') || rel.includes('\0')) return null;
	const file = `${rel}.html`;
	return path.resolve(build, file).startsWith(path.resolve(build) + path.sep) ? file : null;
}

/**
 * Serves the built PWA from `dir` (adapter-static output, precompressed: .br/.gz chosen by
 * Accept-Encoding) at `prefix`. Returns whether a build was found.
 */
async function registerBuild(app: FastifyInstance, dir: string, prefix: string, first: boolean): Promise<boolean> {
	if (!(await isDirectory(dir))) return false;
	await app.register(fastifyStatic, {
		root: dir,
		prefix,
		// One `reply.sendFile` per instance; a second build passes its root to it.
		decorateReply: first,
		preCompressed: true,
		wildcard: true,
		// A prerendered page is `<page>.html` (adapter-static, trailingSlash 'never'): `/report` is report.html.
		extensions: ['html'],
		cacheControl: false,
		setHeaders(res: { setHeader(name: string, value: string): unknown }, filePath: string) {
			res.setHeader('cache-control', cacheControlFor(filePath));
			res.setHeader('vary', 'Accept-Encoding');
		}
	});
	return true;
}

/**
 * The built PWA of a province: `staticDir` at `/` (served at the province's own host), and, when
 * `staticDir/<tenantId>/` holds a build made for that path (`BASE_PATH=/<tenantId>`), that build
 * at `/<tenantId>/` (several provinces under one host, sync-server/tenant/tenant-paths.ts).
 *
 * Unknown paths: API paths answer a JSON 404; page paths (no file extension) get the SPA's
 * 200.html of their build so a deep link or a reload of a client-side route works; a missing asset
 * stays a 404 (answering a missing .js with HTML would break the page in confusing ways). Returns
 * whether the root build was found.
 */
export async function registerApp(app: FastifyInstance, staticDir: string, tenantId: string): Promise<boolean> {
	const root = await registerBuild(app, staticDir, '/', true);
	const pathDir = path.join(staticDir, tenantId);
	const pathBase = `/${tenantId}`;
	const underPath = (await isDirectory(pathDir)) && (await registerBuild(app, pathDir, `${pathBase}/`, !root));
	app.setNotFoundHandler(async (req: FastifyRequest, reply: FastifyReply) => {
		const pathname = req.url.split('?')[0];
		const isPage = !pathname.startsWith('/api/') && pathname !== '/api' && !path.posix.basename(pathname).includes('.');
		const inPath = pathname === pathBase || pathname.startsWith(`${pathBase}/`);
		const build = inPath ? (underPath ? pathDir : null) : root ? staticDir : null;
		if (build && isPage && (req.method === 'GET' || req.method === 'HEAD')) {
			// A prerendered page that also has prerendered pages under it (`dossier.html` and `dossier/file.html`):
			// the static handler meets the folder first and gives up; the page is still `<path>.html`.
			const page = prerenderedPage(build, inPath ? pathname.slice(pathBase.length) : pathname);
			if (page && (await isFile(path.join(build, page)))) return reply.header('vary', 'Accept-Encoding').sendFile(page, build);
			return reply.header('cache-control', 'no-cache').header('vary', 'Accept-Encoding').sendFile(SPA_FALLBACK, build);
		}
		const e = new ApiError(404, 'not_found', `Không tìm thấy / Not found: ${req.method} ${pathname}`);
		return reply.status(404).send(e.toBody());
	});
	return root;
}

