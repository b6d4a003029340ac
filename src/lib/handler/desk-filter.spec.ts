import { describe, expect, it } from 'vitest';
import type { Report } from '../domain/report';
import { wardReport } from '../../../tests/support/fixed-documents';
import { DEFAULT_DESK_FILTER, deskView, isReopened, matchesQuery, readDeskFilter, writeDeskFilter, type DeskFilter } from './desk-filter';

const report = (id: string, extra: Partial<Report> = {}): Report =>
	wardReport(id, '2026-11-24T15:30:00.000Z', {
		dueAt: '2026-11-24T21:30:00.000Z',
		trackingCode: `LD-261124-${id.toUpperCase().padEnd(5, '0').slice(0, 5)}`,
		...extra
	});

const filter = (f: Partial<DeskFilter>): DeskFilter => ({ ...DEFAULT_DESK_FILTER, ...f });
const ids = (rs: Report[]) => rs.map((r) => r.id);
/** Ward names as the page gives them (both languages), by ward code. */
const WARDS: Record<string, string> = { '24778': 'Phường Lâm Viên - Đà Lạt Lam Vien Ward', '24781': 'Phường Xuân Hương - Đà Lạt' };
const words = (r: Report) => WARDS[r.wardCode] ?? '';

describe('the default view', () => {
	const all = [
		report('open1'),
		report('done1', { status: 'resolved' }),
		report('bad1', { status: 'invalid' }),
		report('gone1', { status: 'withdrawn' }),
		report('again', { status: 'reopened' }),
		report('work1', { status: 'in_progress' })
	];

	it('leaves closed reports (resolved, invalid, withdrawn) out', () => {
		expect(ids(deskView(all, DEFAULT_DESK_FILTER)).sort()).toEqual(['again', 'open1', 'work1']);
	});
	it('keeps a closed report on which the official has a step not stored, or refused and not read', () => {
		const keepIds = new Set(['bad1']);
		expect(ids(deskView(all, DEFAULT_DESK_FILTER, { keepIds })).sort()).toEqual(['again', 'bad1', 'open1', 'work1']);
		// The other filters still apply.
		expect(deskView(all, filter({ category: 'food-safety' }), { keepIds })).toEqual([]);
	});
	it('shows them with the "closed" or "all" status filter, or a status of their own', () => {
		expect(ids(deskView(all, filter({ status: 'closed' }))).sort()).toEqual(['bad1', 'done1', 'gone1']);
		expect(deskView(all, filter({ status: 'all' }))).toHaveLength(6);
		expect(ids(deskView(all, filter({ status: 'withdrawn' })))).toEqual(['gone1']);
	});
});

describe('filters', () => {
	const all = [
		report('env', { categoryCode: 'environment', assignedUnitIds: ['natural-resources-environment', 'ubnd-lam-vien'] }),
		report('food', { categoryCode: 'food-safety', assignedUnitIds: ['ubnd-xuan-huong'] }),
		report('late', { overdueAt: '2026-11-24T21:31:00.000Z' }),
		report('lateDone', { status: 'resolved', overdueAt: '2026-11-24T21:31:00.000Z' }),
		report('reop', { status: 'in_progress' })
	];
	const reopenedIds = new Set(['reop', 'lateDone']);

	it('by category', () => {
		expect(ids(deskView(all, filter({ category: 'food-safety' })))).toEqual(['food']);
	});
	it('by unit: the reports assigned to it', () => {
		expect(ids(deskView(all, filter({ unit: 'ubnd-xuan-huong' })))).toEqual(['food']);
		expect(ids(deskView(all, filter({ unit: 'natural-resources-environment' })))).toEqual(['env']);
	});
	it('overdue: what the server flagged, open ones only', () => {
		expect(ids(deskView(all, filter({ overdue: true })))).toEqual(['late']);
		expect(ids(deskView(all, filter({ overdue: true, status: 'all' })))).toEqual(['late']);
	});
	it('reopened: open reports reopened at least once, even after a handler took them up again', () => {
		expect(ids(deskView(all, filter({ reopened: true }), { reopenedIds })).sort()).toEqual(['reop']);
		expect(isReopened(report('x', { status: 'reopened' }), new Set())).toBe(true);
		expect(isReopened(report('x', { status: 'resolved' }), new Set(['x']))).toBe(false);
	});
	it('several filters together narrow the list', () => {
		expect(ids(deskView(all, filter({ category: 'environment', overdue: true })))).toEqual(['late']);
		expect(deskView(all, filter({ category: 'food-safety', overdue: true }))).toEqual([]);
	});
});

