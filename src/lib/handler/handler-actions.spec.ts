import { describe, expect, it } from 'vitest';
import type { ReportEvent } from '../domain/event';
import type { Report } from '../domain/report';
import { wardReport } from '../../../tests/support/fixed-documents';
import { deriveReport } from '../domain/report-state';
import { uuidv7 } from '../domain/uuid';
import {
	availableActions,
	buildSeen,
	buildStep,
	checkStep,
	decide,
	localView,
	needsSeen,
	publicPreview,
	unitProgress,
	type StaffUser
} from './handler-actions';
import { REDACTED_PHONE } from '../domain/redact';

const WARD = 'ubnd-lam-vien';
const ENV = 'natural-resources-environment';
const POLICE = 'police';
const tenant = {
	sla: { default: { onSite: 2, report: 6 }, byCategory: {} },
	units: [WARD, ENV, POLICE].map((id) => ({ id, nameVi: id, nameEn: id }))
};

const handler: StaffUser = { sub: 'staff:ubnd-lam-vien', role: 'handler', unitIds: [WARD], tenantId: 'lam-dong' };
const envHandler: StaffUser = { sub: 'staff:env', role: 'handler', unitIds: [ENV], tenantId: 'lam-dong' };
const policeHandler: StaffUser = { sub: 'staff:police', role: 'handler', unitIds: [POLICE], tenantId: 'lam-dong' };
const leader: StaffUser = { sub: 'staff:lanhdao', role: 'leader', unitIds: [WARD, ENV, POLICE], tenantId: 'lam-dong' };

const T0 = Date.parse('2025-08-01T01:00:00.000Z');
let clock = T0;
/** A stored event: server time one second after the previous one. */
function stored(e: Partial<ReportEvent> & Pick<ReportEvent, 'type'>): ReportEvent {
	clock += 1000;
	return {
		id: uuidv7(clock),
		reportId: report.id,
		tenantId: 'lam-dong',
		actorId: 'system',
		actorRole: 'system',
		at: new Date(clock).toISOString(),
		serverAt: new Date(clock).toISOString(),
		_deleted: false,
		...e
	};
}
/** Marks a built event as stored by the server. */
const ack = (e: ReportEvent): ReportEvent => stored({ ...e, id: e.id });

const report: Report = wardReport(uuidv7(T0), new Date(T0).toISOString(), {
	authorId: 'device:ana',
	description: 'Rác đổ trộm',
	assignedUnitIds: [ENV, WARD],
	leadUnitId: WARD
});
// As the intake writes them: the ward committee leads (chủ trì) environment reports, so its result closes.
const received = () => [stored({ type: 'received', unitIds: [ENV, WARD] }), stored({ type: 'assigned', unitIds: [ENV, WARD], unitId: WARD })];
const now = new Date(T0 + 60_000);

describe('transfer and add a unit', () => {
	it('adding a unit keeps the handler’s own unit, and its "seen"; a transfer hands the unit’s part over', () => {
		const events = [...received()];
		events.push(ack(buildSeen(handler, report, WARD, now)));
		const view = localView(report, events, { tenant, now });
		expect(view.seenByUnitIds).toEqual([WARD]);

		const add = buildStep(handler, report, view, 'addUnit', { unitIds: [POLICE], note: 'Đề nghị công an phối hợp' }, now);
		expect(add).toMatchObject({ type: 'transferred', unitId: WARD, unitIds: [WARD, POLICE] });
		const added = deriveReport([...events, ack(add)], tenant, 'environment', now);
		expect(added.assignedUnitIds).toEqual([ENV, POLICE, WARD].sort());
		expect(added.seenByUnitIds).toEqual([WARD]);

		const transfer = buildStep(handler, report, view, 'transfer', { unitIds: [POLICE] }, now);
		expect(transfer).toMatchObject({ type: 'transferred', unitId: WARD, unitIds: [POLICE] });
		expect(transfer.scope).toBeUndefined();
		expect(decide(handler, view, 'transfer', transfer).ok).toBe(true);
		const moved = deriveReport([...events, ack(transfer)], tenant, 'environment', now);
		expect(moved.assignedUnitIds).toEqual([ENV, POLICE].sort());
		expect(moved.seenByUnitIds).toEqual([]);
	});

	it('a leader acts for no unit: a transfer replaces the units, adding keeps them', () => {
		const events = received();
		const view = localView(report, events, { tenant, now });
		const transfer = buildStep(leader, report, view, 'transfer', { unitIds: [POLICE] }, now);
		expect(transfer.unitId).toBeUndefined();
		// Said explicitly: the server refuses a transfer that names neither a source unit nor the whole report.
		expect(transfer.scope).toBe('whole');
		expect(decide(leader, view, 'transfer', transfer).ok).toBe(true);
		expect(deriveReport([...events, ack(transfer)], tenant, 'environment', now).assignedUnitIds).toEqual([POLICE]);
		const add = buildStep(leader, report, view, 'addUnit', { unitIds: [POLICE] }, now);
		expect(add).toMatchObject({ scope: 'whole', unitIds: [ENV, WARD, POLICE] });
		expect(decide(leader, view, 'addUnit', add).ok).toBe(true);
		expect(deriveReport([...events, ack(add)], tenant, 'environment', now).assignedUnitIds).toEqual([ENV, POLICE, WARD].sort());
	});
});

