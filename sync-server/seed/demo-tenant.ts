import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { TenantConfig, type Category, type RoutingRule, type Unit } from '../../src/lib/domain/tenant';
import type { BoundaryCollection } from '../../src/lib/domain/geo';
import { hashPassword, type StaffRole, type UserDoc } from '../auth/accounts.service';
import type { Store, Versioned } from '../storage/storage';

/**
 * The demo tenant: Lâm Đồng province after the 2025 reorganisation, with Đà Lạt's five wards and
 * the specialist units its field reports went to. Units, routing and accounts are plausible, not
 * official (data/SOURCES.md). Everything else comes from the files in data/.
 */
export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));
export const BOUNDARIES_FILE = path.join(DATA_DIR, 'lamdong-wards-2025.geojson');
export const DEMO_PASSWORD = 'demo1234';

const CATEGORY_ICONS: Record<string, string> = {
	'construction-order': '🏗️',
	'urban-order': '🚧',
	environment: '🗑️',
	'traffic-security': '🚦',
	'culture-tourism': '🎭',
	'food-safety': '🍲',
	'forest-protection': '🌲',
	'market-prices': '🏷️',
	'urban-infrastructure': '💡',
	'public-service': '🏛️'
};

const WARD_UNITS: { code: string; slug: string; vi: string; en: string }[] = [
	{ code: '24778', slug: 'lam-vien', vi: 'Lâm Viên', en: 'Lam Vien' },
	{ code: '24781', slug: 'xuan-huong', vi: 'Xuân Hương', en: 'Xuan Huong' },
	{ code: '24787', slug: 'cam-ly', vi: 'Cam Ly', en: 'Cam Ly' },
	{ code: '24805', slug: 'xuan-truong', vi: 'Xuân Trường', en: 'Xuan Truong' },
	{ code: '24846', slug: 'lang-biang', vi: 'Lang Biang', en: 'Lang Biang' }
];

export const FALLBACK_UNIT_ID = 'ubnd-tinh';

const SPECIALIST_UNITS: Unit[] = [
	{ id: 'urban-management', nameVi: 'Quản lý đô thị', nameEn: 'Urban Management' },
	{ id: 'natural-resources-environment', nameVi: 'Tài nguyên và Môi trường', nameEn: 'Natural Resources and Environment' },
	{ id: 'police', nameVi: 'Công an', nameEn: 'Police' },
	{ id: 'culture', nameVi: 'Văn hóa, Thể thao và Du lịch', nameEn: 'Culture, Sports and Tourism' },
	{ id: 'forest-rangers', nameVi: 'Kiểm lâm', nameEn: 'Forest Rangers' },
	{ id: 'food-safety', nameVi: 'An toàn thực phẩm', nameEn: 'Food Safety' },
	{ id: 'market-management', nameVi: 'Quản lý thị trường', nameEn: 'Market Management' },
	{
		id: FALLBACK_UNIT_ID,
		nameVi: 'Ban Tiếp công dân tỉnh (UBND tỉnh Lâm Đồng)',
		nameEn: 'Provincial Citizen Reception Office (Lam Dong People’s Committee)'
	}
];

/** The specialist unit(s) of each category; the ward's own committee is added to every category. */
const CATEGORY_UNITS: Record<string, string[]> = {
	'construction-order': ['urban-management'],
	'urban-order': ['urban-management'],
	'urban-infrastructure': ['urban-management'],
	environment: ['natural-resources-environment'],
	'traffic-security': ['police'],
	'culture-tourism': ['culture'],
	'food-safety': ['food-safety'],
	'forest-protection': ['forest-rangers'],
	'market-prices': ['market-management'],
	'public-service': [FALLBACK_UNIT_ID]
};

/** RFC 4180-ish: quoted fields may hold commas and doubled quotes. */
export function parseCsv(text: string): Record<string, string>[] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
			else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') row.push(field), (field = '');
		else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			row.push(field), rows.push(row), (row = []), (field = '');
		} else field += c;
	}
	if (field || row.length) row.push(field), rows.push(row);
	const [header, ...body] = rows.filter((r) => r.some((f) => f !== ''));
	return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

