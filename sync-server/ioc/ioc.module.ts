import type { FastifyInstance } from 'fastify';
import { DEFAULT_IOC_RULES, type IocWarning } from '$lib/domain/ioc';
import type { Office } from '$lib/domain/office';
import type { TenantConfig } from '$lib/domain/tenant';
import type { Ticket } from '$lib/domain/ticket';
import type { TokenService } from '../auth/tokens';
import type { Config } from '../config';
import type { StoredDossier } from '../dossiers/dossier-import';
import type { Storage, StoredDoc } from '../storage/storage';
import type { SyncStores } from '../storage/sync-stores';
import { createStreamLimits } from '../sync/stream.service';
import { createDossierFigures } from './dossier-figures';
import { createFiguresFeed } from './figures-feed';
import { iocRoutes } from './ioc.routes';
import { createReportFigures } from './report-figures';
import { createTicketFigures } from './ticket-figures';
import { createWarningCheck, createWarningList, type StoredWarning } from './warnings';
import { warningRoutes } from './warnings.routes';

/**
 * The operations centre (issue 15): figures of reports, queue tickets and dossiers, each kept from
 * its store's changes feed (figures-feed.ts), and the routes that answer from them.
 */
export function createIocFigures(deps: { stores: SyncStores; storage: Storage; tenant: TenantConfig; now: () => Date; onError: (err: unknown) => void }) {
	const calendar = deps.tenant.calendar ?? { utcOffset: '+00:00' };
	const common = { now: deps.now, onError: deps.onError };
	const reports = createFiguresFeed({ ...common, source: deps.stores.reports, create: () => createReportFigures(calendar) });
	const tickets = createFiguresFeed({ ...common, source: deps.storage.store<Ticket & StoredDoc>('tickets'), create: createTicketFigures });
	const dossiers = createFiguresFeed({ ...common, source: deps.storage.store<StoredDossier>('dossiers'), create: () => createDossierFigures(calendar) });
	const warnings = createFiguresFeed({ ...common, source: deps.storage.store<StoredWarning>('ioc-warnings'), create: () => createWarningList() });
	const feeds = [reports, tickets, dossiers, warnings];
	return {
		reports,
		tickets,
		dossiers,
		warnings,
		async start() {
			await Promise.all(feeds.map((f) => f.start()));
		},
		async ready() {
			await Promise.all(feeds.map((f) => f.ready()));
		},
		/** False while any figures are still being built from the database after a start. */
		complete: () => feeds.every((f) => f.complete()),
		/** Rebuilds every figure from scratch (an operator's command): what each holds and how long it took. */
		async rebuild() {
			const [r, t, d] = await Promise.all(feeds.map((f) => f.rebuild()));
			return { reports: r.count, tickets: t.count, dossiers: d.count, ms: Math.max(r.ms, t.ms, d.ms) };
		},
		/** The oldest of the three: figures are no fresher than their stalest part. */
		asOf: () => new Date(Math.min(...feeds.map((f) => f.asOf().getTime()))),
		onChange(listener: () => void): () => void {
			const offs = feeds.map((f) => f.onChange(listener));
			return () => offs.forEach((off) => off());
		},
		stop() {
			for (const f of feeds) f.stop();
		}
	};
}
export type IocFigures = ReturnType<typeof createIocFigures>;

export interface IocModule {
	figures: IocFigures;
	/** Follows the feeds and builds the figures (once the server listens). */
	start(): Promise<void>;
	stop(): void;
}

export async function setupIoc(
	app: FastifyInstance,
	deps: {
		config: Config;
		tenant: TenantConfig;
		stores: SyncStores;
		storage: Storage;
		tokens: TokenService;
		offices: () => readonly Office[];
		/** Web Push to these accounts' devices (staff who turned notices on). */
		notify?: (warnings: IocWarning[]) => Promise<void>;
		now?: () => Date;
	}
): Promise<IocModule> {
	const now = deps.now ?? (() => new Date());
	const figures = createIocFigures({ ...deps, now, onError: (err) => app.log.error({ err }, 'ioc: building the figures failed') });
	const limits = createStreamLimits({ perIdentity: deps.config.streamsPerIdentity, perAddress: deps.config.streamsPerAddress });
	await iocRoutes(app, { tokens: deps.tokens, tenant: deps.tenant, figures, offices: deps.offices, limits, now });

	const store = deps.storage.store<StoredWarning>('ioc-warnings');
	await warningRoutes(app, { tokens: deps.tokens, store, list: () => figures.warnings.index, now });
	const check = createWarningCheck({
		store,
		figures,
		rules: deps.tenant.ioc ?? DEFAULT_IOC_RULES,
		calendar: deps.tenant.calendar ?? { utcOffset: '+00:00' },
		offices: deps.offices,
		now,
		onRaised: (raised) => {
			app.log.info({ warnings: raised.map((w) => w.id) }, 'ioc: warnings raised');
			void deps.notify?.(raised).catch((err) => app.log.warn({ err }, 'ioc: warning notices failed'));
		}
	});
	let timer: NodeJS.Timeout | null = null;
	let checking: Promise<unknown> | null = null;
	return {
		figures,
		async start() {
			await figures.start();
			if (deps.config.iocWarningsMs > 0)
				timer = setInterval(() => {
					// One check at a time: a slow one is not stacked on.
					checking ??= check.check().catch((err) => app.log.error({ err }, 'ioc: warning check failed')).finally(() => (checking = null));
				}, deps.config.iocWarningsMs);
		},
		stop() {
			if (timer) clearInterval(timer);
			figures.stop();
		}
	};
}
