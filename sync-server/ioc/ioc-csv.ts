import type { DayRange, DossierFigures, IocAnswer, IocTable, OfficeFigures, ReportFigures } from '$lib/domain/ioc';
import type { Office } from '$lib/domain/office';
import type { TenantConfig } from '$lib/domain/tenant';
import type { FigureFilter, ReportFiguresIndex } from './report-figures';

/**
 * The operations centre's tables as CSV (RFC 4180, CRLF), for Excel: UTF-8 with a BOM (written by
 * the route), headers in Vietnamese and English, names rather than codes. Every table is a
 * generator of lines, written with the socket's back-pressure: a year of a province's reports (a
 * million rows) streams from the first row without being held in memory.
 */

const FIGURE_COLUMNS: [string, (f: ReportFigures) => number | string][] = [
	['Tiếp nhận / Received', (f) => f.received],
	['Đang mở / Open', (f) => f.open],
	['Đang xử lý / In progress', (f) => f.inProgress],
	['Quá hạn / Overdue', (f) => f.overdue],
	['Đã xử lý / Resolved', (f) => f.resolved],
	['Đúng hạn / On time', (f) => f.onTime],
	['Không hợp lệ / Invalid', (f) => f.invalid],
	['Rút lại / Withdrawn', (f) => f.withdrawn],
	['Mở lại / Reopened', (f) => f.reopened],
	['Phản hồi đầu p50 (giờ) / First response p50 (h)', (f) => hours(f.firstResponse.p50Ms)],
	['Phản hồi đầu p90 (giờ) / First response p90 (h)', (f) => hours(f.firstResponse.p90Ms)],
	['Giải quyết p50 (giờ) / Resolution p50 (h)', (f) => hours(f.resolution.p50Ms)],
	['Giải quyết p90 (giờ) / Resolution p90 (h)', (f) => hours(f.resolution.p90Ms)],
	['Hài lòng / Satisfied', (f) => f.satisfied],
	['Đã đánh giá / Rated', (f) => f.rated]
];
const hours = (ms: number | null) => (ms === null ? '' : (ms / 3_600_000).toFixed(1));

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
export function csvField(v: string | number): string {
	const s = String(v);
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const line = (fields: (string | number)[]) => fields.map(csvField).join(',') + '\r\n';

const OFFICE_COLUMNS: [string, (f: OfficeFigures) => number | string][] = [
	['Lấy số / Taken', (f) => f.taken],
	['Trực tuyến / Online', (f) => f.online],
	['Tại quầy, kiosk / At the office', (f) => f.atOffice],
	['Đã phục vụ / Served', (f) => f.served],
	['Vắng mặt / No-show', (f) => f.noShow],
	['Huỷ / Cancelled', (f) => f.cancelled],
	['Đang chờ / Waiting', (f) => f.waiting],
	['Chờ p50 (phút) / Wait p50 (min)', (f) => minutes(f.wait.p50Ms)],
	['Chờ p90 (phút) / Wait p90 (min)', (f) => minutes(f.wait.p90Ms)],
	['Rất hài lòng / Very satisfied', (f) => f.verySatisfied],
	['Hài lòng / Satisfied', (f) => f.satisfied],
	['Không hài lòng / Unsatisfied', (f) => f.unsatisfied]
];
const DOSSIER_COLUMNS: [string, (f: DossierFigures) => number | string][] = [
	['Tiếp nhận / Received', (f) => f.received],
	['Đã giải quyết / Finished', (f) => f.finished],
	['Đúng hạn / On time', (f) => f.onTime],
	['Trễ hạn / Late', (f) => f.late],
	['Quá hạn chưa xong / Overdue', (f) => f.overdue],
	['Thời gian p50 (ngày) / Processing p50 (days)', (f) => days(f.processing.p50Ms)],
	['Thời gian p90 (ngày) / Processing p90 (days)', (f) => days(f.processing.p90Ms)]
];
const minutes = (ms: number | null) => (ms === null ? '' : (ms / 60_000).toFixed(1));
const days = (ms: number | null) => (ms === null ? '' : (ms / 86_400_000).toFixed(1));

function* table<F>(label: string, columns: [string, (f: F) => number | string][], rows: { key: string; figures: F }[], name: (key: string) => string, totals: F): Generator<string> {
	yield line([label, ...columns.map(([h]) => h)]);
	for (const row of rows) yield line([name(row.key), ...columns.map(([, f]) => f(row.figures))]);
	yield line(['Tổng / Total', ...columns.map(([, f]) => f(totals))]);
}

export function* csvLines(kind: IocTable, a: IocAnswer, tenant: TenantConfig, offices: readonly Office[]): Generator<string> {
	const categoryName = new Map(tenant.categories.map((c) => [c.code, c.nameVi]));
	const wardName = new Map(tenant.adminUnits.map((u) => [u.code, u.name]));
	const unitName = new Map(tenant.units.map((u) => [u.id, u.nameVi]));
	const officeName = new Map(offices.map((o) => [o.id, o.nameVi]));
	const counterName = new Map(offices.flatMap((o) => o.counters.map((c) => [`${o.id}/${c.id}`, `${o.nameVi} — quầy ${c.number}`] as const)));
	const of = (m: Map<string, string>) => (key: string) => m.get(key) ?? key;
	switch (kind) {
		case 'overdue':
			yield line(['Mã / Code', 'Lĩnh vực / Category', 'Phường, xã / Commune', 'Hạn / Due', 'Trễ (giờ) / Late (h)', 'Đơn vị / Units', 'Chưa xem / Not seen', 'Chưa xử lý / Not acted', 'Chưa trả lời / Unanswered']);
			for (const o of a.overdue)
				yield line([
					o.trackingCode ?? o.id,
					of(categoryName)(o.categoryCode),
					of(wardName)(o.wardCode),
					o.dueAt,
					hours(o.lateMs),
					o.assignedUnitIds.map(of(unitName)).join('; '),
					o.unseenUnitIds.map(of(unitName)).join('; '),
					o.idleUnitIds.map(of(unitName)).join('; '),
					o.unanswered ? 'x' : ''
				]);
			return;
		case 'categories':
			return yield* table('Lĩnh vực / Category', FIGURE_COLUMNS, a.byCategory, of(categoryName), a.totals);
		case 'wards':
			return yield* table('Phường, xã / Commune', FIGURE_COLUMNS, a.byWard, of(wardName), a.totals);
		case 'units':
			return yield* table('Đơn vị / Unit', FIGURE_COLUMNS, a.byUnit, of(unitName), a.totals);
		case 'offices':
			return yield* table('Bộ phận một cửa / Office', OFFICE_COLUMNS, a.office.byOffice, of(officeName), a.office.totals);
		case 'counters':
			return yield* table('Quầy / Counter', OFFICE_COLUMNS, a.office.byCounter, of(counterName), a.office.totals);
		case 'officials':
			return yield* table('Cán bộ / Official', OFFICE_COLUMNS, a.office.byOfficial, (k) => k, a.office.totals);
		case 'procedures':
			return yield* table('Thủ tục / Procedure', DOSSIER_COLUMNS, a.dossiers.byProcedure, (k) => k, a.dossiers.totals);
	}
}

const STATUS: [keyof ReportFigures & string, string][] = [
	['resolved', 'Đã xử lý / Resolved'],
	['invalid', 'Không hợp lệ / Invalid'],
	['withdrawn', 'Rút lại / Withdrawn'],
	['overdue', 'Quá hạn / Overdue'],
	['inProgress', 'Đang xử lý / In progress'],
	['open', 'Đang mở / Open']
];

/** One line per report of the period (reports table): no description, no author, nothing finer than the commune. */
export function* reportLines(index: ReportFiguresIndex, range: DayRange, filter: FigureFilter, tenant: TenantConfig): Generator<string> {
	const categoryName = new Map(tenant.categories.map((c) => [c.code, c.nameVi]));
	const wardName = new Map(tenant.adminUnits.map((u) => [u.code, u.name]));
	const unitName = new Map(tenant.units.map((u) => [u.id, u.nameVi]));
	yield line([
		'Mã phản ánh / Report id',
		'Ngày nhận / Received',
		'Phường, xã / Commune',
		'Lĩnh vực / Category',
		'Đơn vị / Units',
		'Tình trạng / Status',
		'Đúng hạn / On time',
		'Mở lại / Reopened',
		'Phản hồi đầu (giờ) / First response (h)',
		'Giải quyết (giờ) / Resolution (h)',
		'Hài lòng / Satisfied'
	]);
	for (const r of index.rows(range, filter)) {
		const c = r.counts as Partial<Record<string, 1>>;
		yield line([
			r.id,
			r.day,
			wardName.get(r.ward) ?? r.ward,
			categoryName.get(r.category) ?? r.category,
			r.units.map((u) => unitName.get(u) ?? u).join('; '),
			STATUS.find(([k]) => c[k])?.[1] ?? '',
			c.onTime ? 'x' : '',
			c.reopened ? 'x' : '',
			hours(r.durations.firstResponse ?? null),
			hours(r.durations.resolution ?? null),
			c.rated ? (c.satisfied ? 'x' : '-') : ''
		]);
	}
}