export async function buildDemoTenant(dataDir = DATA_DIR): Promise<TenantConfig> {
	const [unitsCsv, categoriesCsv, boundariesJson] = await Promise.all([
		readFile(path.join(dataDir, 'lamdong-units-2025.csv'), 'utf8'),
		readFile(path.join(dataDir, 'report-categories.csv'), 'utf8'),
		readFile(path.join(dataDir, 'lamdong-wards-2025.geojson'), 'utf8')
	]);
	const boundaries = JSON.parse(boundariesJson) as BoundaryCollection;
	const nameEnByCode = new Map(boundaries.features.map((f) => [f.properties.code, f.properties.nameEn ?? '']));

	const adminUnits = parseCsv(unitsCsv).map((r) => ({
		code: r.code,
		codeSet: '2025',
		name: r.name,
		nameEn: nameEnByCode.get(r.code) || r.name,
		type: r.type
	}));

	const categories: Category[] = parseCsv(categoriesCsv).map((r) => ({
		code: r.code,
		nameVi: r.name_vi,
		nameEn: r.name_en,
		icon: CATEGORY_ICONS[r.code] ?? '📌'
	}));

	const wardUnits: Unit[] = WARD_UNITS.map((w) => ({
		id: `ubnd-${w.slug}`,
		nameVi: `UBND phường ${w.vi}`,
		nameEn: `${w.en} Ward People’s Committee`,
		wardCodes: [w.code]
	}));

	const routingRules: RoutingRule[] = [
		{ categories: '*', wards: '*', unitIds: ['$ward'] },
		...categories
			.filter((c) => CATEGORY_UNITS[c.code])
			.map((c) => ({ categories: [c.code], wards: '*' as const, unitIds: CATEGORY_UNITS[c.code] }))
	];

	return TenantConfig.parse({
		id: 'lam-dong',
		nameVi: 'Lâm Đồng',
		nameEn: 'Lam Dong',
		codeSet: '2025',
		trackingPrefix: 'LD',
		adminUnits,
		categories,
		units: [...wardUnits, ...SPECIALIST_UNITS],
		routingRules,
		fallbackUnitIds: [FALLBACK_UNIT_ID],
		// Đà Lạt's published expectation: on site within 2 hours, report back within 6.
		sla: { default: { onSite: 2, report: 6 }, byCategory: {} },
		center: { lat: 11.9404, lng: 108.4583, zoom: 13 }
	});
}

export interface DemoAccount {
	username: string;
	password: string;
	role: StaffRole;
	unitIds: string[];
	name: string;
}

/**
 * Community digital-tech teams (Tổ công nghệ số cộng đồng) of the demo: they file reports for
 * villagers (/volunteer), with the villager's consent. No unit: they read only what they filed.
 */
export const DEMO_VOLUNTEERS: { username: string; name: string }[] = [
	{ username: 'tcns-lang-biang', name: 'Tổ CNS Lạc Dương' },
	{ username: 'tcns-xuan-truong', name: 'Tổ CNS Xuân Trường' }
];

/** One handler per unit (username = unit id), a leader over every unit, an admin, and the volunteers. */
export function demoAccounts(config: TenantConfig): DemoAccount[] {
	return [
		...config.units.map((u) => ({
			username: u.id,
			password: DEMO_PASSWORD,
			role: 'handler' as const,
			unitIds: [u.id],
			name: `Cán bộ ${u.nameVi}`
		})),
		{
			username: 'lanhdao',
			password: DEMO_PASSWORD,
			role: 'leader',
			unitIds: config.units.map((u) => u.id),
			name: 'Lãnh đạo tỉnh'
		},
		{ username: 'admin', password: DEMO_PASSWORD, role: 'admin', unitIds: [], name: 'Quản trị hệ thống' },
		...DEMO_VOLUNTEERS.map((v) => ({ ...v, password: DEMO_PASSWORD, role: 'volunteer' as const, unitIds: [] }))
	];
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
export async function seedDemoAccounts(users: Store<UserDoc>, config: TenantConfig): Promise<boolean> {
	const markerRow = (await users.getMany([SEED_MARKER])).get(SEED_MARKER) as Versioned<SeedMarker> | undefined;
	const recorded = new Set(markerRow?.doc.usernames ?? []);
	const candidates = demoAccounts(config).filter((a) => !recorded.has(a.username));
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
			tenantId: config.id,
			unitIds: a.unitIds,
			name: a.name
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
