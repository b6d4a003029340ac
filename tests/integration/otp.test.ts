/**
 * Phone verification by one-time code against the real server: codes, refusals and limits; then the
 * reports filed before verification (on this device, on another one, by a volunteer for a villager)
 * linked to the verified person and pulled by their devices, and a replication that starts again
 * from empty checkpoints when the phone is verified.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { Checkpoint } from '$lib/domain/sync-protocol';
import { onPersonLinked, restartFromScratch } from '$lib/account/person-link';
import { getVerifiedPhone, requestCode, verifyCode } from '$lib/account/phone-verify.service';
import { openDatabase, type CauNoiDatabase } from '$lib/sync/db';
import { localDb } from '$lib/sync/local-db';
import { startReplication } from '$lib/sync/replication';
import { deviceActorId, getDeviceToken } from '$lib/sync/session';
import { act, call, deviceSession, fileReport, login, makeContact, makeEvent, makeReport, pull, pullAll, push, reportAs, signIn, startServer } from './harness';
import type { DeviceSession, Session, TestServer } from './harness';

let srv: TestServer;
/** The server clock runs `skewMs` ahead of the real one: a test moves it to expire a code. */
let skewMs = 0;
let phoneSeq = 0;
/** A fresh phone per test: limits are per phone. */
const newPhone = () => `09${String(Date.now() % 1e6).padStart(6, '0')}${String(phoneSeq++ % 100).padStart(2, '0')}`;

beforeAll(async () => {
	srv = await startServer({ otpTestEndpoint: true, otpIpLimit: 1000, now: () => new Date(Date.now() + skewMs) });
});
afterAll(() => srv?.close());

const requestOtp = (token: string | undefined, phone: string) =>
	call<{ sent: boolean; expiresAt: string; resendAfterSeconds: number }>(`${srv.url}/api/auth/otp/request`, { token, body: { phone } });
const verifyOtp = (token: string | undefined, phone: string, code: string) =>
	call<{ token: string; user: Session['user']; personId: string; phone: string; linkedReports: number; resync: boolean }>(
		`${srv.url}/api/auth/otp/verify`,
		{ token, body: { phone, code } }
	);
async function lastCode(phone: string): Promise<string> {
	const r = await call<{ code: string }>(`${srv.url}/api/test/otp?phone=${encodeURIComponent(phone)}`);
	expect(r.status).toBe(200);
	return r.body.code;
}
/** A code different from the right one. */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function verified(device: DeviceSession, phone: string) {
	expect((await requestOtp(device.token, phone)).status).toBe(200);
	const r = await verifyOtp(device.token, phone, await lastCode(phone));
	expect(r.status).toBe(200);
	return r.body;
}

