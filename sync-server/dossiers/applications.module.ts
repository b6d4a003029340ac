import type { FastifyInstance } from 'fastify';
import type { OfficeConfig } from '$lib/domain/office';
import type { Procedure } from '$lib/domain/procedure';
import type { TenantConfig } from '$lib/domain/tenant';
import type { TokenService } from '../auth/tokens';
import type { Storage, Store } from '../storage/storage';
import { createApplicationIndex, createDossierSeq, type IndexEntry, type SeqClaim } from './application-index';
import { applicationRoutes } from './applications.routes';
import { createApplications, type Applications, type DossierFileDoc } from './applications.service';
import type { StoredDossier } from './dossier-import';
import { createFileClaims, type FileClaim } from './file-claims';

/** Online applications (applications.service.ts): their stores, services and routes, from setupDossiers (the import tells applicants through the service). */
export async function setupApplications(
	app: FastifyInstance,
	deps: {
		tenant: TenantConfig;
		procedures: ReadonlyMap<string, Procedure>;
		storage: Storage;
		store: Store<StoredDossier>;
		tokens: TokenService;
		now: () => Date;
		offices?: () => OfficeConfig | undefined;
		push?: (recipients: string[], payload: object, urgency: 'high' | 'normal') => Promise<void>;
	}
): Promise<Applications> {
	const { storage } = deps;
	const applications = createApplications({
		apps: storage.store('dossier-applications'),
		files: storage.store<DossierFileDoc>('dossier-files'),
		dossiers: deps.store,
		index: createApplicationIndex(storage.store<IndexEntry>('dossier-application-index')),
		seq: createDossierSeq(storage.store<SeqClaim>('dossier-seq')),
		claims: createFileClaims(storage.store<FileClaim>('dossier-file-claims')),
		procedures: deps.procedures,
		offices: deps.offices ?? (() => deps.tenant.office),
		calendar: deps.tenant.calendar,
		tenantId: deps.tenant.id,
		now: deps.now,
		push: deps.push ?? (async () => undefined),
		log: app.log
	});
	await applicationRoutes(app, { tokens: deps.tokens, applications });
	return applications;
}
