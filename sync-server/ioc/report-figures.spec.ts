import { describe, expect, it } from 'vitest';
import { prng as rng } from '../../tests/support/prng';
import type { Report } from '$lib/domain/report';
import { createReportFigures } from './report-figures';

const CAL = { utcOffset: '+07:00' };
const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-02T01:00:00Z'); // 08:00 local


const iso = (ms: number) => new Date(ms).toISOString();

/** A report in a random state of its life, as the server derives it. */
function randomState(id: number, r: () => number): Report {
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
	const received = T0 + Math.floor(r() * 20) * 24 * HOUR + Math.floor(r() * 24 * HOUR);
	const status = pick(['received', 'assigned', 'in_progress', 'resolved', 'invalid', 'reopened', 'withdrawn', 'contested'] as const);
	const due = received + 48 * HOUR;
	const answered = r() < 0.7 ? received + r() * 60 * HOUR : undefined;
	const resolvedAt = status === 'resolved' ? received + r() * 96 * HOUR : undefined;
	return {
		id: `00000000-0000-7000-8000-${String(id).padStart(12, '0')}`,
		tenantId: 't',
		authorId: 'device:x',
		categoryCode: pick(['a', 'b', 'c']),
		description: '',
		location: { source: 'ward' },
		wardCode: pick(['10001', '10002', '10003', '10004']),
		wardCodeSet: '2025',
		photoIds: [],
		createdAt: iso(received),
		receivedAt: iso(received),
		status,
		assignedUnitIds: r() < 0.3 ? ['u1', 'u2'] : [pick(['u1', 'u2', 'u3'])],
		dueAt: iso(due),
		...(r() < 0.3 ? { overdueAt: iso(due + HOUR) } : {}),
		...(answered ? { firstResponseAt: iso(answered) } : {}),
		...(resolvedAt ? { resolvedAt: iso(resolvedAt) } : {}),
		...(r() < 0.2 ? { reopenCount: 1 + Math.floor(r() * 3) } : {}),
		...(r() < 0.4 ? { satisfied: r() < 0.6 } : {}),
		_deleted: false
	};
}

const MONTH = { from: '2026-11-01', to: '2026-11-30' };
const ACROSS = { from: '2026-10-20', to: '2026-12-03' };

describe('report figures kept incrementally', () => {
	it('equal the figures folded from the final states only, whatever happened in between', () => {
		const r = rng(3);
		const live = createReportFigures(CAL);
		const final = new Map<string, { doc: Report; gen: number }>();
		// 3,000 changes over 400 reports: each change a new revision of a random state; some deleted.
		for (let gen = 1; gen <= 3_000; gen++) {
			const n = Math.floor(r() * 400);
			const doc = { ...randomState(n, r), ...(r() < 0.02 ? { _deleted: true } : {}) };
			const prev = final.get(doc.id);
			const g = (prev?.gen ?? 0) + 1;
			final.set(doc.id, { doc, gen: g });
			live.update(doc.id, doc, `${g}-x`);
			// Now and then the feed hands an older revision again (another instance's follower): ignored.
			if (prev && r() < 0.1) live.update(prev.doc.id, prev.doc, `${prev.gen}-x`);
		}
		const rebuilt = createReportFigures(CAL);
		for (const [id, { doc, gen }] of final) rebuilt.update(id, doc, `${gen}-x`);
		for (const filter of [{}, { ward: '10002' }, { unit: 'u2' }, { category: 'b', ward: '10001' }]) {
			expect(live.query(MONTH, filter)).toEqual(rebuilt.query(MONTH, filter));
			// Across a month's end: edge days and a whole month.
			expect(live.query(ACROSS, filter)).toEqual(rebuilt.query(ACROSS, filter));
		}
		// A whole month read from its month cells equals its days added up.
		const month = live.query(MONTH, {});
		expect(month.series.grain).toBe('day');
		expect(month.series.rows).toHaveLength(30);
		// Past IOC_DAILY_DAYS days the series goes by month, the partial months included.
		const long = live.query({ from: '2026-09-15', to: '2026-12-10' }, {});
		expect(long.series.grain).toBe('month');
		expect(long.series.rows.map((r) => r.key)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12']);
		expect(long.series.rows.reduce((n, r) => n + r.figures.received, 0)).toBe(long.totals.received);
		for (const k of ['received', 'open', 'resolved', 'overdue', 'rated'] as const)
			expect(month.series.rows.reduce((n, d) => n + d.figures[k], 0), k).toBe(month.totals[k]);
		expect(month.series.rows.reduce((n, d) => n + d.figures.firstResponse.n, 0)).toBe(month.totals.firstResponse.n);
		expect(live.overdue({}, new Date(T0 + 60 * 24 * HOUR))).toEqual(rebuilt.overdue({}, new Date(T0 + 60 * 24 * HOUR)));
	});

	it('count by hand: each status once, a report of two units once in the totals and once per unit', () => {
		const f = createReportFigures(CAL);
		const base = randomState(1, rng(1));
		const doc = (n: number, extra: Partial<Report>): Report => ({ ...base, id: `00000000-0000-7000-8000-00000000000${n}`, receivedAt: iso(T0), ...extra });
		f.update('1', doc(1, { status: 'resolved', assignedUnitIds: ['u1', 'u2'], resolvedAt: iso(T0 + 2 * HOUR), dueAt: iso(T0 + 48 * HOUR), firstResponseAt: iso(T0 + HOUR), satisfied: true, reopenCount: undefined, overdueAt: undefined }), '1-a');
		f.update('2', doc(2, { status: 'assigned', assignedUnitIds: ['u1'], overdueAt: iso(T0 + 49 * HOUR), firstResponseAt: undefined, resolvedAt: undefined, satisfied: undefined, reopenCount: undefined }), '1-a');
		f.update('3', doc(3, { status: 'invalid', assignedUnitIds: ['u2'], overdueAt: undefined, firstResponseAt: iso(T0 + 3 * HOUR), resolvedAt: undefined, satisfied: false, reopenCount: undefined }), '1-a');
		const a = f.query({ from: '2026-11-02', to: '2026-11-02' }, {});
		expect(a.totals).toMatchObject({ received: 3, resolved: 1, onTime: 1, open: 1, overdue: 1, invalid: 1, rated: 2, satisfied: 1 });
		expect(a.totals.firstResponse.n).toBe(2);
		expect(Object.fromEntries(a.byUnit.map((r) => [r.key, r.figures.received]))).toEqual({ u1: 2, u2: 2 });
		expect(f.query({ from: '2026-11-02', to: '2026-11-02' }, { unit: 'u2' }).totals.received).toBe(2);
		// A day before or after holds none of it; a deletion takes a report out.
		expect(f.query({ from: '2026-11-03', to: '2026-11-03' }, {}).totals.received).toBe(0);
		f.update('2', null, '2-a');
		expect(f.query({ from: '2026-11-02', to: '2026-11-02' }, {}).totals).toMatchObject({ received: 2, overdue: 0 });
		expect(f.overdue({}, new Date()).total).toBe(0);
	});
});
