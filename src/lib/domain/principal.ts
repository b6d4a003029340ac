import { z } from 'zod';

/**
 * Who is signed in, in one place: the token's claims (sync-server/auth/tokens.ts), the server's
 * access checks and the device's session all use these, so a new role is added once.
 */

/**
 * The roles a signed-in identity can have. Events add `system` (domain/event.ts ACTOR_ROLES).
 * `operator`: an operations centre (IOC) operator watches the tenant's figures and warnings
 * (sync-server/ioc) and acts on no report: they pull nothing and write no event.
 */
export const ROLES = ['resident', 'handler', 'leader', 'admin', 'volunteer', 'operator'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Roles of accounts with a username and password: everyone but the anonymous resident device. */
export const StaffRole = Role.exclude(['resident']);
export type StaffRole = z.infer<typeof StaffRole>;

/**
 * Officials: they act for units of the tenant, and their steps may publish words and photos.
 * Volunteers hold an account too, but they file for villagers: they are authors, not officials.
 */
export const OFFICIAL_ROLES: readonly Role[] = ['handler', 'leader', 'admin'];

/**
 * Who is calling, as carried by a verified token: every sync, media and event request is checked
 * against it. Claims a token carries besides these (`iat`, `exp`) are dropped, not refused.
 */
export const Principal = z.object({
	/** `device:<uuid>` for an anonymous resident device, `staff:<username>` for staff. */
	sub: z.string().min(3),
	role: Role,
	tenantId: z.string(),
	/** Units a handler or leader acts for; empty for residents. */
	unitIds: z.array(z.string()),
	name: z.string().optional(),
	/** A resident whose phone was verified by a one-time code: `person:<uuid>`, shared by their devices. */
	personId: z.string().optional(),
	/**
	 * A handler who heads the units they act for (trưởng đơn vị): they see the operations centre for
	 * those units (issue 15). Tenant data (an account's `unitHead`), never guessed from a name.
	 */
	unitHead: z.literal(true).optional()
});
export type Principal = z.infer<typeof Principal>;

/**
 * Who sees the operations centre (/ioc, sync-server/ioc): leaders, admins and its operators for the
 * whole tenant; a unit head for their own units; nobody else. The page and the server ask the same.
 */
export function seesOperationsCentre(p: Pick<Principal, 'role' | 'unitIds' | 'unitHead'>): boolean {
	if (p.role === 'leader' || p.role === 'admin' || p.role === 'operator') return true;
	return p.role === 'handler' && !!p.unitHead && p.unitIds.length > 0;
}
