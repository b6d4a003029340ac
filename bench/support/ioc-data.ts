/**
 * Two years of a province for the operations centre's benchmark (issue 15): field reports as the
 * server stores them after their events (status, due time, overdue flag, first response,
 * resolution, reopenings, rating), queue tickets of the one-stop offices and dossiers of the
 * procedures — over the tenant's own wards, categories, routing, offices and procedures.
 *
 * Deterministic (a seeded PRNG, ids made from the time and the index), so two runs hold the same
 * shapes; only the dates move with `now`, because the server answers periods of "today".
 * The mix is a real year's as the seed articles give it: most reports resolved (on time ~3 in 4),
 * a few % invalid or withdrawn, the recent ones still open, the open past their due time flagged
 * overdue, ~4 % reopened, a third of the resolved rated.
 */
import type { Dossier, DossierStatus } from '$lib/domain/dossier';
import type { Report, ReportStatus } from '$lib/domain/report';
import { routeReport } from '$lib/domain/routing';
import type { TenantConfig } from '$lib/domain/tenant';
import type { Ticket } from '$lib/domain/ticket';
import { prng } from '../../tests/support/prng';

export const SPAN_MS = 2 * 365 * 86_400_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A UUIDv7-shaped id from a time and an index: sortable by time, the same on every run. */
export function seqUuid(t: number, i: number, salt = 0): string {
	const h = t.toString(16).padStart(12, '0');
	const n = (i * 2654435761 + salt * 40503) >>> 0;
	const a = n.toString(16).padStart(8, '0');
	const b = i.toString(16).padStart(12, '0').slice(-12);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${a.slice(0, 3)}-${(8 + (salt & 3)).toString(16)}${a.slice(3, 6)}-${b}`;
}

/** Weighted pick: `weights[i]` for `xs[i]` (missing weights count 1). */
function weighted<T>(rand: () => number, xs: readonly T[], weights: readonly number[]): () => T {
	const w = xs.map((_, i) => weights[i] ?? 1);
	const total = w.reduce((a, b) => a + b, 0);
	return () => {
		let x = rand() * total;
		for (let i = 0; i < xs.length; i++) if ((x -= w[i]) < 0) return xs[i];
		return xs[xs.length - 1];
	};
}

/** A skewed duration: most short, a long tail (exp of a uniform). */
const skewed = (rand: () => number, medianMs: number) => Math.round(medianMs * Math.exp((rand() - 0.5) * 3));

export function generateReports(config: TenantConfig, n: number, now: number, seed = 15): Report[] {
	const rand = prng(seed);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
	// Category weights of Đà Lạt's reports (construction and urban order first), as field-reports.ts.
	const category = weighted(rand, config.categories.map((c) => c.code), [593, 435, 326, 229, 108, 28, 20, 11, 60, 60]);
	// A few urban wards get most reports; every commune gets some.
	const wards = config.adminUnits.map((u) => u.code);
	const busy = new Set(config.units.flatMap((u) => u.wardCodes ?? []));
	const ward = weighted(rand, wards, wards.map((w) => (busy.has(w) ? 40 : 1 + (w.charCodeAt(4) % 4))));
	const routes = new Map<string, string[]>();
	const start = now - SPAN_MS;
	const out: Report[] = new Array(n);
	for (let i = 0; i < n; i++) {
		const t = start + Math.floor(((i + rand()) * SPAN_MS) / n);
		const wardCode = ward();
		const categoryCode = category();
		const key = `${wardCode}|${categoryCode}`;
		let units = routes.get(key);
		if (!units) routes.set(key, (units = routeReport(config, { categoryCode, wardCode })));
		const clock = config.sla.byCategory?.[categoryCode]?.hours === 'clock';
		const due = t + (clock ? 6 : 18) * HOUR;
		const age = now - t;
		const roll = rand();
		// The older a report, the likelier it is closed; the last days are mostly open.
		const openChance = age < 2 * DAY ? 0.7 : age < 14 * DAY ? 0.25 : 0.04;
		let status: ReportStatus;
		if (roll < openChance) status = pick(['received', 'assigned', 'assigned', 'in_progress', 'in_progress', 'reopened', 'contested'] as const);
		else {
			const r2 = rand();
			status = r2 < 0.9 ? 'resolved' : r2 < 0.97 ? 'invalid' : 'withdrawn';
		}
		const open = !['resolved', 'invalid', 'withdrawn'].includes(status);
		const answered = status !== 'received' && status !== 'assigned' ? true : rand() < 0.3;
		const firstResponse = t + skewed(rand, 3 * HOUR);
		const onTime = rand() < 0.76;
		const resolvedAt = onTime ? t + Math.min(due - t, skewed(rand, 4 * HOUR)) : due + skewed(rand, 20 * HOUR);
		const reopenCount = status === 'reopened' || (status === 'resolved' && rand() < 0.035) ? 1 + (rand() < 0.2 ? 1 : 0) : 0;
		const unseen = open && rand() < 0.3;
		const at = (ms: number) => new Date(Math.min(ms, now)).toISOString();
		const id = seqUuid(t, i);
		const report: Report = {
			id,
			tenantId: config.id,
			authorId: `device:${((i % 300_000) * 2654435761).toString(16)}-ioc`,
			categoryCode,
			description: 'Phản ánh hiện trường (dữ liệu đo hiệu năng).',
			location: { source: 'gps', lat: 11.9 + rand() * 0.1, lng: 108.4 + rand() * 0.1, accuracyM: 10 },
			wardCode,
			wardCodeSet: '2025',
			photoIds: [],
			createdAt: at(t),
			trackingCode: `LD-${at(t).slice(2, 4)}${at(t).slice(5, 7)}${at(t).slice(8, 10)}-${(i % 100_000).toString().padStart(5, '0')}`,
			receivedAt: at(t),
			status,
			assignedUnitIds: units,
			...(units.length ? { leadUnitId: units[units.length - 1] } : {}),
			dueAt: at(due),
			seenByUnitIds: unseen ? [] : units.slice(0, 1 + Math.floor(rand() * units.length)),
			...(answered && firstResponse < now ? { firstResponseAt: at(firstResponse) } : {}),
			...(open && due < now ? { overdueAt: at(due) } : {}),
			...(status === 'resolved' ? { resolvedAt: at(resolvedAt) } : {}),
			...(reopenCount ? { reopenCount } : {}),
			...(status === 'resolved' && rand() < 0.33 ? { satisfied: rand() < 0.78 } : {}),
			updatedAt: at(status === 'resolved' ? resolvedAt : firstResponse),
			_deleted: false
		};
		out[i] = report;
	}
	return out;
}

/** The next state of a report (a handler's step, a resolution, a reopening, a rating): what a live index takes in. */
export function nextState(r: Report, now: number, rand: () => number): Report {
	const t = new Date(now).toISOString();
	switch (r.status) {
		case 'received':
		case 'assigned':
			return { ...r, status: 'in_progress', firstResponseAt: r.firstResponseAt ?? t, seenByUnitIds: r.assignedUnitIds, updatedAt: t };
		case 'in_progress':
		case 'reopened':
		case 'contested':
			return { ...r, status: 'resolved', resolvedAt: t, overdueAt: undefined, updatedAt: t };
		case 'resolved':
			return rand() < 0.5 ? { ...r, satisfied: rand() < 0.8, updatedAt: t } : { ...r, status: 'reopened', resolvedAt: undefined, reopenCount: (r.reopenCount ?? 0) + 1, updatedAt: t };
		default:
			return { ...r, updatedAt: t };
	}
}

export type BenchTicket = Ticket & { [k: string]: unknown };

export function generateTickets(config: TenantConfig, n: number, now: number, seed = 16): BenchTicket[] {
	const rand = prng(seed);
	const offices = config.office?.offices ?? [];
	if (!offices.length) throw new Error('the tenant has no one-stop offices');
	const officials = new Map(offices.map((o) => [o.id, Array.from({ length: 2 + o.counters.length }, (_, k) => `staff:${o.id}-${k + 1}`)]));
	const office = weighted(rand, offices, offices.map((_, i) => 3 - i));
	const start = now - SPAN_MS;
	const out: BenchTicket[] = new Array(n);
	const utc = config.calendar?.utcOffset ?? '+00:00';
	const offsetMs = (utc[0] === '-' ? -1 : 1) * (Number(utc.slice(1, 3)) * HOUR + Number(utc.slice(4, 6)) * 60_000);
	for (let i = 0; i < n; i++) {
		// Office hours: 7:30–11:30 and 13:30–17:00 local, on the day the index falls on.
		const dayStart = Math.floor((start + (i * SPAN_MS) / n + offsetMs) / DAY) * DAY - offsetMs;
		const t = dayStart + 7.5 * HOUR + Math.floor(rand() * 8 * HOUR);
		const o = office();
		const serviceId = o.serviceIds[Math.floor(rand() * o.serviceIds.length)];
		const counters = o.counters.filter((c) => c.serviceIds.includes(serviceId));
		const counter = counters[Math.floor(rand() * counters.length)] ?? o.counters[0];
		const roll = rand();
		const recent = now - t < 4 * HOUR;
		const status = recent && roll < 0.5 ? 'waiting' : roll < 0.86 ? 'finished' : roll < 0.94 ? 'no_show' : 'cancelled';
		const called = status === 'finished' || status === 'no_show';
		const calledAt = t + skewed(rand, 12 * 60_000);
		const finishedAt = calledAt + skewed(rand, 10 * 60_000);
		const iso = (ms: number) => new Date(Math.min(ms, now)).toISOString();
		const rated = status === 'finished' && rand() < 0.3;
		const r = rand();
		out[i] = {
			id: seqUuid(t, i, 1),
			tenantId: config.id,
			officeId: o.id,
			serviceId,
			day: new Date(t + offsetMs).toISOString().slice(0, 10),
			seq: 1 + (i % 999),
			number: `${(1 + (i % 9)) * 1000 + (i % 999)}`.padStart(4, '0').slice(-4),
			holderId: rand() < 0.4 ? `device:${i.toString(16)}` : 'kiosk',
			channel: rand() < 0.4 ? 'app' : 'kiosk',
			takenAt: iso(t),
			status,
			queuedAt: iso(t),
			...(called ? { counterId: counter.id, calledAt: iso(calledAt), lastCalledAt: iso(calledAt), servedBy: officials.get(o.id)![Math.floor(rand() * officials.get(o.id)!.length)] } : {}),
			recalls: 0,
			...(status === 'finished' ? { finishedAt: iso(finishedAt) } : {}),
			...(rated ? { rating: { level: r < 0.55 ? 'very_satisfied' : r < 0.92 ? 'satisfied' : 'unsatisfied', at: iso(finishedAt) } } : {}),
			updatedAt: iso(status === 'finished' ? finishedAt : t),
			_deleted: false
		} as BenchTicket;
	}
	return out;
}

export type BenchDossier = Dossier & { id: string; _deleted?: boolean; [k: string]: unknown };

export function generateDossiers(config: TenantConfig, procedures: readonly { code: string; processingDays?: number | null }[], n: number, now: number, seed = 17): BenchDossier[] {
	const rand = prng(seed);
	const offices = config.office?.offices ?? [];
	// Civil-status and certification procedures come first by far (Lạc Dương: > 95 % on time).
	const procedure = weighted(rand, procedures, procedures.map((_, i) => (i < 8 ? 30 : 1)));
	const start = now - SPAN_MS;
	const out: BenchDossier[] = new Array(n);
	for (let i = 0; i < n; i++) {
		const t = start + Math.floor(((i + rand()) * SPAN_MS) / n);
		const p = procedure();
		const due = t + Math.max(1, p.processingDays ?? 3) * DAY * 1.4;
		const online = rand() < 0.3 && offices.length > 0;
		const age = now - t;
		const finished = age > (p.processingDays ?? 3) * DAY * 1.6 ? rand() < 0.985 : rand() < 0.4;
		const late = rand() < 0.045;
		const doneAt = late ? due + skewed(rand, 2 * DAY) : t + (due - t) * (0.3 + rand() * 0.65);
		const iso = (ms: number) => new Date(Math.min(ms, now)).toISOString();
		const status: DossierStatus = finished ? (rand() < 0.97 ? (rand() < 0.8 ? 'returned' : 'result_ready') : 'refused') : rand() < 0.8 ? 'processing' : 'needs_documents';
		const steps: Dossier['steps'] = [
			{ at: iso(t), status: 'accepted' },
			{ at: iso(t + HOUR), status: 'processing' }
		];
		if (finished) steps.push({ at: iso(doneAt), status: status === 'refused' ? 'refused' : 'result_ready' });
		if (status === 'returned') steps.push({ at: iso(doneAt + DAY), status: 'returned' });
		if (status === 'needs_documents') steps.push({ at: iso(t + 2 * HOUR), status: 'needs_documents' });
		const day = iso(t).slice(2, 10).replace(/-/g, '');
		const code = `000.00.12.H38-${day}-${(i % 100_000).toString().padStart(5, '0')}`;
		out[i] = {
			id: code,
			code,
			tenantId: config.id,
			procedureCode: p.code,
			applicantName: 'Nguyễn Văn An',
			receivedAt: iso(t),
			dueAt: new Date(due).toISOString(),
			status,
			steps,
			source: online ? 'online' : 'import',
			...(online ? { officeId: offices[i % offices.length].id } : {}),
			updatedAt: steps[steps.length - 1].at,
			_deleted: false
		};
	}
	return out;
}