describe('one-time codes', () => {
	it('a code sent to a phone verifies the device: its token, now and later, names the person', async () => {
		const device = await deviceSession(srv.url);
		const phone = newPhone();
		const req = await requestOtp(device.token, phone.replace(/^0/, '+84'));
		expect(req.status).toBe(200);
		expect(req.body).toEqual({ sent: true, expiresAt: expect.any(String), resendAfterSeconds: 60 });
		expect(Date.parse(req.body.expiresAt) - (Date.now() + skewMs)).toBeGreaterThan(4 * 60_000);

		const code = await lastCode(phone);
		expect(code).toMatch(/^\d{6}$/);
		const ok = await verifyOtp(device.token, `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`, code);
		expect(ok.status).toBe(200);
		expect(ok.body).toMatchObject({ phone, personId: expect.stringMatching(/^person:[0-9a-f-]{36}$/), resync: true });
		expect(ok.body.user).toMatchObject({ sub: device.user.sub, role: 'resident', personId: ok.body.personId });
		expect((await pull(srv.url, ok.body.token, 'reports')).status).toBe(200);

		// The device renews its token with its secret: the person stays.
		const again = await deviceSession(srv.url, device.deviceId, device.secret);
		expect(again.user.personId).toBe(ok.body.personId);
	});

	it('the test endpoint does not exist unless OTP_TEST_ENDPOINT=1', async () => {
		const plain = await startServer();
		try {
			const device = await deviceSession(plain.url);
			const phone = newPhone();
			expect((await call(`${plain.url}/api/auth/otp/request`, { token: device.token, body: { phone } })).status).toBe(200);
			const r = await call(`${plain.url}/api/test/otp?phone=${phone}`);
			expect(r.status).toBe(404);
			expect(r.body).toMatchObject({ error: { code: 'not_found' } });
		} finally {
			await plain.close();
		}
	});

	it('a wrong code is refused and counted; the right one still works after it', async () => {
		const device = await deviceSession(srv.url);
		const phone = newPhone();
		await requestOtp(device.token, phone);
		const code = await lastCode(phone);
		const bad = await verifyOtp(device.token, phone, wrong(code));
		expect(bad.status).toBe(400);
		expect(bad.body).toMatchObject({ error: { code: 'otp_invalid', details: { attemptsLeft: 4 } } });
		// Not 6 digits: refused without using up a try.
		expect((await verifyOtp(device.token, phone, '12ab')).body).toMatchObject({ error: { code: 'otp_invalid' } });
		expect((await verifyOtp(device.token, phone, code)).status).toBe(200);
	});

	it('guessing: after 5 wrong codes the code is locked, even the right code fails, and no new code for a while', async () => {
		const device = await deviceSession(srv.url);
		const phone = newPhone();
		await requestOtp(device.token, phone);
		const code = await lastCode(phone);
		const answers: string[] = [];
		for (let i = 0; i < 6; i++) {
			const r = await verifyOtp(device.token, phone, wrong(String(Number(code) + i)));
			answers.push(`${r.status} ${(r.body as unknown as { error: { code: string } }).error.code}`);
		}
		expect(answers).toEqual([...Array(5).fill('400 otp_invalid'), '429 otp_locked']);
		const right = await verifyOtp(device.token, phone, code);
		expect(right.status).toBe(429);
		expect(right.body).toMatchObject({ error: { code: 'otp_locked' } });
		// The device that locked its code gets no new one for a while…
		const fresh = await requestOtp(device.token, phone);
		expect(fresh.status).toBe(429);
		expect(fresh.body).toMatchObject({ error: { code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } } });
		// …while the lock is that device's: another device (the phone's owner, if the guesser was not)
		// still gets a code of its own for the phone, and it works.
		const other = await deviceSession(srv.url);
		expect((await requestOtp(other.token, phone)).status).toBe(200);
		expect((await verifyOtp(other.token, phone, await lastCode(phone))).status).toBe(200);
	});

	it('a code works only on the device that asked for it; another device’s try costs the owner nothing', async () => {
		const [owner, other] = await signIn(srv.url, 'device', 'device');
		const phone = newPhone();
		await requestOtp(owner.token, phone);
		const code = await lastCode(phone);
		// The right code from another device: refused as if no code were waiting for it (no try count shown).
		const elsewhere = await verifyOtp(other.token, phone, code);
		expect(elsewhere.status).toBe(400);
		expect(elsewhere.body).toEqual({ error: { code: 'otp_invalid', message: expect.any(String) } });
		expect(await verifyOtp(other.token, phone, code)).toMatchObject({ status: 400 });
		// The owner's first wrong try is their first: nothing was counted for the other device.
		expect((await verifyOtp(owner.token, phone, wrong(code))).body).toMatchObject({ error: { code: 'otp_invalid', details: { attemptsLeft: 4 } } });
		const ok = await verifyOtp(owner.token, phone, code);
		expect(ok.status).toBe(200);
		expect(ok.body.user.sub).toBe(owner.user.sub);
	});

	it('a stranger’s wrong guesses do not lock the owner’s code', async () => {
		const [owner, stranger] = await signIn(srv.url, 'device', 'device');
		const phone = newPhone();
		await requestOtp(owner.token, phone);
		const code = await lastCode(phone);
		const answers = new Set<string>();
		for (let i = 0; i < 12; i++) {
			const r = await verifyOtp(stranger.token, phone, wrong(String(Number(code) + i)));
			answers.add(`${r.status} ${(r.body as unknown as { error: { code: string } }).error.code}`);
		}
		expect([...answers]).toEqual(['400 otp_invalid']);
		expect((await verifyOtp(owner.token, phone, code)).status).toBe(200);
	});

	it('a code used once is refused the second time', async () => {
		const device = await deviceSession(srv.url);
		const phone = newPhone();
		await requestOtp(device.token, phone);
		const code = await lastCode(phone);
		expect((await verifyOtp(device.token, phone, code)).status).toBe(200);
		const replay = await verifyOtp(device.token, phone, code);
		expect(replay.status).toBe(409);
		expect(replay.body).toMatchObject({ error: { code: 'otp_used' } });
		// Elsewhere it was never a code at all.
		const elsewhere = await verifyOtp((await deviceSession(srv.url)).token, phone, code);
		expect(elsewhere.body).toMatchObject({ error: { code: 'otp_invalid' } });
	});

	it('two requests with the same right code at once: one verifies, the other is told the code was used', async () => {
		const device = await deviceSession(srv.url);
		const phone = newPhone();
		await requestOtp(device.token, phone);
		const code = await lastCode(phone);
		const answers = await Promise.all([verifyOtp(device.token, phone, code), verifyOtp(device.token, phone, code)]);
		expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
	});

	it('a code older than 5 minutes has expired', async () => {
		const device = await deviceSession(srv.url);
		const phone = newPhone();
		await requestOtp(device.token, phone);
		const code = await lastCode(phone);
		skewMs += 5 * 60_000 + 1_000;
		const r = await verifyOtp(device.token, phone, code);
		expect(r.status).toBe(400);
		expect(r.body).toMatchObject({ error: { code: 'otp_expired' } });
	});

	it('a phone gets at most 3 codes in 15 minutes, whichever devices ask', async () => {
		const phone = newPhone();
		const statuses: number[] = [];
		for (let i = 0; i < 3; i++) statuses.push((await requestOtp((await deviceSession(srv.url)).token, phone)).status);
		const fourth = await requestOtp((await deviceSession(srv.url)).token, phone);
		expect(statuses).toEqual([200, 200, 200]);
		expect(fourth.status).toBe(429);
		expect(fourth.body).toMatchObject({ error: { code: 'rate_limited', message: expect.stringMatching(/phút.*\/.*wait/) } });
		expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
		// The window slides: 15 minutes later the phone gets a code again.
		skewMs += 15 * 60_000;
		expect((await requestOtp((await deviceSession(srv.url)).token, phone)).status).toBe(200);
	});

	it('a device gets at most 5 codes in 15 minutes, whatever the phones', async () => {
		const device = await deviceSession(srv.url);
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) statuses.push((await requestOtp(device.token, newPhone())).status);
		expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
	});

	it('needs a resident device token: none is 401, a staff token 403, a bad phone 400', async () => {
		const phone = newPhone();
		const noToken = await verifyOtp(undefined, phone, '123456');
		expect(noToken.status).toBe(401);
		expect(noToken.body).toMatchObject({ error: { code: 'unauthenticated' } });
		expect((await requestOtp(undefined, phone)).status).toBe(401);
		const handler = await login(srv.url, 'ubnd-lam-vien');
		expect((await requestOtp(handler.token, phone)).body).toMatchObject({ error: { code: 'forbidden_scope' } });
		const device = await deviceSession(srv.url);
		expect((await requestOtp(device.token, '12345')).body).toMatchObject({ error: { code: 'validation_failed' } });
	});
});

