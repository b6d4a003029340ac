/**
 * Assisted filing by community digital-tech teams (Tổ công nghệ số cộng đồng) against the real
 * sync-server: a volunteer's report carries assistedBy and the villager's consent, nobody else may
 * claim assistance, the villager's contact reaches only the handlers of the assigned units, and the
 * device's outbox sends a volunteer's filings with the volunteer's token — never the device's.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { localDb } from '$lib/sync/local-db';
import { flushOutbox } from '$lib/sync/outbox-sender';
import { getStaffSession } from '$lib/sync/session';
import { volunteerLogin } from '$lib/volunteer/volunteer.service';
import { makeContact, makeEvent, makeReport, pullAll, push, reportAs, signIn, startServer, type DeviceSession, type Session, type TestServer } from './harness';
import { queueOutboxReport, readFixtureJpeg } from './outbox-queue';

let srv: TestServer;
let volunteer: Session; // tcns-lang-biang
let otherVolunteer: Session; // tcns-xuan-truong
let resident: DeviceSession;
let otherResident: DeviceSession;
let lamVien: Session; // handler of Lâm Viên ward committee: reports in ward 24778 are routed to it
let police: Session; // handler of a unit an environment report is not assigned to

beforeAll(async () => {
	srv = await startServer();
	[volunteer, otherVolunteer, resident, otherResident, lamVien, police] =
		await signIn(srv.url, 'tcns-lang-biang', 'tcns-xuan-truong', 'device', 'device', 'ubnd-lam-vien', 'police');
});
afterAll(() => srv?.close());

/** A villager's report as the volunteer's device writes it. */
function assisted(s: Session, overrides: Record<string, unknown> = {}) {
	return makeReport(s.user.sub, { assistedBy: s.user.sub, description: 'Sạt lở đường vào thôn Đạ Nghịt', ...overrides });
}

function villagerContact(report: { id: string; authorId: string }, overrides: Record<string, unknown> = {}) {
	return makeContact(report, { name: 'Bà K’Nhi', phone: '0988111222', consent: true, ...overrides });
}

