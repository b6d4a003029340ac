import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { encodeBoundaries } from '$lib/domain/boundary-codec';
import type { BoundaryCollection } from '$lib/domain/geo';
import { ProcedureCatalogue } from '$lib/domain/procedure';
import { TenantConfig } from '$lib/domain/tenant';
import { ApiError } from '../http/api-error';
import { NotModified } from '../http/openapi';

/** A Uint8Array view of a Buffer (@types/node 20's Buffer does not type-check as one under TS 6). */
const bytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

const etagOf = (buf: Buffer) => `"${createHash('sha256').update(bytes(buf)).digest('base64url').slice(0, 27)}"`;

function notModified(req: FastifyRequest, etag: string): boolean {
	const inm = req.headers['if-none-match'];
	return typeof inm === 'string' && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** Compressed once, on first request (1.3 MB of GeoJSON is ~0.3 MB as brotli: it matters on 4G). */
function encodings(raw: Buffer) {
	let done: Promise<{ br: Buffer; gzip: Buffer }> | null = null;
	return () =>
		(done ??= Promise.all([
			promisify(brotliCompress)(bytes(raw), { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } }),
			promisify(gzip)(bytes(raw), { level: 9 })
		]).then(([br, gz]) => ({ br, gzip: gz })));
}

function sendEncoded(req: FastifyRequest, reply: FastifyReply, raw: Buffer, enc: { br: Buffer; gzip: Buffer }) {
	const accept = String(req.headers['accept-encoding'] ?? '');
	reply.header('vary', 'Accept-Encoding');
	if (/\bbr\b/.test(accept)) return reply.header('content-encoding', 'br').send(enc.br);
	if (/\bgzip\b/.test(accept)) return reply.header('content-encoding', 'gzip').send(enc.gzip);
	return reply.send(raw);
}

/** Boundaries change with an administrative reorganisation, years apart: cache a week, then revalidate by ETag. */
const BOUNDARIES_CACHE = 'public, max-age=604800';

/**
 * Public reference data: the tenant's configuration (units, categories, routing, SLA) and its
 * ward boundaries, with ETags so a device revalidates cheaply. The boundaries come twice: the
 * tenant's GeoJSON file as it is (for other tools), and compact (domain/boundary-codec.ts: a
 * quarter of the bytes, a third once compressed) for the devices, encoded once here from the
 * boundaries the tenant loader parsed and checked.
 */
export async function tenantRoutes(
	app: FastifyInstance,
	deps: {
		/** The configuration now (the same object until it changes): the offices may change while the server runs. */
		config: () => TenantConfig;
		boundariesFile: string;
		boundaries: BoundaryCollection;
		/** The administrative procedures (domain/procedure.ts), or null: the tenant has no catalogue. */
		procedures: ProcedureCatalogue | null;
	}
) {
	// Serialised, tagged and compressed once per version of the configuration (a new object), not per request.
	let version: { of: TenantConfig; json: Buffer; etag: string; enc: ReturnType<typeof encodings> } | null = null;
	const current = () => {
		const config = deps.config();
		if (version?.of !== config) {
			const buf = Buffer.from(JSON.stringify(config));
			version = { of: config, json: buf, etag: etagOf(buf), enc: encodings(buf) };
		}
		return version;
	};
	const boundaries = await readFile(deps.boundariesFile);
	const boundariesEtag = etagOf(boundaries);
	const boundariesEnc = encodings(boundaries);
	const compact = Buffer.from(JSON.stringify(encodeBoundaries(deps.boundaries)));
	const compactEtag = etagOf(compact);
	const compactEnc = encodings(compact);

	// The answers are JSON bytes made once (never serialized per request): the schemas describe them.
	app.get('/api/tenant', { schema: { response: { 200: TenantConfig, 304: NotModified } } }, async (req, reply) => {
		const v = current();
		reply.header('etag', v.etag).header('cache-control', 'no-cache').type('application/json; charset=utf-8');
		if (notModified(req, v.etag)) return reply.status(304).send();
		return sendEncoded(req, reply, v.json, await v.enc());
	});

	// The catalogue: the whole of it, once (a device searches it offline); revalidated by its ETag.
	const procedures = deps.procedures ? Buffer.from(JSON.stringify(deps.procedures)) : null;
	const proceduresEtag = procedures ? etagOf(procedures) : '';
	const proceduresEnc = procedures ? encodings(procedures) : null;
	app.get('/api/tenant/procedures', { schema: { response: { 200: ProcedureCatalogue, 304: NotModified } } }, async (req, reply) => {
		if (!procedures || !proceduresEnc) throw new ApiError(404, 'not_found', 'Tỉnh này chưa có danh mục thủ tục / This province has no procedure catalogue');
		reply.header('etag', proceduresEtag).header('cache-control', 'no-cache').type('application/json; charset=utf-8');
		if (notModified(req, proceduresEtag)) return reply.status(304).send();
		return sendEncoded(req, reply, procedures, await proceduresEnc());
	});

	app.get('/api/tenant/boundaries', async (req, reply) => {
		reply.header('etag', boundariesEtag).header('cache-control', BOUNDARIES_CACHE).type('application/geo+json; charset=utf-8');
		if (notModified(req, boundariesEtag)) return reply.status(304).send();
		return sendEncoded(req, reply, boundaries, await boundariesEnc());
	});

	app.get('/api/tenant/boundaries.compact', async (req, reply) => {
		reply.header('etag', compactEtag).header('cache-control', BOUNDARIES_CACHE).type('application/json; charset=utf-8');
		if (notModified(req, compactEtag)) return reply.status(304).send();
		return sendEncoded(req, reply, compact, await compactEnc());
	});
}
