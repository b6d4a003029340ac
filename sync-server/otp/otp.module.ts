import type { FastifyInstance } from 'fastify';
import type { AccountsService } from '../auth/accounts.service';
import type { TokenService } from '../auth/tokens';
import type { Config } from '../config';
import type { Storage } from '../storage/storage';
import type { SyncStores } from '../storage/sync-stores';
import { otpRoutes } from './otp.routes';
import { createPersonLinks, type LinkBucket, type PersonDoc, type PersonLinks } from './person-links.service';
import type { SmsSender } from './sms';

export interface OtpModule {
	/** People by phone and the index that finds their reports; pushes feed it (`afterPush`). */
	links: PersonLinks;
	/** The text-message sender (the development adapter unless a gateway is plugged): other notices use it too. */
	sms: SmsSender;
}

/** Phone verification: a resident proves a phone with a one-time code and gets the reports filed with it. */
export async function setupOtp(
	app: FastifyInstance,
	deps: {
		config: Config;
		tenantId: string;
		/** The tenant's signing key: one-time codes are hashed with it. */
		secret: string;
		storage: Storage;
		stores: SyncStores;
		tokens: TokenService;
		accounts: AccountsService;
		sms?: SmsSender;
		now?: () => Date;
	}
): Promise<OtpModule> {
	const { storage, now } = deps;
	const links = createPersonLinks({
		reports: deps.stores.reports,
		contacts: deps.stores.contacts,
		people: storage.store<PersonDoc>('people'),
		index: storage.store<LinkBucket>('link-index'),
		now
	});
	const { sms } = await otpRoutes(app, {
		tenantId: deps.tenantId,
		tokens: deps.tokens,
		storage,
		tokenSecret: deps.secret,
		links,
		accounts: deps.accounts,
		testEndpoint: deps.config.otpTestEndpoint,
		ipLimitPerHour: deps.config.otpIpLimit,
		sms: deps.sms,
		now
	});
	return { links, sms };
}