describe('search', () => {
	const r = report('abc12', {
		trackingCode: 'LD-261124-6FGD8',
		description: 'Rác đổ trộm bên đường Phan Đình Phùng',
		wardCode: '24781'
	});

	it('finds a tracking code typed in lower case, with spaces or without dashes', () => {
		for (const q of ['ld-261124-6fgd8', 'LD 261124 6FGD8', 'ld2611246fgd8', '6fgd8']) expect(matchesQuery(r, q, words), q).toBe(true);
		expect(matchesQuery(r, 'ld-261124-6fgd9', words)).toBe(false);
	});
	it('finds words of the description without tone marks, in any order', () => {
		expect(matchesQuery(r, 'duong phan dinh phung', words)).toBe(true);
		expect(matchesQuery(r, 'TRỘM rác', words)).toBe(true);
		expect(matchesQuery(r, 'rac nuoc', words)).toBe(false);
	});
	it('finds the ward by name, with or without marks', () => {
		expect(matchesQuery(r, 'xuan huong', words)).toBe(true);
		expect(matchesQuery(r, 'Lâm Viên', words)).toBe(false);
	});
	it('an empty query keeps every report', () => {
		expect(matchesQuery(r, '   ', words)).toBe(true);
	});
	it('deskView applies it next to the filters', () => {
		const other = report('zzz99', { description: 'Đèn đường hỏng' });
		expect(ids(deskView([r, other], filter({ q: 'den duong' }), { words }))).toEqual(['zzz99']);
	});
});

describe('sort', () => {
	const a = report('a', { receivedAt: '2026-11-24T08:00:00.000Z', dueAt: '2026-11-24T20:00:00.000Z' });
	const b = report('b', { receivedAt: '2026-11-24T09:00:00.000Z', dueAt: '2026-11-24T12:00:00.000Z' });
	const c = report('c', { receivedAt: '2026-11-24T10:00:00.000Z', dueAt: '2026-11-24T16:00:00.000Z' });
	const closed = report('d', { receivedAt: '2026-11-24T07:00:00.000Z', dueAt: '2026-11-24T09:00:00.000Z', status: 'resolved' });
	const all = [a, b, c, closed];

	it('newest first by default, oldest first on demand', () => {
		expect(ids(deskView(all, filter({ status: 'all' })))).toEqual(['c', 'b', 'a', 'd']);
		expect(ids(deskView(all, filter({ status: 'all', sort: 'oldest' })))).toEqual(['d', 'a', 'b', 'c']);
	});
	it('due soonest: open reports by due time, closed ones (no due time any more) last', () => {
		expect(ids(deskView(all, filter({ status: 'all', sort: 'due' })))).toEqual(['b', 'c', 'a', 'd']);
	});
	it('does not reorder the array it was given', () => {
		deskView(all, filter({ sort: 'oldest' }));
		expect(ids(all)).toEqual(['a', 'b', 'c', 'd']);
	});
});

describe('the address keeps the filters (a reload finds them)', () => {
	it('writes only what differs from the default and keeps other parameters', () => {
		const params = writeDeskFilter(filter({ q: 'rác', category: 'environment', overdue: true, sort: 'due' }), new URLSearchParams('report=r1'));
		expect(params.get('report')).toBe('r1');
		expect(Object.fromEntries(params)).toEqual({ report: 'r1', q: 'rác', category: 'environment', overdue: '1', sort: 'due' });
		expect(writeDeskFilter(DEFAULT_DESK_FILTER, new URLSearchParams('q=x&status=all')).toString()).toBe('');
	});
	it('reads back what it wrote', () => {
		const f = filter({ q: 'đèn', status: 'closed', unit: 'police', reopened: true, sort: 'oldest' });
		expect(readDeskFilter(writeDeskFilter(f, new URLSearchParams()))).toEqual(f);
	});
	it('falls back to the default on values it does not know', () => {
		expect(readDeskFilter(new URLSearchParams('status=lost&sort=random&overdue=yes'))).toEqual(DEFAULT_DESK_FILTER);
	});
});
