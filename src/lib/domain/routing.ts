import type { RoutingRule, SlaHours, TenantConfig } from './tenant';
import { addDeadlineHours, type DeadlineHours } from './work-calendar';

function matches(rule: RoutingRule, categoryCode: string, wardCode: string): boolean {
	const cat = rule.categories === '*' || rule.categories.includes(categoryCode);
	const ward = rule.wards === '*' || rule.wards.includes(wardCode);
	return cat && ward;
}

/** The units a report goes to: every unit of every matching rule, or the fallback units. Sorted, unique. */
export function routeReport(
	config: Pick<TenantConfig, 'routingRules' | 'units' | 'fallbackUnitIds'>,
	report: { categoryCode: string; wardCode: string }
): string[] {
	const out = new Set<string>();
	for (const rule of config.routingRules) {
		if (!matches(rule, report.categoryCode, report.wardCode)) continue;
		for (const u of rule.unitIds) {
			if (u === '$ward') {
				for (const unit of config.units) if (unit.wardCodes?.includes(report.wardCode)) out.add(unit.id);
			} else out.add(u);
		}
	}
	if (out.size === 0) for (const u of config.fallbackUnitIds) out.add(u);
	return [...out].sort();
}

/**
 * The unit that leads a report (chủ trì), one of `routeReport`'s: the `lead` of the first matching
 * rule that names one, else the first unit of the first matching rule, else the first fallback unit.
 * A `'$ward'` that names no committee for this ward is passed over.
 */
export function leadUnitOf(
	config: Pick<TenantConfig, 'routingRules' | 'units' | 'fallbackUnitIds'>,
	report: { categoryCode: string; wardCode: string }
): string {
	const resolve = (u: string) =>
		u === '$ward' ? config.units.filter((unit) => unit.wardCodes?.includes(report.wardCode)).map((unit) => unit.id) : [u];
	const rules = config.routingRules.filter((rule) => matches(rule, report.categoryCode, report.wardCode));
	for (const rule of rules) {
		const named = rule.lead ? resolve(rule.lead)[0] : undefined;
		if (named) return named;
	}
	for (const rule of rules) {
		const first = rule.unitIds.flatMap(resolve)[0];
		if (first) return first;
	}
	return config.fallbackUnitIds[0];
}

export function slaFor(config: Pick<TenantConfig, 'sla'>, categoryCode: string): SlaHours {
	return config.sla.byCategory[categoryCode] ?? config.sla.default;
}

/** What a due time is computed from: the SLA hours and, for `working` ones, the tenant's calendar. */
export type SlaConfig = Pick<TenantConfig, 'sla' | 'calendar'>;

/**
 * Due time of the handler's report-back, from the server's receipt time (or a reopening): in clock
 * hours, or in the calendar's working hours when the category's SLA says `working`.
 */
export function dueAt(config: SlaConfig, categoryCode: string, receivedAt: Date): Date {
	const sla = slaFor(config, categoryCode);
	return addDeadlineHours(config.calendar, sla.hours ?? 'clock', receivedAt, sla.report);
}

/** How a category's due times run, as they are computed: working hours only where there is a calendar. */
export function deadlineHoursOf(config: SlaConfig, categoryCode: string): DeadlineHours {
	return config.calendar && slaFor(config, categoryCode).hours === 'working' ? 'working' : 'clock';
}

/** When a handler is expected on site, counted like `dueAt`. */
export function onSiteDueAt(config: SlaConfig, categoryCode: string, receivedAt: Date): Date {
	const sla = slaFor(config, categoryCode);
	return addDeadlineHours(config.calendar, sla.hours ?? 'clock', receivedAt, sla.onSite);
}
