import { beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../domain/common';
import { addDraftPhoto, emptyDraft, saveDraft, submitDraft } from '../report/draft.service';
import { buildReport } from '../report/report-build';
import { localDb } from '../sync/local-db';
import { createOutboxRow, transition } from '../sync/outbox';
import { forgetVisitorReports, sendOutcome } from './visitor-report';

const tenant = {
	id: 'lam-dong',
	codeSet: '2025',
	categories: [{ code: 'environment', nameVi: 'Môi trường', nameEn: 'Environment', icon: '🌿' }],
	adminUnits: [{ code: '24778', codeSet: '2025', name: 'Phường Lâm Viên - Đà Lạt', nameEn: 'Lam Vien', type: 'phường' }]
};

function visitorReport() {
	const draft = { ...emptyDraft(), categoryCode: 'environment', description: 'Cống bị tắc trước nhà', wardCode: '24778', location: { source: 'ward' as const }, name: 'Nguyễn Thị Lan', phone: '0912345678' };
	const built = buildReport(draft, { tenant, authorId: 'device:kiosk' });
	if (!built.report) throw new Error(JSON.stringify(built.errors));
	return { draft, report: built.report, contact: built.contact };
}

beforeEach(async () => {
	await Promise.all([localDb.drafts.clear(), localDb.outbox.clear(), localDb.photos.clear()]);
});

describe('a kiosk forgets its visitors', () => {
	it('empties drafts, photos and the outbox, sent or not, and keeps the device identity', async () => {
		const sent = visitorReport();
		await submitDraft(sent.draft.id, sent.report, sent.contact);
		const waiting = visitorReport();
		await addDraftPhoto({ id: uuidv7(), reportId: waiting.report.id, blob: new Blob(['x'], { type: 'image/jpeg' }), mime: 'image/jpeg', width: 10, height: 10, bytes: 1 });
		await submitDraft(waiting.draft.id, waiting.report, waiting.contact);
		await saveDraft({ ...emptyDraft(), description: 'đang viết dở', phone: '0987654321' });
		await localDb.identity.put({ key: 'device', deviceId: 'd1', secret: 's' } as never);

		await forgetVisitorReports();

		const left = JSON.stringify([await localDb.drafts.toArray(), await localDb.photos.toArray(), await localDb.outbox.toArray()]);
		expect(left).toBe('[[],[],[]]');
		expect(await localDb.identity.count()).toBe(1);
	});
});

describe('what a try to send left, for the kiosk screen', () => {
	const { report, contact } = visitorReport();
	const row = createOutboxRow(report, contact);

	it('sent: the tracking code the server gave', () => {
		// No photo: the push alone delivers it.
		const pushed = transition(transition(row, { type: 'start' }), { type: 'push_ok', trackingCode: 'LD-2512-0042' });
		expect(pushed.state.kind).toBe('delivered');
		expect(sendOutcome(pushed)).toEqual({ kind: 'sent', trackingCode: 'LD-2512-0042' });
	});

	it('not sent: a network failure, a row still waiting, or a row gone are "try again"', () => {
		expect(sendOutcome(row)).toEqual({ kind: 'unreachable' });
		expect(sendOutcome(transition(transition(row, { type: 'start' }), { type: 'network_error' }))).toEqual({ kind: 'unreachable' });
		expect(sendOutcome(transition(transition(row, { type: 'start' }), { type: 'server_error' }))).toEqual({ kind: 'unreachable' });
		expect(sendOutcome(undefined)).toEqual({ kind: 'unreachable' });
	});

	it('refused: the reason, for the visitor to change the report', () => {
		const refused = transition(transition(row, { type: 'start' }), { type: 'push_rejected', code: 'unknown_ward' });
		expect(sendOutcome(refused)).toEqual({ kind: 'refused', code: 'unknown_ward' });
	});
});
