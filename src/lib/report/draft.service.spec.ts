import { beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../domain/common';
import { localDb } from '../sync/local-db';
import { transition } from '../sync/outbox';
import { buildReport } from './report-build';
import {
	addDraftPhoto,
	editFromOutbox,
	emptyDraft,
	loadCurrentDraft,
	removeFromOutbox,
	saveDraft,
	submitDraft
} from './draft.service';

const tenant = {
	id: 'lam-dong',
	codeSet: '2025',
	categories: [{ code: 'environment', nameVi: 'Môi trường', nameEn: 'Environment', icon: '🌿' }],
	adminUnits: [{ code: '24778', codeSet: '2025', name: 'Phường Lâm Viên - Đà Lạt', nameEn: 'Lam Vien', type: 'phường' }]
};
const ctx = { tenant, authorId: 'device:abc' };

function filled() {
	return {
		...emptyDraft(),
		categoryCode: 'environment',
		description: 'Rác đổ trộm',
		location: { source: 'gps' as const, lat: 11.95, lng: 108.45, accuracyM: 10 },
		wardCode: '24778'
	};
}

async function photo(reportId: string) {
	return addDraftPhoto({ id: uuidv7(), reportId, blob: new Blob(['x'], { type: 'image/jpeg' }), mime: 'image/jpeg', width: 10, height: 10, bytes: 1 });
}

beforeEach(async () => {
	await Promise.all([localDb.drafts.clear(), localDb.outbox.clear(), localDb.photos.clear()]);
});

describe('building a report from the form', () => {
	it('says the category is missing next to the category field', () => {
		const { report, errors } = buildReport({ ...filled(), categoryCode: '' }, ctx);
		expect(report).toBeUndefined();
		expect(errors.category).toBe('missing_category');
	});
	it('says the location is missing when there are neither coordinates nor a ward', () => {
		const { errors } = buildReport({ ...filled(), location: undefined, wardCode: undefined }, ctx);
		expect(errors.location).toBe('missing_location');
	});
	it('says the location is missing when coordinates fell outside every ward', () => {
		expect(buildReport({ ...filled(), wardCode: undefined }, ctx).errors.location).toBe('missing_location');
	});
	it('refuses a category or ward the tenant does not have', () => {
		expect(buildReport({ ...filled(), categoryCode: 'aliens' }, ctx).errors.category).toBe('unknown_category');
		expect(buildReport({ ...filled(), wardCode: '99999' }, ctx).errors.location).toBe('unknown_ward');
	});
	it('flags a mistyped phone number, and accepts a Vietnamese one with spaces', () => {
		expect(buildReport({ ...filled(), phone: '12345' }, ctx).errors.phone).toBe('phone_invalid');
		const ok = buildReport({ ...filled(), name: ' Nguyễn Văn A ', phone: '0912 345 678' }, ctx);
		expect(ok.errors).toEqual({});
		expect(ok.contact).toMatchObject({ name: 'Nguyễn Văn A', phone: '0912345678', reportId: ok.report!.id });
	});
	it('builds a valid report with no contact when name and phone are empty', () => {
		const { report, contact, errors } = buildReport(filled(), ctx);
		expect(errors).toEqual({});
		expect(contact).toBeUndefined();
		expect(report).toMatchObject({ tenantId: 'lam-dong', wardCodeSet: '2025', authorId: 'device:abc' });
	});
	it('accepts a ward picked from the list without coordinates', () => {
		expect(buildReport({ ...filled(), location: { source: 'ward' } }, ctx).errors).toEqual({});
	});
});

describe('draft → outbox → back into the form', () => {
	it('restores the draft being written after a reload', async () => {
		const d = filled();
		await saveDraft(d);
		expect(await loadCurrentDraft()).toMatchObject({ id: d.id, description: 'Rác đổ trộm', wardCode: '24778' });
	});

	it('submitting moves the draft to the outbox in one go and keeps the photos', async () => {
		const d = filled();
		const p = await photo(d.id);
		d.photoIds = [p.id];
		await saveDraft(d);
		const { report, contact } = buildReport({ ...d, phone: '0912345678' }, ctx);
		await submitDraft(d.id, report!, contact);
		expect(await localDb.drafts.count()).toBe(0);
		const row = await localDb.outbox.get(d.id);
		expect(row?.state.kind).toBe('waiting');
		expect(row?.photoIds).toEqual([p.id]);
		expect(row?.contact?.phone).toBe('0912345678');
		expect(await localDb.photos.get(p.id)).toBeTruthy();
	});

	it('a report refused by the server comes back into the form with everything', async () => {
		const d = { ...filled(), name: 'Chị Lan', phone: '0912345678' };
		const p = await photo(d.id);
		d.photoIds = [p.id];
		const { report, contact } = buildReport(d, ctx);
		await submitDraft(d.id, report!, contact);
		const row = (await localDb.outbox.get(d.id))!;
		await localDb.outbox.put(transition(transition(row, { type: 'start' }), { type: 'push_rejected', code: 'unknown_ward' }));

		const draft = await editFromOutbox(d.id);
		expect(draft).toMatchObject({ id: d.id, categoryCode: 'environment', wardCode: '24778', name: 'Chị Lan', phone: '0912345678', photoIds: [p.id] });
		expect(await localDb.outbox.get(d.id)).toBeUndefined();
		expect((await loadCurrentDraft()).id).toBe(d.id);
		expect(await localDb.photos.get(p.id)).toMatchObject({ status: 'pending' });
	});

	it('a report still on its way cannot be pulled back into the form', async () => {
		const d = filled();
		const { report } = buildReport(d, ctx);
		await submitDraft(d.id, report!, undefined);
		expect(await editFromOutbox(d.id)).toBeNull();
		expect(await localDb.outbox.get(d.id)).toBeTruthy();
	});

	it('remove of a report the server stored keeps the row and its photos still uploading', async () => {
		const d = filled();
		const p = await photo(d.id);
		d.photoIds = [p.id];
		const { report } = buildReport(d, ctx);
		await submitDraft(d.id, report!, undefined);
		const row = (await localDb.outbox.get(d.id))!;
		await localDb.outbox.put(transition(transition(row, { type: 'start' }), { type: 'push_ok', trackingCode: 'LD-1' }));
		expect(await removeFromOutbox(d.id)).toBe(false);
		expect((await localDb.outbox.get(d.id))?.state.kind).toBe('photos');
		expect(await localDb.photos.get(p.id)).toMatchObject({ status: 'pending', blob: expect.anything() });
	});

	it('remove deletes the row and its photos', async () => {
		const d = filled();
		const p = await photo(d.id);
		d.photoIds = [p.id];
		const { report } = buildReport(d, ctx);
		await submitDraft(d.id, report!, undefined);
		expect(await removeFromOutbox(d.id)).toBe(true);
		expect(await localDb.outbox.count()).toBe(0);
		expect(await localDb.photos.count()).toBe(0);
	});
});