describe('assisted filing on the server', () => {
	it("signs a volunteer in with their role and their commune's unit, which shows them none of its reports", async () => {
		// The unit only says where the team works (its wards head the form's list), never what it may read.
		expect(volunteer.user).toMatchObject({ sub: 'staff:tcns-lang-biang', role: 'volunteer', unitIds: ['ubnd-lang-biang'] });
		const villagersOwn = makeReport(resident.user.sub, { wardCode: '24846', description: `Đèn hỏng ${uuidv7()}` });
		expect((await push(srv.url, resident.token, 'reports', [villagersOwn])).body.rejected).toEqual([]);
		expect((await pullAll(srv.url, volunteer.token, 'reports')).docs.map((d) => d.id)).not.toContain(villagersOwn.id);
	});

	it("stores a volunteer's report with assistedBy and the villager's contact with consent", async () => {
		const report = assisted(volunteer);
		const r = await push(srv.url, volunteer.token, 'reports', [report]);
		expect(r.body.rejected).toEqual([]);
		expect(r.body.conflicts[0]).toMatchObject({ id: report.id, assistedBy: volunteer.user.sub, trackingCode: expect.stringMatching(/^LD-/) });
		const c = await push(srv.url, volunteer.token, 'contacts', [villagerContact(report)]);
		expect(c.body.rejected).toEqual([]);

		// The volunteer reads back what they filed (their list on another day, another phone).
		const reports = (await pullAll(srv.url, volunteer.token, 'reports')).docs;
		expect(reports.find((d) => d.id === report.id)).toMatchObject({ assistedBy: volunteer.user.sub, authorId: volunteer.user.sub });
		const contacts = (await pullAll(srv.url, volunteer.token, 'contacts')).docs;
		expect(contacts.find((d) => d.reportId === report.id)).toMatchObject({ consent: true, phone: '0988111222' });
	});

	it('refuses the villager\'s contact without consent, or with neither name nor phone: consent_required', async () => {
		const report = assisted(volunteer);
		await push(srv.url, volunteer.token, 'reports', [report]);
		const noConsent = villagerContact(report, { consent: undefined });
		const refused = villagerContact(report, { consent: false });
		const anonymous = villagerContact(report, { name: undefined, phone: undefined });
		const r = await push(srv.url, volunteer.token, 'contacts', [noConsent, refused, anonymous]);
		expect(r.body.rejected.map((x) => [x.id, x.code])).toEqual([
			[noConsent.id, 'consent_required'],
			[refused.id, 'consent_required'],
			[anonymous.id, 'consent_required']
		]);
		// Nothing of them was stored.
		const contacts = (await pullAll(srv.url, volunteer.token, 'contacts')).docs;
		expect(contacts.filter((d) => d.reportId === report.id)).toEqual([]);
	});

	it("refuses a volunteer's report without assistedBy, or naming someone else, and stores nothing", async () => {
		const missing = makeReport(volunteer.user.sub);
		const someoneElse = assisted(volunteer, { assistedBy: otherVolunteer.user.sub });
		const r = await push(srv.url, volunteer.token, 'reports', [missing, someoneElse]);
		expect(r.body.rejected).toEqual([
			expect.objectContaining({ id: missing.id, code: 'validation_failed', path: ['assistedBy'] }),
			expect.objectContaining({ id: someoneElse.id, code: 'validation_failed', path: ['assistedBy'] })
		]);
		expect(r.body.conflicts).toEqual([]);
		const ids = (await pullAll(srv.url, volunteer.token, 'reports')).docs.map((d) => d.id);
		expect(ids).not.toContain(missing.id);
		expect(ids).not.toContain(someoneElse.id);
	});

	it('refuses a resident (or a handler) claiming assistance: validation_failed on assistedBy', async () => {
		const forged = makeReport(resident.user.sub, { assistedBy: volunteer.user.sub });
		const own = makeReport(resident.user.sub, { assistedBy: resident.user.sub });
		const r = await push(srv.url, resident.token, 'reports', [forged, own]);
		expect(r.body.rejected.map((x) => [x.id, x.code, x.path])).toEqual([
			[forged.id, 'validation_failed', ['assistedBy']],
			[own.id, 'validation_failed', ['assistedBy']]
		]);
		const byHandler = makeReport(lamVien.user.sub, { assistedBy: lamVien.user.sub });
		expect((await push(srv.url, lamVien.token, 'reports', [byHandler])).body.rejected[0]).toMatchObject({ code: 'validation_failed' });
		// A resident's ordinary report still goes through.
		expect((await push(srv.url, resident.token, 'reports', [makeReport(resident.user.sub)])).body.rejected).toEqual([]);
	});

	it("shows the villager's contact to the assigned handler only; other residents and volunteers see nothing of it", async () => {
		const report = assisted(volunteer, { description: `Rác thải bên suối ${uuidv7()}` });
		await push(srv.url, volunteer.token, 'reports', [report]);
		const contact = villagerContact(report, { name: 'Ông Ha Sơn', phone: '0977333444' });
		expect((await push(srv.url, volunteer.token, 'contacts', [contact])).body.rejected).toEqual([]);

		const handlerContacts = (await pullAll(srv.url, lamVien.token, 'contacts')).docs;
		expect(handlerContacts.find((d) => d.id === contact.id)).toMatchObject({ name: 'Ông Ha Sơn', phone: '0977333444', consent: true });
		expect(await reportAs(srv.url, lamVien, report.id)).toMatchObject({ assistedBy: volunteer.user.sub });

		for (const outsider of [otherResident, otherVolunteer, police, resident]) {
			const bytes = JSON.stringify([
				(await pullAll(srv.url, outsider.token, 'contacts')).docs,
				(await pullAll(srv.url, outsider.token, 'reports')).docs
			]);
			expect(bytes, outsider.user.sub).not.toContain('0977333444');
			expect(bytes, outsider.user.sub).not.toContain('Ha Sơn');
			expect(bytes, outsider.user.sub).not.toContain(report.id);
		}
	});

	it('a volunteer cannot push handling events, nor a resident\'s feedback, on what they filed', async () => {
		const report = assisted(volunteer);
		await push(srv.url, volunteer.token, 'reports', [report]);
		const event = (type: string, extra: Record<string, unknown> = {}) => makeEvent(volunteer, report, type, extra);
		const events = [event('seen'), event('accepted'), event('resolved', { note: 'xong' }), event('feedback', { satisfied: true })];
		const r = await push(srv.url, volunteer.token, 'events', events);
		expect(r.body.rejected.map((x) => x.code)).toEqual(['forbidden_scope', 'forbidden_scope', 'forbidden_scope', 'forbidden_scope']);
		const stored = (await pullAll(srv.url, lamVien.token, 'events')).docs.filter((d) => d.actorId === volunteer.user.sub);
		expect(stored).toEqual([]);
	});
});

