import { z } from 'zod';
import { ActorId, Id, Phone, TenantId } from './common';

/**
 * The reporter's name and phone, kept apart from the report so that personal data is structural:
 * it replicates only to the reporter and to handlers of the units the report is assigned to.
 */
export const Contact = z.strictObject({
	id: Id,
	reportId: Id,
	tenantId: TenantId,
	authorId: ActorId,
	name: z.string().trim().max(120).optional(),
	phone: Phone.optional(),
	/** Consent recorded when a volunteer files for a villager. */
	consent: z.boolean().optional(),
	_deleted: z.boolean().default(false)
});
export type Contact = z.infer<typeof Contact>;
