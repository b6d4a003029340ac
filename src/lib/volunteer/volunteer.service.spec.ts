import { beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../domain/common';
import { addDraftPhoto, emptyDraft, loadCurrentDraft, saveDraft, submitDraft } from '../report/draft.service';
import { buildReport } from '../report/report-build';
import { localDb, type StaffSession } from '../sync/local-db';
import {
	countUnsentAssisted,
	villagerErrors,
	volunteerState,
	wipeAssistedData,
	withConsent
} from './volunteer.service';

const tenant = {
	id: 'lam-dong',
	codeSet: '2025',
	categories: [{ code: 'environment', nameVi: 'Môi trường', nameEn: 'Environment', icon: '🌿' }],
	adminUnits: [{ code: '24778', codeSet: '2025', name: 'Phường Lâm Viên - Đà Lạt', nameEn: 'Lam Vien', type: 'phường' }]
};
const VOLUNTEER = 'staff:tcns-lang-biang';
const T0 = 1_750_000_000_000;

function session(role: StaffSession['user']['role'], expiresAt = Date.now() + 3_600_000): StaffSession {
	const username = role === 'volunteer' ? 'tcns-lang-biang' : 'ubnd-lam-vien';
	return { key: 'staff', username, token: 'tok', expiresAt, user: { sub: `staff:${username}`, role, tenantId: 'lam-dong', unitIds: [] } };
}

/** Files a report for a villager as the volunteer form does: draft (+ photo) → outbox. */
async function fileForVillager(name: string, phone: string, description: string): Promise<string> {
	const draft = {
		...emptyDraft(),
		assistedBy: VOLUNTEER,
		categoryCode: 'environment',
		description,
		location: { source: 'ward' as const },
		wardCode: '24778',
		name,
		phone
	};
	const photo = await addDraftPhoto({ id: uuidv7(), reportId: draft.id, blob: new Blob(['jpeg'], { type: 'image/jpeg' }), mime: 'image/jpeg', width: 1, height: 1, bytes: 4 });
	draft.photoIds = [photo.id];
	await saveDraft(draft);
	const built = buildReport(draft, { tenant, authorId: VOLUNTEER });
	expect(built.errors).toEqual({});
	await submitDraft(draft.id, built.report!, withConsent(built.contact!));
	return draft.id;
}

beforeEach(async () => {
	await Promise.all(localDb.tables.map((t) => t.clear()));
});

describe('the volunteer on the device', () => {
	it('tells a volunteer session from an expired one and from a handler signed in on the device', async () => {
		expect((await volunteerState()).kind).toBe('signed_out');
		await localDb.identity.put(session('volunteer'));
		expect((await volunteerState()).kind).toBe('signed_in');
		await localDb.identity.put(session('volunteer', Date.now() - 1));
		expect((await volunteerState()).kind).toBe('expired');
		await localDb.identity.put(session('handler'));
		expect((await volunteerState()).kind).toBe('other_staff');
	});

	it("needs the villager's name or phone and their consent", () => {
		expect(villagerErrors({ name: ' ', phone: '' }, false)).toEqual(['villagerMissing', 'consentMissing']);
		expect(villagerErrors({ name: 'Bà Ka Nhi', phone: '' }, true)).toEqual([]);
		expect(villagerErrors({ name: '', phone: '0912345678' }, false)).toEqual(['consentMissing']);
	});

	it("keeps the volunteer's draft apart from the resident's own form", async () => {
		const mine = { ...emptyDraft(T0), description: 'của tôi', updatedAt: T0 };
		await localDb.drafts.put(mine);
		await localDb.drafts.put({ ...emptyDraft(T0 + 1), assistedBy: VOLUNTEER, name: 'Bà Ka Nhi', updatedAt: T0 + 1 });
		// saveDraft stamps updatedAt with the clock: write directly so the volunteer's is the newest.
		expect((await loadCurrentDraft()).id).toBe(mine.id);
		expect((await loadCurrentDraft(VOLUNTEER)).name).toBe('Bà Ka Nhi');
		const other = await loadCurrentDraft('staff:tcns-xuan-truong');
		expect(other).toMatchObject({ name: '', assistedBy: 'staff:tcns-xuan-truong' });
	});

	it('files are queued to be sent as the volunteer, with the consent recorded', async () => {
		const id = await fileForVillager('Bà Ka Nhi', '0912345678', 'Sạt lở đường vào thôn');
		const row = (await localDb.outbox.get(id))!;
		expect(row.sender).toBe('staff');
		expect(row.report).toMatchObject({ authorId: VOLUNTEER, assistedBy: VOLUNTEER });
		expect(row.contact).toMatchObject({ name: 'Bà Ka Nhi', phone: '0912345678', consent: true, authorId: VOLUNTEER });
		expect(await countUnsentAssisted()).toBe(1);
	});

	it("signing out leaves nothing of the villagers, and keeps the resident's own things", async () => {
		await localDb.identity.put({ key: 'device', deviceId: 'd1', secret: 's' });
		await localDb.identity.put(session('volunteer'));
		const a = await fileForVillager('Bà Ka Nhi', '0912345678', 'Sạt lở đường vào thôn');
		const b = await fileForVillager('Ông Ha Sơn', '0987654321', 'Cây đổ chắn đường');
		// One delivered: its photo blob is gone, but the record and the report id remain until sign-out.
		await localDb.outbox.update(b, { state: { kind: 'delivered', trackingCode: 'LD-1' }, trackingCode: 'LD-1' });
		// A form being filled for the next villager, and rows elsewhere that name a filed report.
		await localDb.drafts.put({ ...emptyDraft(), assistedBy: VOLUNTEER, name: 'Chị H’Lan', phone: '0911111111' });
		await localDb.follows.put({ reportId: a, followedAt: T0 });
		await localDb.notices.put({ id: uuidv7(), reportId: b, type: 'received', at: new Date(T0).toISOString(), read: 0 });
		await localDb.publicReports.put({ id: b, cachedAt: T0 } as never);
		// The resident's own draft and report on the same phone.
		const own = { ...emptyDraft(), description: 'của tôi' };
		await localDb.drafts.put(own);
		const template = (await localDb.outbox.get(a))!;
		await localDb.outbox.put({
			...template,
			reportId: 'resident-1',
			sender: 'device',
			report: { ...template.report, id: 'resident-1', authorId: 'device:d1', assistedBy: undefined, description: 'của tôi', photoIds: [] },
			contact: undefined,
			photoIds: []
		});

		expect(await countUnsentAssisted()).toBe(2);
		expect(await wipeAssistedData()).toEqual({ reports: 3 });

		const dump = JSON.stringify(await Promise.all(localDb.tables.map((t) => t.toArray())));
		for (const secret of ['Ka Nhi', '0912345678', 'Ha Sơn', '0987654321', 'H’Lan', '0911111111', a, b, 'Sạt lở', 'Cây đổ'])
			expect(dump, secret).not.toContain(secret);
		expect(await localDb.identity.get('staff')).toBeUndefined();
		expect(await localDb.identity.get('device')).toBeTruthy();
		expect(await localDb.drafts.get(own.id)).toBeTruthy();
		expect(await localDb.outbox.get('resident-1')).toBeTruthy();
		expect(await countUnsentAssisted()).toBe(0);
	});

	it("signing out never removes a handler's session", async () => {
		await localDb.identity.put(session('handler'));
		await wipeAssistedData();
		expect(await localDb.identity.get('staff')).toBeTruthy();
	});
});
