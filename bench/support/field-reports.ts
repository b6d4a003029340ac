/**
 * A province's worth of field reports, written straight into the server's stores (as a server that
 * has been running for a year would hold them): each report as the server stores it after intake
 * (~645 bytes as JSON), routed by the demo tenant's rules, with 3 events (received, assigned, and a
 * handler's seen or progress note) and the reporter's contact. Ids are UUIDv7 over one year, in
 * order. `inScope` of them are filed in Lâm Viên ward, so the ward committee's handler
 * (`ubnd-lam-vien`) owns that many; the rest are spread over the tenant's other wards and communes.
 * Deterministic (a seeded PRNG), so two runs store the same shapes.
 */
import type { Contact } from '$lib/domain/contact';
import type { ReportEvent } from '$lib/domain/event';
import type { Report } from '$lib/domain/report';
import { routeReport } from '$lib/domain/routing';
import type { TenantConfig } from '$lib/domain/tenant';
import { uuidv7 } from '$lib/domain/uuid';
import { derivedId } from '../../sync-server/reports/derived-ids';
import type { Storage, Store, StoredDoc } from '../../sync-server/storage/storage';
import { prng } from '../../tests/support/prng';

export const HANDLER_WARD = '24778';
export const HANDLER_USERNAME = 'ubnd-lam-vien';
const YEAR_MS = 365 * 86_400_000;
const BATCH = 2_000;


const STREETS = ['Phan Đình Phùng', 'Trần Hưng Đạo', 'Nguyễn Văn Cừ', 'Hai Bà Trưng', 'Bùi Thị Xuân', 'Yersin', 'Ba Tháng Hai', 'Hoàng Văn Thụ'];
const WHAT = [
	'Rác thải đổ trộm bên lề đường, bốc mùi',
	'Lấn chiếm vỉa hè để kinh doanh',
	'Công trình không che chắn, vật liệu rơi ra đường',
	'Đèn chiếu sáng hư hỏng nhiều ngày',
	'Cống thoát nước bị tắc, ngập khi mưa'
];
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const NAMES = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung', 'Hoàng Văn Em', 'K’ Brỏi', 'Ha Sen'];

export interface Generated {
	reports: number;
	events: number;
	contacts: number;
	inScope: number;
	/** Mean JSON bytes of a stored report (what a pull sends per report). */
	meanReportBytes: number;
	seconds: number;
}

export async function generateFieldReports(storage: Storage, config: TenantConfig, n: number, inScope: number, seed = 7): Promise<Generated> {
	const rand = prng(seed);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
	const weights = [593, 435, 326, 229, 108, 28, 20, 11, 60, 60];
	const categories = config.categories.map((c) => c.code);
	const totalWeight = weights.slice(0, categories.length).reduce((a, b) => a + b, 0);
	const category = () => {
		let x = rand() * totalWeight;
		for (let i = 0; i < categories.length; i++) if ((x -= weights[i] ?? 0) < 0) return categories[i];
		return categories[0];
	};
	const otherWards = config.adminUnits.map((u) => u.code).filter((c) => c !== HANDLER_WARD);
	const authors = Array.from({ length: Math.max(1, Math.floor(n / 3)) }, (_, i) => `device:${(i * 2654435761).toString(16).padStart(8, '0')}-bench`);
	const stores = {
		reports: storage.store<Report>('reports'),
		events: storage.store<ReportEvent>('events'),
		contacts: storage.store<Contact>('contacts')
	};
	const t0 = Date.now() - YEAR_MS;
	const started = performance.now();
	let reportBytes = 0;
	let events = 0;

	for (let from = 0; from < n; from += BATCH) {
		const reports: Report[] = [];
		const evs: ReportEvent[] = [];
		const contacts: Contact[] = [];
		for (let i = from; i < Math.min(n, from + BATCH); i++) {
			const t = t0 + Math.floor((i * YEAR_MS) / n);
			const at = new Date(t).toISOString();
			const mine = Math.floor(((i + 1) * inScope) / n) > Math.floor((i * inScope) / n);
			const wardCode = mine ? HANDLER_WARD : pick(otherWards);
			const categoryCode = category();
			const units = routeReport(config, { categoryCode, wardCode });
			const roll = rand();
			const status = roll < 0.8 ? 'resolved' : roll < 0.9 ? 'in_progress' : roll < 0.97 ? 'assigned' : 'invalid';
			const id = uuidv7(t);
			const authorId = pick(authors);
			const report: Report = {
				id,
				tenantId: config.id,
				authorId,
				categoryCode,
				description: `${pick(WHAT)}, ${pick(STREETS)} số ${1 + Math.floor(rand() * 300)}.`,
				location: { source: 'gps', lat: round6(11.9 + rand() * 0.1), lng: round6(108.4 + rand() * 0.1), accuracyM: 5 + Math.floor(rand() * 40) },
				wardCode,
				wardCodeSet: '2025',
				photoIds: rand() < 0.6 ? [uuidv7(t)] : [],
				createdAt: at,
				trackingCode: `LD-${at.slice(2, 4)}${at.slice(5, 7)}${at.slice(8, 10)}-${(i % 100_000).toString().padStart(5, '0')}`,
				receivedAt: at,
				status,
				assignedUnitIds: units,
				dueAt: new Date(t + 6 * 3_600_000).toISOString(),
				seenByUnitIds: status === 'assigned' ? [] : units.slice(0, 1),
				updatedAt: new Date(t + 3 * 3_600_000).toISOString(),
				_deleted: false
			};
			reports.push(report);
			reportBytes += Buffer.byteLength(JSON.stringify(report));
			const system = { reportId: id, tenantId: config.id, actorId: 'system', actorRole: 'system' as const, at, serverAt: at, _deleted: false };
			evs.push(
				{ ...system, id: derivedId(id, 'received'), type: 'received' },
				{ ...system, id: derivedId(id, 'assigned'), type: 'assigned', unitIds: units }
			);
			const later = new Date(t + 3_600_000).toISOString();
			const handler = { reportId: id, tenantId: config.id, actorId: `staff:${units[0]}`, actorRole: 'handler' as const, unitId: units[0], at: later, serverAt: later, _deleted: false };
			evs.push(
				status === 'assigned'
					? { ...handler, id: uuidv7(t + 3_600_000), type: 'seen' }
					: { ...handler, id: uuidv7(t + 3_600_000), type: 'progress', note: 'Đã cử cán bộ xuống hiện trường kiểm tra, xử lý.' }
			);
			contacts.push({
				id: uuidv7(t),
				reportId: id,
				tenantId: config.id,
				authorId,
				name: pick(NAMES),
				phone: `09${Math.floor(rand() * 1e8).toString().padStart(8, '0')}`,
				_deleted: false
			});
		}
		events += evs.length;
		await Promise.all([write(stores.reports, reports), write(stores.events, evs), write(stores.contacts, contacts)]);
	}
	return { reports: n, events, contacts: n, inScope, meanReportBytes: reportBytes / n, seconds: (performance.now() - started) / 1000 };
}

async function write<T extends StoredDoc>(store: Store<T>, docs: T[]) {
	const res = await store.bulkPut(docs.map((doc) => ({ doc, rev: null })));
	const failed = res.find((r) => !r.ok);
	if (failed && !failed.ok) throw new Error(`bench data: ${store.name}/${failed.id}: ${failed.error}`);
}
