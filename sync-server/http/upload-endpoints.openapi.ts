import type { OpenAPIV3_1 } from 'openapi-types';
import { z } from 'zod';
import { Id } from '$lib/domain/common';
import { DOSSIER_UPLOADS_PATH } from '../dossiers/dossier-files';
import { UPLOADS_PATH } from '../media/photo-uploads';
import { OPEN311_UPLOADS_PATH } from '../open311/open311-media';

/**
 * The API's endpoints that are plain Node handlers in front of Fastify (resumable tus uploads and the
 * photo and file downloads: streamed, never parsed as JSON), described for the OpenAPI document
 * (openapi.ts) from zod like every route, so the document covers the whole API. tus (tus.io, 1.0.0):
 * a POST makes an upload and answers its URL in `Location`; PATCHes send the bytes from
 * `Upload-Offset`; a HEAD says how far it got, to resume after a cut.
 */

interface Endpoint {
	method: 'get' | 'post' | 'patch' | 'head';
	path: string;
	summary: string;
	params?: z.ZodObject;
	headers?: z.ZodObject;
	/** Status → what it answers (a content type and its schema, or none). */
	responses: Record<string, { description: string; type?: string; schema?: z.ZodType }>;
	security: 'bearer' | 'key';
}

const TusCreate = z.object({
	'tus-resumable': z.literal('1.0.0'),
	'upload-length': z.string().regex(/^\d+$/).describe('The file size in bytes'),
	'upload-metadata': z.string().describe('tus metadata: comma-separated `key base64(value)` pairs')
});
const TusPatch = z.object({
	'tus-resumable': z.literal('1.0.0'),
	'upload-offset': z.string().regex(/^\d+$/),
	'content-type': z.literal('application/offset+octet-stream')
});
const TusHead = z.object({ 'tus-resumable': z.literal('1.0.0') });
const UploadParams = z.object({ uploadId: Id });
const FileParams = z.object({ id: Id });
const binary = z.string().meta({ format: 'binary' });

function tusEndpoints(base: string, area: string, metadata: string, security: Endpoint['security']): Endpoint[] {
	return [
		{
			method: 'post',
			path: base,
			summary: `${area}: start a resumable upload (${metadata})`,
			headers: TusCreate,
			responses: { '201': { description: 'Created: `Location` is the upload URL' } },
			security
		},
		{
			method: 'patch',
			path: `${base}/{uploadId}`,
			summary: `${area}: send bytes from Upload-Offset`,
			params: UploadParams,
			headers: TusPatch,
			responses: { '204': { description: 'Stored: `Upload-Offset` says how far' } },
			security
		},
		{
			method: 'head',
			path: `${base}/{uploadId}`,
			summary: `${area}: how far an upload got (to resume it)`,
			params: UploadParams,
			headers: TusHead,
			responses: { '200': { description: '`Upload-Offset` and `Upload-Length`' } },
			security
		}
	];
}

/** A file read by its id (and its thumbnail), for who may read what it belongs to. */
function download(path: string, summary: string, what: string, type: string): Endpoint[] {
	return [
		{ method: 'get', path, summary, params: FileParams, responses: { '200': { description: what, type, schema: binary } }, security: 'bearer' },
		{
			method: 'get',
			path: `${path}/thumb`,
			summary: `${summary}: its thumbnail (WebP)`,
			params: FileParams,
			responses: { '200': { description: 'The thumbnail', type: 'image/webp', schema: binary } },
			security: 'bearer'
		}
	];
}

export const UPLOAD_ENDPOINTS: readonly Endpoint[] = [
	...tusEndpoints(UPLOADS_PATH, 'Report photos', 'mediaId and reportId, UUIDs; eventId for a step photo', 'bearer'),
	...download('/api/media/{id}', 'A report photo, for who may read its report', 'The photo', 'image/webp'),
	...tusEndpoints(DOSSIER_UPLOADS_PATH, 'Dossier files', 'fileId and applicationId, UUIDs', 'bearer'),
	...download('/api/dossier-files/{id}', 'A file of an online application, for its applicant and the office’s staff', 'The file as kept (an image or a PDF)', 'application/octet-stream'),
	...tusEndpoints(OPEN311_UPLOADS_PATH, 'Open311 photos', 'mediaId, a UUID: the Location is the media_url', 'key')
];

const json = (schema: z.ZodType) => {
	const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
	return rest as OpenAPIV3_1.SchemaObject;
};

function parameters(e: Endpoint): object[] {
	const of = (where: 'path' | 'header', shape: z.ZodObject | undefined) =>
		Object.entries(shape?.shape ?? {}).map(([name, schema]) => ({ name, in: where, required: true, schema: json(schema as z.ZodType) }));
	return [...of('path', e.params), ...of('header', e.headers)];
}

/** The endpoints above as OpenAPI paths, merged into `paths`. */
export function withUploadEndpoints(paths: OpenAPIV3_1.PathsObject): OpenAPIV3_1.PathsObject {
	const out: Record<string, Record<string, unknown>> = { ...(paths as Record<string, Record<string, unknown>>) };
	for (const e of UPLOAD_ENDPOINTS) {
		const responses = Object.fromEntries(
			Object.entries(e.responses).map(([status, r]) => [
				status,
				{ description: r.description, ...(r.type ? { content: { [r.type]: { schema: r.schema ? json(r.schema) : {} } } } : {}) }
			])
		);
		out[e.path] = {
			...out[e.path],
			[e.method]: {
				summary: e.summary,
				tags: [e.path.startsWith('/api/') ? e.path.split('/')[2] : e.path.split('/')[1]],
				parameters: parameters(e),
				security: [e.security === 'key' ? { apiKey: [] } : { bearerAuth: [] }],
				responses
			}
		};
	}
	return out as OpenAPIV3_1.PathsObject;
}