describe("the device's outbox sends a volunteer's filings as the volunteer", () => {
	let jpeg: Blob;
	beforeAll(async () => {
		jpeg = await readFixtureJpeg();
	});
	beforeEach(async () => {
		await Promise.all([localDb.outbox.clear(), localDb.photos.clear(), localDb.identity.clear()]);
	});

	/** Queues a filing for a villager as the volunteer form does (report with assistedBy, contact with consent, a photo), in Lâm Viên ward. */
	const queueAssisted = (sub: string, description: string) =>
		queueOutboxReport({
			authorId: sub,
			assistedBy: sub,
			description,
			wardCode: '24778',
			photos: [jpeg],
			contact: { name: 'Bà K’Nhi', phone: '0988111222', consent: true }
		});

	const stored = (id: string) => reportAs(srv.url, lamVien, id);

	it('delivers with the volunteer\'s token: report, consented contact and photo, with a tracking code', async () => {
		await volunteerLogin('tcns-lang-biang', 'demo1234', srv.url);
		const id = await queueAssisted('staff:tcns-lang-biang', 'Đèn đường hỏng ở thôn');
		expect((await localDb.outbox.get(id))!.sender).toBe('staff');
		const result = await flushOutbox({ origin: srv.url });
		expect(result).toEqual({ delivered: 1, waiting: 0, needsAttention: 0 });
		const row = (await localDb.outbox.get(id))!;
		expect(row.state).toEqual({ kind: 'delivered', trackingCode: expect.stringMatching(/^LD-/) });
		expect(row.warnings).toBeUndefined();
		expect(await stored(id)).toMatchObject({ authorId: 'staff:tcns-lang-biang', assistedBy: 'staff:tcns-lang-biang', trackingCode: row.trackingCode });
		const contacts = (await pullAll(srv.url, lamVien.token, 'contacts')).docs;
		expect(contacts.find((c) => c.reportId === id)).toMatchObject({ consent: true, phone: '0988111222' });
		const media = (await pullAll(srv.url, lamVien.token, 'media')).docs.filter((m) => m.reportId === id);
		expect(media.map((m) => [m.status, m.authorId])).toEqual([['ready', 'staff:tcns-lang-biang']]);
	});

	it('with no volunteer signed in the filing waits for a sign-in — never sent as the device — then goes', async () => {
		const id = await queueAssisted('staff:tcns-lang-biang', 'Cây đổ chắn đường');
		const result = await flushOutbox({ origin: srv.url, force: true });
		expect(result).toMatchObject({ delivered: 0, needsAttention: 0 });
		expect((await localDb.outbox.get(id))!.state).toEqual({ kind: 'login_required' });
		// The device did not even register: nothing was sent in its name.
		expect((await localDb.identity.get('device'))?.token).toBeUndefined();
		expect(await stored(id)).toBeUndefined();
		// Not picked up again until the volunteer is back.
		await flushOutbox({ origin: srv.url, force: true });
		expect((await localDb.outbox.get(id))!.state.kind).toBe('login_required');

		await volunteerLogin('tcns-lang-biang', 'demo1234', srv.url);
		expect(await flushOutbox({ origin: srv.url })).toMatchObject({ delivered: 1 });
		expect(await stored(id)).toMatchObject({ authorId: 'staff:tcns-lang-biang' });
	});

	it('an expired session, or another volunteer signed in, leaves the filing waiting', async () => {
		const id = await queueAssisted('staff:tcns-lang-biang', 'Ổ gà trên đường');
		const s = await volunteerLogin('tcns-lang-biang', 'demo1234', srv.url);
		await localDb.identity.put({ ...s, expiresAt: Date.now() - 1_000 });
		await flushOutbox({ origin: srv.url, force: true });
		expect((await localDb.outbox.get(id))!.state.kind).toBe('login_required');

		await volunteerLogin('tcns-xuan-truong', 'demo1234', srv.url);
		await flushOutbox({ origin: srv.url, force: true });
		expect((await localDb.outbox.get(id))!.state.kind).toBe('login_required');
		expect(await stored(id)).toBeUndefined();
	});

	it('a token the server refuses marks the session expired and the filing waits for a sign-in', async () => {
		const id = await queueAssisted('staff:tcns-lang-biang', 'Nước tràn mặt đường');
		const s = await volunteerLogin('tcns-lang-biang', 'demo1234', srv.url);
		await localDb.identity.put({ ...s, token: `${s.token}x` });
		await flushOutbox({ origin: srv.url, force: true });
		expect((await localDb.outbox.get(id))!.state.kind).toBe('login_required');
		expect(await getStaffSession()).toMatchObject({ session: null, expired: true });
		expect(await stored(id)).toBeUndefined();
	});

	it('refuses a handler account on the volunteer sign-in and keeps what was stored', async () => {
		const before = await volunteerLogin('tcns-lang-biang', 'demo1234', srv.url);
		await expect(volunteerLogin('ubnd-lam-vien', 'demo1234', srv.url)).rejects.toMatchObject({ code: 'forbidden_scope' });
		expect((await getStaffSession()).session?.token).toBe(before.token);
	});
});
