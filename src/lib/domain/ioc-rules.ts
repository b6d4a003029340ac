import { z } from 'zod';

// Apart from domain/ioc.ts: tenant.ts needs only these rules, and every page that reads the tenant's
// config (the report form among them) would otherwise carry the whole dashboard contract.

/**
 * When the operations centre warns (tenant data, `ioc` in tenant.json; DEFAULT_IOC_RULES when absent).
 * Each warning is computed by the server from the figures and sent to the units and leaders concerned.
 */
export const IocRules = z.strictObject({
	/** A unit that has not opened a report assigned to it for this many hours is warned. */
	unseenHours: z.number().positive().max(720),
	/**
	 * A category in a commune "spikes" when one day's reports reach `factor` × its own daily average
	 * over the `baselineDays` before, and at least `min` reports.
	 */
	spike: z.strictObject({ factor: z.number().min(1.1).max(100), min: z.number().int().min(2).max(10_000), baselineDays: z.number().int().min(7).max(365) }),
	/** A one-stop office queue whose longest wait passes this many minutes. */
	queueWaitMinutes: z.number().int().min(5).max(600)
});
export type IocRules = z.infer<typeof IocRules>;
export const DEFAULT_IOC_RULES: IocRules = { unseenHours: 8, spike: { factor: 3, min: 5, baselineDays: 28 }, queueWaitMinutes: 60 };
