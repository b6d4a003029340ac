/**
 * Documents as a device writes them (no server fields), for the integration tests and the
 * end-to-end specs that file or act on reports through the API. Pure builders: nothing here talks
 * to a server, so both test kinds can import it.
 */
import { uuidv7 } from '$lib/domain/common';
import type { Contact } from '$lib/domain/contact';
import type { Report } from '$lib/domain/report';

export type DocState = Record<string, unknown> & { id: string };

/** Who acts, as their sign-in answer names them: enough to fill an event's actor fields. */
export interface Actor {
	user: { sub: string; role: string; unitIds: string[] };
}

/** A point inside Lâm Viên ward (24778), Đà Lạt, by the tenant's boundaries. */
export const LAM_VIEN_POINT = { lat: 11.962, lng: 108.452 } as const;
/** A point inside Xuân Hương ward (24781), Đà Lạt. */
export const XUAN_HUONG_POINT = { lat: 11.9404, lng: 108.4583 } as const;

/**
 * A report as a device writes it, in Lâm Viên ward, category environment (no photo required). The
 * server refuses coordinates that disagree with the ward: a report in another ward (`wardCode`
 * given without a `location`) is placed by its ward alone, as when a resident picks it from the list.
 */
export function makeReport(authorId: string, overrides: Partial<Report> & Record<string, unknown> = {}): DocState & { authorId: string } {
	const otherWard = overrides.wardCode !== undefined && overrides.wardCode !== '24778' && overrides.location === undefined;
	return {
		id: uuidv7(),
		tenantId: 'lam-dong',
		authorId,
		categoryCode: 'environment',
		description: 'Rác đổ trộm bên đường Phan Đình Phùng',
		location: otherWard ? { source: 'ward' } : { source: 'gps', ...LAM_VIEN_POINT, accuracyM: 12 },
		wardCode: '24778',
		wardCodeSet: '2025',
		photoIds: [],
		createdAt: new Date().toISOString(),
		_deleted: false,
		...overrides
	};
}

export function makeContact(report: { id?: unknown; authorId?: unknown }, overrides: Partial<Contact> = {}): DocState {
	return {
		id: uuidv7(),
		reportId: report.id,
		tenantId: 'lam-dong',
		authorId: report.authorId,
		name: 'Nguyễn Văn An',
		phone: '0912345678',
		_deleted: false,
		...overrides
	};
}

/**
 * An event `s` appends to a report, as their device writes it: the actor and role are the
 * session's, and a handler acts for their (first) unit. `extra` adds the details (note, photoIds,
 * satisfied…) or overrides any field, e.g. to forge one.
 */
export function makeEvent(s: Actor, report: { id: string }, type: string, extra: Record<string, unknown> = {}) {
	return {
		id: uuidv7(),
		reportId: report.id,
		tenantId: 'lam-dong',
		type,
		actorId: s.user.sub,
		actorRole: s.user.role,
		...(s.user.role === 'handler' ? { unitId: s.user.unitIds[0] } : {}),
		at: new Date().toISOString(),
		_deleted: false,
		...extra
	};
}

export type EventDoc = ReturnType<typeof makeEvent>;

/** A report as the server stores it after intake, routed to the Lâm Viên ward committee (unit tests of services). */
export function storedReport(authorId: string, extra: Partial<Report> = {}): Report {
	return {
		...(makeReport(authorId) as unknown as Report),
		status: 'assigned',
		receivedAt: new Date().toISOString(),
		assignedUnitIds: ['ubnd-lam-vien'],
		_deleted: false,
		...extra
	};
}
