import type { RoutingRule, SlaHours, TenantConfig } from './tenant';

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

export function slaFor(config: Pick<TenantConfig, 'sla'>, categoryCode: string): SlaHours {
	return config.sla.byCategory[categoryCode] ?? config.sla.default;
}

/** Due time of the handler's report-back, from the server's receipt time. */
export function dueAt(config: Pick<TenantConfig, 'sla'>, categoryCode: string, receivedAt: Date): Date {
	return new Date(receivedAt.getTime() + slaFor(config, categoryCode).report * 3_600_000);
}
