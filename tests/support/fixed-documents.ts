/**
 * Reports and events with fixed ids and times, for the unit specs of pure rules: no clock and no
 * randomness here, so a failing case reads the same on every run. A report is placed by its ward
 * alone (Lâm Viên, 24778), category environment; each spec sets in `extra` what it is about.
 */
import type { EventType, ReportEvent } from '$lib/domain/event';
import type { Report, ReportInput } from '$lib/domain/report';

/** A report as a device writes it (no server fields). */
export function wardReportInput(id: string, createdAt: string, extra: Partial<ReportInput> = {}): ReportInput {
	return {
		id,
		tenantId: 'lam-dong',
		authorId: 'device:a',
		categoryCode: 'environment',
		description: '',
		location: { source: 'ward' },
		wardCode: '24778',
		wardCodeSet: '2025',
		photoIds: [],
		createdAt,
		_deleted: false,
		...extra
	};
}

/** The same report as the server stores it, received at `receivedAt` and routed to the ward committee. */
export function wardReport(id: string, receivedAt: string, extra: Partial<Report> = {}): Report {
	return {
		...wardReportInput(id, receivedAt),
		receivedAt,
		status: 'assigned',
		assignedUnitIds: ['ubnd-lam-vien'],
		seenByUnitIds: [],
		...extra
	};
}

/**
 * A maker of a report's stored events, numbered in the order made (`0190-0001`, …). The device
 * time is wrong on purpose: what is derived must go by the server's time alone.
 */
export function storedEventMaker(reportId = 'r1') {
	let seq = 0;
	return (type: EventType, serverAt: string, extra: Partial<ReportEvent> = {}): ReportEvent => {
		seq += 1;
		return {
			id: `0190-${String(seq).padStart(4, '0')}`,
			reportId,
			tenantId: 'lam-dong',
			type,
			actorId: 'x',
			actorRole: 'handler',
			at: '2030-01-01T00:00:00.000Z',
			serverAt,
			_deleted: false,
			...extra
		};
	};
}
