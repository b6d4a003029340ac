import { describe, expect, it } from 'vitest';
import type { ReportEvent } from '../domain/event';
import type { Report } from '../domain/report';
import { wardReport } from '../../../tests/support/fixed-documents';
import { uuidv7 } from '../domain/uuid';
import { buildStep, localView, type StaffUser } from './handler-actions';
import { inboxNote, withLocalSteps } from './local-inbox';

const WARD = 'ubnd-lam-vien';
const ENV = 'natural-resources-environment';
const handler: StaffUser = { sub: 'staff:ubnd-lam-vien', role: 'handler', unitIds: [WARD], tenantId: 'lam-dong' };
const T0 = Date.parse('2025-08-01T01:00:00.000Z');
const now = new Date(T0 + 60_000);

const makeReport = (offset: number): Report =>
	wardReport(uuidv7(T0 + offset), new Date(T0).toISOString(), { authorId: 'device:ana', description: 'Rác đổ trộm', assignedUnitIds: [ENV, WARD], leadUnitId: WARD });

function storedEvents(report: Report): ReportEvent[] {
	return (['received', 'assigned'] as const).map((type, i) => ({
		id: uuidv7(T0 + 1000 * (i + 1)),
		reportId: report.id,
		tenantId: 'lam-dong',
		actorId: 'system',
		actorRole: 'system',
		at: new Date(T0 + 1000 * (i + 1)).toISOString(),
		serverAt: new Date(T0 + 1000 * (i + 1)).toISOString(),
		unitIds: [ENV, WARD],
		...(type === 'assigned' ? { unitId: WARD } : {}),
		type,
		_deleted: false
	}));
}

describe('the inbox list on this device', () => {
	const a = makeReport(1);
	const b = makeReport(2);
	const events = [...storedEvents(a), ...storedEvents(b)];
	const accept = buildStep(handler, a, localView(a, events, { now }), 'accept', {}, now);

	it('shows a step accepted offline (not sent yet) at once: the report is no longer "assigned"', () => {
		const shown = withLocalSteps([a, b], [...events, accept], new Set());
		expect(shown.find((r) => r.id === a.id)?.status).toBe('in_progress');
		// A report without pending steps is the server's, untouched (same object: no needless re-render).
		expect(shown.find((r) => r.id === b.id)).toBe(b);
	});

	it('a step the server refused never counts', () => {
		const shown = withLocalSteps([a], [...events, accept], new Set([accept.id]));
		expect(shown[0].status).toBe('assigned');
	});

	it('keeps the order of the list', () => {
		expect(withLocalSteps([b, a], [...events, accept], new Set()).map((r) => r.id)).toEqual([b.id, a.id]);
	});
});

describe('the inbox header', () => {
	it('offline, never says "syncing" (the replication may still look busy while it retries)', () => {
		expect(inboxNote({ online: false, active: true, unsent: 0 })).toBe('handling.offlineCopy');
		expect(inboxNote({ online: false, active: true, unsent: 2 })).toBe('handling.offlineWaiting');
	});
	it('online, says "syncing" only while the replication works', () => {
		expect(inboxNote({ online: true, active: true, unsent: 0 })).toBe('handler.syncing');
		expect(inboxNote({ online: true, active: false, unsent: 1 })).toBeNull();
	});
});
