import type { Office } from '$lib/domain/office';
import type { Principal } from '$lib/domain/principal';
import type { OfficialFigures, Ticket } from '$lib/domain/ticket';
import { localDate, type WorkCalendar } from '$lib/domain/work-calendar';
import { ApiError } from '../http/api-error';
import type { OfficeQueue } from './office-queue';

/**
 * Residents' ratings of the officials who served them, added up per official over the last days:
 * an official sees their own figures, a leader (or admin) every official of the office. Reasons of
 * "not satisfied" are shown as the residents wrote them: they name no resident.
 */


export const MAX_FIGURE_DAYS = 92;

function add(rows: Map<string, OfficialFigures>, t: Ticket): void {
	if (!t.servedBy) return;
	const row =
		rows.get(t.servedBy) ??
		({ officialId: t.servedBy, served: 0, noShows: 0, rated: 0, ratings: { very_satisfied: 0, satisfied: 0, unsatisfied: 0 }, satisfaction: null, reasons: [] } as OfficialFigures);
	rows.set(t.servedBy, row);
	if (t.status === 'finished') row.served++;
	if (t.status === 'no_show') row.noShows++;
	if (t.rating) {
		row.rated++;
		row.ratings[t.rating.level]++;
		if (t.rating.reason) row.reasons.push({ number: t.number, reason: t.rating.reason, at: t.rating.at });
	}
}

export async function ratingFigures(
	deps: { queue: OfficeQueue; calendar: WorkCalendar; now: () => Date },
	p: Principal,
	officeId: string,
	days: number
): Promise<{ officeId: string; from: string; to: string; officials: OfficialFigures[] }> {
	const o: Office = deps.queue.officeOf(officeId);
	const leader = p.role === 'admin' || (p.role === 'leader' && p.unitIds.some((u) => o.unitIds.includes(u)));
	const official = p.role === 'handler' && p.unitIds.some((u) => o.unitIds.includes(u));
	if (!leader && !official) throw new ApiError(403, 'forbidden_scope', 'Bạn không xem được số liệu văn phòng này / You cannot see this office\'s figures');
	const span = Math.min(Math.max(1, days), MAX_FIGURE_DAYS);
	const at = deps.now();
	const dates = Array.from({ length: span }, (_, i) => localDate(deps.calendar, new Date(at.getTime() - i * 86_400_000)));
	const rows = new Map<string, OfficialFigures>();
	for (const date of dates) for (const t of await deps.queue.dayTickets(o.id, date)) if (leader || t.servedBy === p.sub) add(rows, t);
	const officials = [...rows.values()].map((r) => ({
		...r,
		satisfaction: r.rated ? (r.ratings.very_satisfied + r.ratings.satisfied) / r.rated : null,
		reasons: r.reasons.sort((a, b) => (a.at < b.at ? 1 : -1)).slice(0, 10)
	}));
	return { officeId: o.id, from: dates[dates.length - 1], to: dates[0], officials: officials.sort((a, b) => b.served - a.served) };
}
