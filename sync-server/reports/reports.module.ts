import type { FastifyInstance } from 'fastify';
import type { TenantConfig } from '$lib/domain/tenant';
import type { ScopeIndex } from '../access/scope-index';
import type { Config } from '../config';
import type { Storage } from '../storage/storage';
import type { SyncStores } from '../storage/sync-stores';
import { createOverdueService } from './overdue.service';
import { createReportIntake, type ReportIntake } from './report-intake.service';
import type { TrackingClaim } from './tracking-code';

export interface ReportsModule {
	/** What the server does with a new report (tracking code, routing, due time, its first events). */
	intake: ReportIntake;
	/** Starts the SLA clock (once the server listens). */
	start(): void;
	/** Stops it and waits for a pass under way: the first step of closing. */
	stop(): Promise<void>;
}

/** Reports as the server handles them: the intake of new reports and the job that flags overdue ones. */
export function setupReports(
	app: FastifyInstance,
	deps: { config: Config; tenant: TenantConfig; storage: Storage; stores: SyncStores; index: ScopeIndex; now?: () => Date }
): ReportsModule {
	const { stores, now } = deps;
	const intake = createReportIntake({
		index: deps.index,
		children: { contacts: stores.contacts, media: stores.media },
		config: deps.tenant,
		reports: stores.reports,
		events: stores.events,
		claims: deps.storage.store<TrackingClaim>('tracking-codes'),
		now
	});
	// The SLA clock: reports turn overdue on their own (OVERDUE_CHECK_MS; 0 = not on this instance).
	const overdue = deps.config.overdueCheckMs
		? createOverdueService({ ...stores, rederive: intake.rederive, intervalMs: deps.config.overdueCheckMs, now, log: app.log })
		: null;
	return {
		intake,
		start: () => overdue?.start(),
		stop: async () => overdue?.stop()
	};
}
