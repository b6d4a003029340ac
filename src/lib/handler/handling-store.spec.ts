import { beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../domain/uuid';
import { localDb, type PhotoRow } from '../sync/local-db';
import {
	dismissRefusal,
	dropStepDraft,
	forgetHandlingData,
	getDeviceOwner,
	latestStepDraft,
	loadStepDraft,
	recordRefusal,
	refusedIds,
	saveStepDraft,
	setDeviceOwner,
	watchRefusals,
	type RefusedStep,
	type StepDraft
} from './handling-store';

const reportId = uuidv7();

function draft(action: StepDraft['action'], note: string): StepDraft {
	return { reportId, action, eventId: uuidv7(), note, unitIds: [], photoIds: [], updatedAt: 0 };
}
function photo(eventId: string | undefined): PhotoRow {
	return { id: uuidv7(), reportId, ...(eventId ? { eventId } : {}), mime: 'image/webp', width: 1, height: 1, bytes: 1, sent: 0, status: 'pending', createdAt: Date.now() };
}

beforeEach(async () => {
	await localDb.settings.clear();
	await localDb.photos.clear();
});

describe('step drafts', () => {
	it('keep what was typed, per report and step; the last one written reopens', async () => {
		await saveStepDraft(draft('progress', 'Đang liên hệ'));
		await new Promise((r) => setTimeout(r, 5));
		await saveStepDraft(draft('resolve', 'Đã xử lý'));
		expect((await loadStepDraft(reportId, 'progress'))?.note).toBe('Đang liên hệ');
		expect((await latestStepDraft(reportId))?.action).toBe('resolve');
		expect(await latestStepDraft(uuidv7())).toBeNull();
	});

	it('cancelled, a draft takes its photos along; sent, its photos stay for upload', async () => {
		const cancelled = draft('progress', 'x');
		const sent = draft('resolve', 'y');
		await Promise.all([saveStepDraft(cancelled), saveStepDraft(sent)]);
		const [p1, p2] = [photo(cancelled.eventId), photo(sent.eventId)];
		await localDb.photos.bulkPut([p1, p2]);

		await dropStepDraft(reportId, 'progress', { withPhotos: true });
		await dropStepDraft(reportId, 'resolve', { withPhotos: false });

		expect(await localDb.photos.get(p1.id)).toBeUndefined();
		expect(await localDb.photos.get(p2.id)).toBeDefined();
		expect(await latestStepDraft(reportId)).toBeNull();
	});
});

describe('refused steps', () => {
	it('are kept until dismissed, and stay excluded afterwards', async () => {
		const eventId = uuidv7();
		await localDb.photos.put(photo(eventId));
		const seen: RefusedStep[][] = [];
		const stop = watchRefusals((r) => seen.push(r));
		await recordRefusal({ eventId, reportId, type: 'resolved', code: 'report_closed', message: 'closed' });
		await expect.poll(() => seen.at(-1)?.length).toBe(1);
		expect(seen.at(-1)?.[0]).toMatchObject({ code: 'report_closed', dismissed: false });

		await dismissRefusal(eventId);
		await expect.poll(() => seen.at(-1)?.[0]?.dismissed).toBe(true);
		stop();
		expect(await refusedIds()).toEqual(new Set([eventId]));
		expect(await localDb.photos.where('eventId').equals(eventId).count()).toBe(0);
	});
});

describe('logout', () => {
	it('forgets drafts, refusals, the owner and every step photo, but not a resident’s report photos', async () => {
		await saveStepDraft(draft('progress', 'x'));
		await recordRefusal({ eventId: uuidv7(), reportId, type: 'accepted', code: 'forbidden_scope', message: '' });
		await setDeviceOwner({ sub: 'staff:ubnd-lam-vien', username: 'ubnd-lam-vien' });
		await localDb.settings.put({ key: 'push-subscription', value: 1 });
		const reportPhoto = photo(undefined);
		await localDb.photos.bulkPut([photo(uuidv7()), reportPhoto]);

		await forgetHandlingData();

		expect(await getDeviceOwner()).toBeNull();
		expect((await localDb.settings.toArray()).map((r) => r.key)).toEqual(['push-subscription']);
		expect((await localDb.photos.toArray()).map((p) => p.id)).toEqual([reportPhoto.id]);
	});
});
