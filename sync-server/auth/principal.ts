import type { ActorRole } from '../../src/lib/domain/event';

/** Who is calling: read from a verified token. Every sync, media and event request is checked against it. */
export interface Principal {
	/** `device:<uuid>` for an anonymous resident device, `staff:<username>` for staff. */
	sub: string;
	role: Exclude<ActorRole, 'system'>;
	tenantId: string;
	/** Units a handler or leader acts for; empty for residents. */
	unitIds: string[];
	name?: string;
	/** A resident whose phone was verified by a one-time code: `person:<uuid>`, shared by their devices. */
	personId?: string;
}