describe('reports filed before verification are linked to the person', () => {
	let lamVien: Session;
	let volunteer: Session;
	beforeAll(async () => {
		[lamVien, volunteer] = await signIn(srv.url, 'ubnd-lam-vien', 'tcns-lang-biang');
	});

	/** `s` files a report, with a contact naming `contact` (a phone, a name) when one is given. */
	const file = (s: Session, contact?: Record<string, unknown>, extra: Record<string, unknown> = {}) => fileReport(srv.url, s, extra, contact);

	it('this device’s earlier reports and a volunteer’s filing naming the phone: pulled with their events; another device’s once it verifies too; a stranger’s are not', async () => {
		const phone = newPhone();
		const [ana, anaOld, binh] = await signIn(srv.url, 'device', 'device', 'device');
		const own = await file(ana); // no contact at all
		// Filed from Ana's old phone, naming her number: to the server that is anyone typing it.
		const fromOldPhone = await file(anaOld, { phone: phone.replace(/^0/, '+84 ') });
		const assisted = await file(volunteer, { name: 'Bà Năm', phone, consent: true }, { assistedBy: volunteer.user.sub });
		const binhs = await file(binh, { phone: newPhone() });
		// A handler's step on the other device's report, before the verification.
		await act(srv.url, lamVien, fromOldPhone, 'accepted');

		const before = { reports: await pullAll(srv.url, ana.token, 'reports'), events: await pullAll(srv.url, ana.token, 'events') };
		expect(before.reports.docs.map((d) => d.id)).toEqual([own.id]);

		const v = await verified(ana, phone);
		expect(v.linkedReports).toBe(2);
		expect(v.resync).toBe(true);

		// An incremental pull brings the newly visible reports (a new change each)…
		const incremental = await pull(srv.url, v.token, 'reports', before.reports.checkpoint as Checkpoint);
		expect(incremental.body.documents.map((d) => d.id).sort()).toEqual([own.id, assisted.id].sort());
		// …and the pull from empty checkpoints the answer asks for brings their contacts and events too.
		let reports = (await pullAll(srv.url, v.token, 'reports')).docs;
		let events = (await pullAll(srv.url, v.token, 'events')).docs;
		let contacts = (await pullAll(srv.url, v.token, 'contacts')).docs;
		expect(reports.map((d) => d.id).sort()).toEqual([own.id, assisted.id].sort());
		for (const r of reports) expect(r.personId).toBe(v.personId);
		expect(events.filter((e) => e.reportId === assisted.id).map((e) => e.type).sort()).toEqual(['assigned', 'received']);
		expect(contacts.map((c) => c.reportId)).toEqual([assisted.id]);
		// The volunteer who filed it never gets the villager's person id back.
		expect(await reportAs(srv.url, volunteer, assisted.id)).not.toHaveProperty('personId');

		// The old phone verifies the number too: what it filed becomes Ana's, with its history.
		await verified(anaOld, phone);
		reports = (await pullAll(srv.url, v.token, 'reports')).docs;
		events = (await pullAll(srv.url, v.token, 'events')).docs;
		contacts = (await pullAll(srv.url, v.token, 'contacts')).docs;
		expect(reports.map((d) => d.id).sort()).toEqual([own.id, fromOldPhone.id, assisted.id].sort());
		expect(events.filter((e) => e.reportId === fromOldPhone.id).map((e) => e.type).sort()).toEqual(['accepted', 'assigned', 'received']);
		expect(contacts.map((c) => c.reportId).sort()).toEqual([fromOldPhone.id, assisted.id].sort());
		const everything = JSON.stringify([reports, events, contacts]);
		expect(everything).not.toContain(binhs.id);

		// Binh (a third resident) sees none of them.
		const binhSees = JSON.stringify([
			(await pullAll(srv.url, binh.token, 'reports')).docs,
			(await pullAll(srv.url, binh.token, 'contacts')).docs,
			(await pullAll(srv.url, binh.token, 'events')).docs
		]);
		for (const r of [own, fromOldPhone, assisted]) expect(binhSees).not.toContain(r.id);
		expect(binhSees).not.toContain(phone);

		// A second device verified with the same phone is the same person and sees the same reports.
		const anaTablet = await deviceSession(srv.url);
		const v2 = await verified(anaTablet, phone);
		expect(v2.personId).toBe(v.personId);
		const tablet = (await pullAll(srv.url, v2.token, 'reports')).docs.map((d) => d.id);
		expect(tablet.sort()).toEqual([own.id, fromOldPhone.id, assisted.id].sort());

		// After verification: a new report of the device carries the person from intake, and a
		// volunteer's filing naming the phone is claimed as its contact arrives.
		const later = await file({ token: v.token, user: v.user });
		expect(later.personId).toBe(v.personId);
		const laterAssisted = await file(volunteer, { name: 'Bà Năm', phone, consent: true }, { assistedBy: volunteer.user.sub });
		const now = (await pullAll(srv.url, v2.token, 'reports')).docs.map((d) => d.id);
		expect(now).toEqual(expect.arrayContaining([later.id, laterAssisted.id]));
	});

	it('the verified resident rates a resolved report filed from their old device', async () => {
		const phone = newPhone();
		const [oldPhone, newDevice, stranger] = await signIn(srv.url, 'device', 'device', 'device');
		const report = await file(oldPhone, { phone });
		// The old device proves the number is its own (a phone typed into a contact proves nothing).
		await verified(oldPhone, phone);
		await act(srv.url, lamVien, report, 'accepted');
		await act(srv.url, lamVien, report, 'resolved', { note: 'Đã thu gom rác' });

		// Not theirs yet: refused.
		const early = await push(srv.url, newDevice.token, 'events', [makeEvent(newDevice, report, 'feedback', { satisfied: true })]);
		expect(early.body.rejected[0]?.code).toBe('forbidden_scope');

		const v = await verified(newDevice, phone);
		const me = { ...newDevice, token: v.token, user: v.user };
		await act(srv.url, me, report, 'feedback', { satisfied: false, note: 'Rác vẫn còn' });
		expect((await reportAs(srv.url, me, report.id))?.status).toBe('reopened');

		// Someone else still cannot.
		const other = await push(srv.url, stranger.token, 'events', [makeEvent(stranger, report, 'feedback', { satisfied: true })]);
		expect(other.body.rejected[0]?.code).toBe('forbidden_scope');
	});
});

