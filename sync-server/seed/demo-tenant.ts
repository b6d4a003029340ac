import type { StaffRole } from '$lib/domain/principal';
import type { TenantConfig } from '$lib/domain/tenant';
import { hashPassword, type UserDoc } from '../auth/accounts.service';
import { DEFAULT_TENANT_DIR } from '../config';
import type { Store, Versioned } from '../storage/storage';
import { loadTenant, type LoadedTenant } from '../tenant/tenant-loader';

/**
 * The demo seed: the accounts a tenant folder lists in tenant.json `demoAccounts` (data/tenants/<id>),
 * all with one well-known password, so a fresh install can be tried at once. Real deployments list
 * none and create their accounts themselves.
 */
export const DEMO_PASSWORD = 'demo1234';

/** The configuration of the tenant shipped as the default (TENANT_DIR unset): tests and benchmarks use it. */
export async function buildDemoTenant(dir = DEFAULT_TENANT_DIR): Promise<TenantConfig> {
	return (await loadTenant(dir)).config;
}

export interface DemoAccount {
	username: string;
	password: string;
	role: StaffRole;
	unitIds: string[];
	name: string;
	unitHead?: true;
}

/** The accounts tenant.json asks the seed to create, with the demo password. */
export function demoAccounts(tenant: Pick<LoadedTenant, 'demoAccounts'>): DemoAccount[] {
	return tenant.demoAccounts.map((a) => ({ ...a, password: DEMO_PASSWORD }));
}

// Not a valid username (has a colon), so it can never be logged into.
const SEED_MARKER = 'seed:demo-tenant';

interface SeedMarker {
	id: string;
	seededAt: string;
	/** The accounts the seed has created so far (absent in markers written before it was recorded). */
	usernames?: string[];
}

/**
 * Creates the demo accounts: all of them on the first start, and later only accounts added to the
 * seed since (e.g. the volunteers, for a DATA_DIR seeded before they existed). A marker document
 * records what the seed created; accounts are created, never overwritten (a changed password stays
 * changed). Returns whether any account was created.
 */
export async function seedDemoAccounts(
	users: Store<UserDoc>,
	tenant: { config: Pick<TenantConfig, 'id'>; demoAccounts: LoadedTenant['demoAccounts'] }
): Promise<boolean> {
	const markerRow = (await users.getMany([SEED_MARKER])).get(SEED_MARKER) as Versioned<SeedMarker> | undefined;
	const recorded = new Set(markerRow?.doc.usernames ?? []);
	const candidates = demoAccounts(tenant).filter((a) => !recorded.has(a.username));
	if (markerRow && !candidates.length) return false;
	// A marker from before usernames were recorded: skip accounts that exist (whatever their password).
	const existing = markerRow ? await users.getMany(candidates.map((a) => a.username)) : new Map();
	const accounts = candidates.filter((a) => !existing.has(a.username));
	const docs: UserDoc[] = await Promise.all(
		accounts.map(async (a) => ({
			id: a.username,
			username: a.username,
			passwordHash: await hashPassword(a.password),
			role: a.role,
			tenantId: tenant.config.id,
			unitIds: a.unitIds,
			name: a.name,
			...(a.unitHead ? { unitHead: true as const } : {})
		}))
	);
	// Create-only: an account another instance created meanwhile stays as it is.
	await users.bulkPut(docs.map((doc) => ({ doc, rev: null })));
	const marker: SeedMarker = {
		id: SEED_MARKER,
		seededAt: markerRow?.doc.seededAt ?? new Date().toISOString(),
		usernames: [...recorded, ...candidates.map((a) => a.username)]
	};
	await users.bulkPut([{ doc: marker as unknown as UserDoc, rev: markerRow?.rev ?? null }]);
	return docs.length > 0;
}