describe('the state the buttons follow', () => {
	it('offline: after a pending "accepted" the handler may resolve; after a pending "resolved" nothing more is offered', () => {
		const events = received();
		const before = availableActions(handler, localView(report, events, { tenant, now }), events, tenant);
		expect(before).toEqual(['accept', 'progress', 'info', 'transfer', 'addUnit', 'resolve', 'invalid']);

		const v0 = localView(report, events, { tenant, now });
		events.push(buildStep(handler, report, v0, 'accept', {}, now));
		const v1 = localView(report, events, { tenant, now });
		expect(v1.status).toBe('in_progress');
		expect(availableActions(handler, v1, events, tenant)).not.toContain('accept');
		expect(availableActions(handler, v1, events, tenant)).toContain('resolve');

		events.push(buildStep(handler, report, v1, 'resolve', { note: 'Đã thu gom' }, now));
		const v2 = localView(report, events, { tenant, now });
		expect(v2.status).toBe('resolved');
		expect(availableActions(handler, v2, events, tenant)).toEqual([]);
	});

	it('a step the server refused does not count', () => {
		const events = received();
		const resolve = buildStep(handler, report, localView(report, events, { tenant, now }), 'resolve', { note: 'x' }, now);
		events.push(resolve);
		const view = localView(report, events, { tenant, now, excluded: new Set([resolve.id]) });
		expect(view.status).toBe('assigned');
	});

	it('only a leader gives directives; a unit not assigned gets nothing; no second question while one is open', () => {
		const events = received();
		const view = localView(report, events, { tenant, now });
		expect(availableActions(leader, view, events, tenant)).toContain('directive');
		expect(availableActions(handler, view, events, tenant)).not.toContain('directive');
		expect(availableActions(policeHandler, view, events, tenant)).toEqual([]);

		events.push(buildStep(handler, report, view, 'info', { note: 'Xin vị trí chính xác' }, now));
		const asked = localView(report, events, { tenant, now });
		expect(asked.infoRequestPending).toBe(true);
		expect(availableActions(envHandler, asked, events, tenant)).not.toContain('info');
	});

	it('a coordinating unit reports its part once: its result buttons go, the lead keeps its own (also offline)', () => {
		const events = received();
		const v0 = localView(report, events, { tenant, now });
		expect(availableActions(envHandler, v0, events, tenant)).toContain('resolve');
		events.push(buildStep(envHandler, report, v0, 'resolve', { note: 'Phần của Sở đã xong' }, now));
		const pending = localView(report, events, { tenant, now });
		expect(pending.status).toBe('in_progress');
		for (const v of [pending, localView(report, events.map((e) => (e.serverAt ? e : ack(e))), { tenant, now })]) {
			const offered = availableActions(envHandler, v, events, tenant);
			expect(offered).not.toContain('resolve');
			expect(offered).not.toContain('invalid');
			expect(offered).toContain('progress');
			expect(decide(envHandler, v, 'invalid', { unitId: ENV, note: 'x' })).toMatchObject({ ok: false, code: 'part_already_reported' });
			expect(availableActions(handler, v, events, tenant)).toContain('resolve');
		}
	});

	it('"seen" is recorded once for the handler’s unit, never for a leader', () => {
		const events = received();
		const view = localView(report, events, { tenant, now });
		expect(needsSeen(handler, view, events)).toBe(WARD);
		expect(needsSeen(leader, view, events)).toBeNull();
		events.push(buildSeen(handler, report, WARD, now));
		expect(needsSeen(handler, localView(report, events, { tenant, now }), events)).toBeNull();
	});
});