describe('the app’s phone verification', () => {
	let db: CauNoiDatabase;
	afterAll(async () => {
		await db?.remove();
	});

	it('verifies through the service, keeps the person in the device token, and a restarted replication pulls what became visible', async () => {
		const phone = newPhone();
		const origin = srv.url;
		// The app's own device (fake IndexedDB): its token, its replication.
		await getDeviceToken({ origin });
		const self = await deviceActorId();
		const deviceToken = await getDeviceToken({ origin });
		const own = makeReport(self);
		expect((await push(srv.url, deviceToken, 'reports', [own])).body.rejected).toEqual([]);
		// A volunteer filed for this resident, with their consent.
		const volunteer = await login(srv.url, 'tcns-xuan-truong');
		const theirs = makeReport(volunteer.user.sub, { assistedBy: volunteer.user.sub });
		expect((await push(srv.url, volunteer.token, 'reports', [theirs])).body.rejected).toEqual([]);
		const consented = makeContact(theirs, { phone, name: 'Bà Năm', consent: true });
		expect((await push(srv.url, volunteer.token, 'contacts', [consented])).body.rejected).toEqual([]);

		db = await openDatabase({ name: `it-otp-${uuidv7()}` });
		const start = () =>
			startReplication(db, {
				origin,
				role: 'resident',
				collections: ['reports', 'contacts', 'events'],
				getToken: () => getDeviceToken({ origin })
			});
		let replication = start();
		await Promise.all(replication.states.map((s) => s.awaitInitialReplication()));
		expect((await db.reports.find().exec()).map((d) => d.id)).toEqual([own.id]);

		const heard: string[] = [];
		const off = onPersonLinked((e) => heard.push(e.personId));
		const sent = await requestCode(phone, { origin });
		expect(sent.resendAt).toBeGreaterThan(Date.now());
		const code = await lastCode(phone);
		await expect(verifyCode(phone, wrong(code), { origin })).rejects.toMatchObject({ code: 'otp_invalid' });
		const v = await verifyCode(phone, code, { origin });
		off();
		expect(v).toMatchObject({ phone, linkedReports: 2 });
		expect(heard).toEqual([v.personId]);
		expect(await getVerifiedPhone()).toMatchObject({ phone, personId: v.personId });
		const identity = await localDb.identity.get('device');
		expect(identity?.key === 'device' && identity.user?.personId).toBe(v.personId);

		replication = await restartFromScratch(replication, start);
		await Promise.all(replication.states.map((s) => s.awaitInitialReplication()));
		expect((await db.reports.find().exec()).map((d) => d.id).sort()).toEqual([own.id, theirs.id].sort());
		expect((await db.contacts.find({ selector: { reportId: theirs.id } }).exec()).map((c) => c.phone)).toEqual([phone]);
		expect((await db.events.find({ selector: { reportId: theirs.id } }).exec()).map((e) => e.type).sort()).toEqual(['assigned', 'received']);
		await replication.stop();
	});
});
