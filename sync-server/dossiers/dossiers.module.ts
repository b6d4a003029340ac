import type { FastifyInstance } from 'fastify';
import type { ProcedureCatalogue } from '$lib/domain/procedure';
import type { TenantConfig } from '$lib/domain/tenant';
import type { TokenService } from '../auth/tokens';
import type { Config } from '../config';
import type { Storage } from '../storage/storage';
import type { OfficeConfig } from '$lib/domain/office';
import { createDossierImport, type StoredDossier } from './dossier-import';
import { setupApplications } from './applications.module';
import { setupDossierFiles, type DossierFilesModule } from './dossier-files.module';
import { dossierRoutes } from './dossiers.routes';

/**
 * Dossiers of administrative procedures: imported from the province's one-stop system and looked up
 * by their code. A province without a procedure catalogue has no dossier routes (a dossier names its
 * procedure).
 */
export async function setupDossiers(
	app: FastifyInstance,
	deps: {
		config: Config;
		tenant: TenantConfig;
		procedures: ProcedureCatalogue | null;
		storage: Storage;
		tokens: TokenService;
		now?: () => Date;
		/** The offices as an admin last saved them (office-settings.ts): online applications are filed at them. */
		offices?: () => OfficeConfig | undefined;
		/** Web Push to residents' devices (push.module.ts `deliver`). */
		push?: (recipients: string[], payload: object, urgency: 'high' | 'normal') => Promise<void>;
	}
): Promise<DossierFilesModule | null> {
	if (!deps.procedures) return null;
	const now = deps.now ?? (() => new Date());
	const store = deps.storage.store<StoredDossier>('dossiers');
	const procedures = new Map(deps.procedures.procedures.map((p) => [p.code, p]));
	// First the applications: the import tells an online dossier's applicant of its new status through them.
	const applications = await setupApplications(app, { ...deps, procedures, store, now });
	const importer = createDossierImport({ store, procedures, calendar: deps.tenant.calendar, tenantId: deps.tenant.id, now, moved: applications.dossiersMoved });
	await dossierRoutes(app, {
		tokens: deps.tokens,
		store,
		importer,
		calendar: deps.tenant.calendar,
		codeLookupLimit: deps.config.codeLookupLimit,
		now
	});
	// Pages and PDFs of applications: raw tus requests, routed by the tenant app before Fastify.
	return setupDossierFiles(app, deps);
}
