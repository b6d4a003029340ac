import { deadlineHoursOf } from '../domain/routing';
import type { TenantConfig } from '../domain/tenant';

// Apart from tenant.service.ts: the routing rules and the work calendar behind this are for pages
// that show due times (the handler's desk, a report's public page), not for every page that needs
// the province's lists (the report form's first load).

/**
 * Whether a category's due times are counted in working hours: shown next to the due time, so that
 * a report filed on Friday evening and due on Monday afternoon reads as meant, not as a mistake.
 */
export function inWorkingHours(config: TenantConfig | null, categoryCode: string): boolean {
	return !!config && deadlineHoursOf(config, categoryCode) === 'working';
}
