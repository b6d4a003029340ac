import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { StoredApplication } from '$lib/domain/dossier-application';
import type { OfficeConfig } from '$lib/domain/office';
import type { TenantConfig } from '$lib/domain/tenant';
import type { TokenService } from '../auth/tokens';
import type { Config } from '../config';
import { redactToken } from '../http/http.module';
import { createOfficeSettings } from '../office/office-settings';
import type { Storage } from '../storage/storage';
import { tenantFilesDir } from '../tenant/tenant-names';
import { createDossierFiles, type DossierFile, type FileStatus } from './dossier-files';
import { createFileClaims, type FileClaim } from './file-claims';

export interface DossierFilesModule {
	/** Whether a request is the dossier files' (`/api/dossier-files…`) rather than Fastify's. */
	owns(url: string): boolean;
	/** Answers a file upload or read (tus reads the raw body stream before Fastify parses anything). */
	handle(req: IncomingMessage, res: ServerResponse): void;
	/** Each file's status for ApplicationView.files (`waiting` when nothing has arrived yet). */
	fileStatuses(ids: string[]): Promise<Record<string, FileStatus>>;
}

/**
 * Files of online applications (pages and PDFs): resumable uploads and reads. Closed with the app
 * (its onClose hook), after the requests under way. The offices whose staff read them are the
 * current ones, admin edits included (office-settings.ts `current`): given, or followed here.
 */
export async function setupDossierFiles(
	app: FastifyInstance,
	deps: { config: Config; tenant: TenantConfig; storage: Storage; tokens: TokenService; offices?: () => OfficeConfig | undefined }
): Promise<DossierFilesModule> {
	const { config, storage } = deps;
	const own = deps.offices ? null : await createOfficeSettings({ tenant: deps.tenant, storage, log: app.log });
	const offices = deps.offices ?? own!.current;
	const files = storage.store<DossierFile>('dossier-files');
	const applications = storage.store<StoredApplication & { id: string }>('dossier-applications');
	const service = createDossierFiles({
		dataDir: tenantFilesDir(config.dataDir, deps.tenant.id),
		authenticate: deps.tokens.authenticate,
		getApplication: (id) => applications.get(id),
		getFile: (id) => files.get(id),
		getFiles: async (ids) => new Map([...(await files.getMany(ids))].map(([id, v]) => [id, v.doc])),
		saveFile: async (doc) => {
			const [res] = await files.bulkPut([{ doc }]);
			if (!res.ok) throw new Error(`Could not store dossier file ${doc.id}: ${res.error}`);
		},
		claims: createFileClaims(storage.store<FileClaim>('dossier-file-claims')),
		offices,
		uploadLimits: {
			ttlMs: config.uploadPendingTtlMs,
			sweepMs: config.uploadSweepMs,
			perIdentityBytes: config.uploadPendingPerDevice,
			perAddressBytes: config.uploadPendingPerAddress
		},
		log: (level, obj, msg) => app.log[level](obj, msg)
	});
	app.addHook('onClose', async () => {
		await service.close().catch((err) => app.log.error({ err }, 'dossier files close failed'));
		own?.close();
	});

	return {
		owns: (url) => url === '/api/dossier-files' || url.startsWith('/api/dossier-files/') || url.startsWith('/api/dossier-files?'),
		handle(req, res) {
			const url = req.url;
			service.handle(req, res).catch((err) => {
				app.log.error({ err, url: redactToken(url ?? '/') }, 'dossier file request failed');
				if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { code: 'server_error', message: 'Server error' } }));
			});
		},
		fileStatuses: service.fileStatuses
	};
}