describe('which units have seen and acted', () => {
	it('lists each assigned unit, and starts over when the report is reopened', () => {
		const events = received();
		events.push(ack(buildSeen(handler, report, WARD, now)));
		const v = localView(report, events, { tenant, now });
		events.push(ack(buildStep(handler, report, v, 'accept', {}, now)));
		events.push(ack(buildStep(leader, report, v, 'directive', { note: 'Xử lý ngay' }, now)));
		expect(unitProgress(localView(report, events, { tenant, now }), events)).toEqual([
			{ unitId: ENV, seen: false, acted: false },
			{ unitId: WARD, seen: true, acted: true }
		]);

		events.push(ack(buildStep(handler, report, v, 'resolve', { note: 'Xong' }, now)));
		events.push(stored({ type: 'feedback', actorRole: 'resident', actorId: 'device:ana', satisfied: false }));
		expect(unitProgress(localView(report, events, { tenant, now }), events).find((u) => u.unitId === WARD)?.acted).toBe(false);
	});
});

describe('checkStep', () => {
	it('asks for what each step needs', () => {
		expect(checkStep('resolve', { note: '  ' })).toBe('note_required');
		expect(checkStep('directive', {})).toBe('note_required');
		expect(checkStep('progress', {})).toBe('note_or_photo');
		expect(checkStep('progress', { photoIds: [uuidv7()] })).toBeNull();
		expect(checkStep('transfer', { note: 'x' })).toBe('units_required');
		expect(checkStep('resolve', { note: 'x', photoIds: Array.from({ length: 6 }, () => uuidv7()) })).toBe('too_many_photos');
		expect(checkStep('accept', {})).toBeNull();
	});
});

describe('what a step makes public', () => {
	const view = () => localView(report, received(), { tenant, now });
	const note = 'Đã gặp bà Phùng Thị Diệp (0912 345 678) tại nhà';

	it('carries the public text apart from the private note, and never a copy of it', () => {
		const step = buildStep(handler, report, view(), 'resolve', { note, publicNote: '  Đã xử lý xong  ' }, now);
		expect(step).toMatchObject({ note, publicNote: 'Đã xử lý xong' });
		expect(buildStep(handler, report, view(), 'resolve', { note, publicNote: '   ' }, now).publicNote).toBeUndefined();
		expect(buildStep(handler, report, view(), 'resolve', { note }, now).publicNote).toBeUndefined();
		// Accepting is one click with no form: nothing typed elsewhere rides along.
		expect(buildStep(handler, report, view(), 'accept', { publicNote: 'x' }, now).publicNote).toBeUndefined();
	});

	it('previews exactly the public projection: the public text masked, photos, no private note', () => {
		const photoIds = [uuidv7()];
		const preview = publicPreview(handler, report, view(), 'resolve', { note, publicNote: 'Liên hệ 0912.345.678 nếu cần', photoIds }, now);
		expect(preview).toMatchObject({ type: 'resolved', unitId: WARD, actorRole: 'handler', publicNote: `Liên hệ ${REDACTED_PHONE} nếu cần`, photoIds });
		expect(JSON.stringify(preview)).not.toContain('Diệp');
		// Not a bare '345': the random ids and times in the preview may hold those digits.
		expect(JSON.stringify(preview)).not.toMatch(/0912|345\D?678/);
		expect(publicPreview(handler, report, view(), 'progress', { note }, now)).not.toHaveProperty('publicNote');
	});
});
