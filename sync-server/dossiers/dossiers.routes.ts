import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { normalizeDossierCode, publicDossier } from '$lib/domain/dossier';
import type { TokenService } from '../auth/tokens';
import { apiKeysOf } from '../api-keys/api-keys.module';
import { keyOrToken } from '../api-keys/api-keys.routes';
import { ApiError } from '../http/api-error';
import { bodyCheckedByHandler } from '../http/openapi';
import { ImportReportAnswer, PublicDossierAnswer } from './dossier-answers';
import { createCodeLookupLimiter } from '../public/code-lookup-limiter';
import { parseCsv } from './csv';
import { dossiersFromCsv, type createDossierImport, type ImportReport, type StoredDossier } from './dossier-import';
import type { Store } from '../storage/storage';
import type { WorkCalendar } from '$lib/domain/work-calendar';

/**
 * Dossiers (hồ sơ):
 *   POST /api/dossiers/import          an admin, or a system with an API key of scope dossiers:import
 *                                      (api-keys/): CSV (text/csv) or JSON ({ dossiers: [...] })
 *                                      → { imported, unchanged, rejected }
 *   GET  /api/public/dossiers/:code    anyone holding the code: the dossier's public status, its
 *                                      applicant masked (domain/dossier.ts publicDossier)
 */

/** An import file: 5,000 dossiers of a few steps each fit well under it; the caller is known before it is read. */
const IMPORT_BODY_LIMIT = 5 * 1024 * 1024;
/** Different codes one address may look up per window (enumeration), as for tracking codes (public.routes.ts). */
const CODE_WINDOW_MS = 3_600_000;
const ImportJson = z.strictObject({ dossiers: z.array(z.unknown()).min(1).max(5_000) });
/** As the document shows it; the handler checks it (its refusals are `import_invalid`). */
const ImportFile = ImportJson.or(z.string().describe('text/csv: one row per step of a dossier (dossier-import.ts CSV_COLUMNS)'));

export async function dossierRoutes(
	app: FastifyInstance,
	deps: {
		tokens: TokenService;
		store: Store<StoredDossier>;
		importer: ReturnType<typeof createDossierImport>;
		/** The province's calendar: CSV dates in local time are read in its offset (none: ISO 8601 with an offset only). */
		calendar: Pick<WorkCalendar, 'utcOffset'> | undefined;
		codeLookupLimit: number;
		now: () => Date;
	}
) {
	const codeLimiter = createCodeLookupLimiter({ max: deps.codeLookupLimit, windowMs: CODE_WINDOW_MS });
	const r = app.withTypeProvider<ZodTypeProvider>();
	const keyAuth = keyOrToken(app, { tokens: deps.tokens, keys: apiKeysOf(app), scope: 'dossiers:import' });

	await app.register(async (scoped) => {
		// The CSV comes as text; JSON through Fastify's own parser. Both under the import's limit only here.
		scoped.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => done(null, body));
		scoped.post(
			'/api/dossiers/import',
			{ ...keyAuth.route, bodyLimit: IMPORT_BODY_LIMIT, schema: { body: ImportFile, response: { 200: ImportReportAnswer } }, validatorCompiler: bodyCheckedByHandler },
			async (req) => {
				const caller = keyAuth.callerOf(req);
				if (caller.kind === 'token' && caller.principal.role !== 'admin')
					throw new ApiError(403, 'forbidden_scope', 'Chỉ quản trị viên nhập hồ sơ / Only an admin imports dossiers');
				// Who sent it, in the log with what it did: a system by its key, or the admin by name.
				const from = caller.kind === 'key' ? { apiKeyId: caller.key.keyId, system: caller.key.name } : { by: caller.principal.sub };
				const done = (report: ImportReport) => {
					req.log.info({ ...from, imported: report.imported, unchanged: report.unchanged, rejected: report.rejected.length }, 'dossiers imported');
					return report;
				};
				if (typeof req.body === 'string') {
					const rows = dossiersFromCsv(parseCsv(req.body), deps.calendar);
					if ('missing' in rows)
						throw new ApiError(400, 'import_invalid', `Tệp CSV thiếu cột: ${rows.missing.join(', ')} / The CSV lacks the columns: ${rows.missing.join(', ')}`);
					return done(await deps.importer.importRows(rows));
				}
				const json = ImportJson.safeParse(req.body);
				if (!json.success) throw new ApiError(400, 'import_invalid', 'Cần { "dossiers": [ … ] } (1 đến 5.000 hồ sơ) / Expected { "dossiers": [ … ] } (1 to 5,000 dossiers)');
				return done(await deps.importer.importRows(json.data.dossiers.map((value, i) => ({ row: i + 1, value }))));
			}
		);
	});

	// The code as typed or scanned (any case, spaces, or the look-up link itself): read in its canonical
	// form, which is also what the different-codes limit counts. Unknown codes answer alike.
	r.get(
		'/api/public/dossiers/:code',
		{ schema: { params: z.object({ code: z.string().max(300) }), response: { 200: PublicDossierAnswer } }, config: { rateLimit: { max: 60, timeWindow: 60_000 } } },
		async (req, reply) => {
			const code = normalizeDossierCode(req.params.code);
			if (!code) throw new ApiError(400, 'dossier_code_invalid', 'Mã hồ sơ chưa đúng dạng / Not a dossier code');
			const allowed = codeLimiter.check(req.ip, code);
			if (!allowed.ok) {
				reply.header('retry-after', String(Math.ceil(allowed.retryAfterMs / 1000)));
				throw new ApiError(429, 'rate_limited', 'Đã tra quá nhiều mã, vui lòng đợi / Too many codes looked up, wait a while');
			}
			const d = await deps.store.get(code);
			if (!d || d._deleted) throw new ApiError(404, 'dossier_unknown', 'Không có hồ sơ với mã này / No dossier has this code');
			reply.header('cache-control', 'no-cache');
			return publicDossier(d, deps.now());
		}
	);
}
