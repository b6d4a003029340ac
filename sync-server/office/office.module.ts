import type { FastifyInstance } from 'fastify';
import type { TenantConfig } from '$lib/domain/tenant';
import type { TokenService } from '../auth/tokens';
import type { Config } from '../config';
import { heartbeatFor } from '../http/connections';
import { createStreamLimits, HEARTBEAT_MS } from '../sync/stream.service';
import type { SmsSender } from '../otp/sms';
import { createBoardStreams } from './board-stream';
import { createTurnNotices } from './turn-notices';
import type { Storage } from '../storage/storage';
import { createCounterService } from './counter.service';
import { createOfficeQueue } from './office-queue';
import type { OfficeSettings } from './office-settings';
import { officeRoutes } from './office.routes';
import { officeSettingsRoutes } from './office-settings.routes';
import { createTicketTake } from './ticket-take.service';
import { createTicketViews } from './ticket-view.service';

export interface OfficeModule {
	/** Ends the live following of the tickets' changes (closing). */
	close(): void;
}

/**
 * The one-stop office: queue tickets, counters and the board. A tenant without an `office` section
 * (or without a calendar to open it by) has none of its routes: the app says so instead.
 */
export async function setupOffice(
	app: FastifyInstance,
	deps: {
		config: Config;
		tenant: TenantConfig;
		/** The offices now (an admin's saved version, else the tenant folder's): office-settings.ts. */
		settings: OfficeSettings;
		storage: Storage;
		tokens: TokenService;
		/** The SmsSender and the Web Push delivery the turn notices go through. */
		sms: SmsSender;
		push: (recipients: string[], payload: object, urgency: 'high' | 'normal') => Promise<void>;
		now?: () => Date;
	}
): Promise<OfficeModule> {
	const { tenant, storage, now, settings } = deps;
	if (!settings.current() || !tenant.calendar) return { close() {} };
	const office = () => settings.current()!;
	const take = createTicketTake({ tenant, settings, storage, couchdbNodes: deps.config.couchdbNodes, now });
	const queue = createOfficeQueue({ tenant, settings, storage, numbers: take.numbers, now });
	const counters = createCounterService({ storage, queue, calendar: tenant.calendar, tenantId: tenant.id, now });
	const views = createTicketViews({ office, calendar: tenant.calendar, queue, counters, take, tenantId: tenant.id, now });
	const streams = createBoardStreams({
		queue,
		board: views.board,
		limits: createStreamLimits({ perIdentity: deps.config.streamsPerAddress, perAddress: deps.config.streamsPerAddress }),
		heartbeatMs: heartbeatFor(deps.config.httpIdleTimeoutMs, HEARTBEAT_MS),
		onError: (err) => app.log.error({ err }, 'office board stream failed')
	});
	const notices = createTurnNotices({ office, queue, storage, sms: deps.sms, push: deps.push, log: app.log });
	app.addHook('onReady', async () => notices.start());
	app.addHook('preClose', async () => {
		streams.close();
		await notices.close();
	});
	await officeRoutes(app, { tokens: deps.tokens, ticketRateLimit: deps.config.ticketRateLimit, take, queue, counters, views, streams, calendar: tenant.calendar, now: now ?? (() => new Date()) });
	await officeSettingsRoutes(app, { tokens: deps.tokens, settings, queue, tenant, now: now ?? (() => new Date()) });
	return { close: () => queue.close() };
}
