/**
 * Lead and coordinating units (chủ trì / phối hợp) against the real server: routing names the lead
 * from the tenant's rules; a coordinating unit's result records its part and leaves the report open;
 * the lead's result closes it; a transfer of the lead's part moves the lead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, fileReport, makeEvent, push, reportAs, signIn, startServer, type DeviceSession, type Session, type TestServer } from './harness';

let srv: TestServer;
let resident: DeviceSession;
let ward: Session;
let environment: Session;
let police: Session;
let urban: Session;

beforeAll(async () => {
	srv = await startServer();
	[resident, ward, environment, police, urban] = await signIn(
		srv.url,
		'device',
		'ubnd-lam-vien',
		'natural-resources-environment',
		'police',
		'urban-management'
	);
});
afterAll(() => srv?.close());

const statusOf = async (id: string) => (await reportAs(srv.url, ward, id))?.status;

describe('the closing rule across two units', () => {
	it('keeps a report open when the coordinating unit reports its part, and closes it on the lead’s result', async () => {
		// Environment: the ward committee leads, the environment unit coordinates (tenant.json routingRules).
		const report = await fileReport(srv.url, resident);
		expect(report.assignedUnitIds).toEqual(['natural-resources-environment', 'ubnd-lam-vien']);
		expect(report.leadUnitId).toBe('ubnd-lam-vien');

		await act(srv.url, environment, report, 'resolved', { unitId: 'natural-resources-environment', note: 'Đã thu gom rác' });
		const afterPart = await reportAs(srv.url, ward, report.id);
		expect(afterPart).toMatchObject({ status: 'in_progress', leadUnitId: 'ubnd-lam-vien' });
		// The lead has not even seen it yet: nothing is closed behind its back, and the resident may not rate it yet.
		expect(afterPart?.seenByUnitIds ?? []).not.toContain('ubnd-lam-vien');
		const early = await push(srv.url, resident.token, 'events', [makeEvent(resident, report, 'feedback', { satisfied: true })]);
		expect(early.body.rejected.map((x: { code: string }) => x.code)).toEqual(['transition_forbidden']);
		// Still open for the lead: it can work on it.
		await act(srv.url, ward, report, 'progress', { unitId: 'ubnd-lam-vien', note: 'Đang kiểm tra' });

		await act(srv.url, ward, report, 'resolved', { unitId: 'ubnd-lam-vien', note: 'Đã xử lý xong, phạt người đổ rác' });
		expect(await statusOf(report.id)).toBe('resolved');
	});

	it('lets a specialised unit lead where the rules say so: the ward’s "invalid" is its part, the lead’s closes', async () => {
		const report = await fileReport(srv.url, resident, { categoryCode: 'traffic-security' });
		expect(report.leadUnitId).toBe('police');
		await act(srv.url, ward, report, 'rejected_invalid', { unitId: 'ubnd-lam-vien', note: 'Không thuộc phường' });
		expect(await statusOf(report.id)).toBe('in_progress');
		await act(srv.url, police, report, 'rejected_invalid', { unitId: 'police', note: 'Không có vi phạm' });
		expect(await statusOf(report.id)).toBe('invalid');
	});

	it('takes a coordinating unit’s part report once: a second one, of either kind, is refused with its code', async () => {
		const report = await fileReport(srv.url, resident);
		await act(srv.url, environment, report, 'resolved', { unitId: 'natural-resources-environment', note: 'Đã thu gom rác' });
		for (const type of ['resolved', 'rejected_invalid']) {
			const again = makeEvent(environment, report, type, { unitId: 'natural-resources-environment', note: 'Lần nữa' });
			const res = await push(srv.url, environment.token, 'events', [again]);
			expect(res.body.rejected.map((x: { code: string }) => x.code)).toEqual(['part_already_reported']);
		}
		// Two at once in one batch: the first counts, the second is the "again".
		const other = await fileReport(srv.url, resident);
		const both = ['resolved', 'rejected_invalid'].map((type) =>
			makeEvent(environment, other, type, { unitId: 'natural-resources-environment', note: 'Phần việc' })
		);
		const batch = await push(srv.url, environment.token, 'events', both);
		expect(batch.body.rejected.map((x: { id: string; code: string }) => [x.id, x.code])).toEqual([[both[1].id, 'part_already_reported']]);
		// Its other steps still go through, and the lead still closes the report.
		await act(srv.url, environment, report, 'progress', { unitId: 'natural-resources-environment', note: 'Theo dõi thêm' });
		await act(srv.url, ward, report, 'resolved', { unitId: 'ubnd-lam-vien', note: 'Xong' });
		expect(await statusOf(report.id)).toBe('resolved');
	});

	it('moves the lead with a transfer of the lead’s part; a unit added by the lead coordinates', async () => {
		const report = await fileReport(srv.url, resident);
		await act(srv.url, ward, report, 'transferred', { unitId: 'ubnd-lam-vien', unitIds: ['urban-management'] });
		expect((await reportAs(srv.url, urban, report.id))?.leadUnitId).toBe('urban-management');
		await act(srv.url, urban, report, 'transferred', { unitId: 'urban-management', unitIds: ['urban-management', 'police'] });
		const shared = await reportAs(srv.url, police, report.id);
		expect(shared).toMatchObject({ leadUnitId: 'urban-management' });
		expect(shared?.assignedUnitIds).toEqual(['natural-resources-environment', 'police', 'urban-management']);
		await act(srv.url, police, report, 'resolved', { unitId: 'police', note: 'Phần của công an xong' });
		expect((await reportAs(srv.url, urban, report.id))?.status).toBe('in_progress');
		await act(srv.url, urban, report, 'resolved', { unitId: 'urban-management', note: 'Xong' });
		expect((await reportAs(srv.url, urban, report.id))?.status).toBe('resolved');
	});
});
