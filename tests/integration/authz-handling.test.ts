/**
 * The authorization matrix, continued from handling-matrix.test.ts: transfers (role × source unit ×
 * target validity), one-time codes (who asked × who verifies or guesses) and person links (who filed
 * a report naming a verified phone). Each row is written out by hand — the code answered and what
 * changed afterwards — so a rule that loosens by accident fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	call,
	fileReport,
	makeContact,
	makeEvent,
	makeReport,
	openStream,
	pullAll,
	push,
	reportAs,
	signIn,
	startServer,
	type DeviceSession,
	type Session,
	type TestServer
} from './harness';

let srv: TestServer;
const who: Record<string, Session> = {};

// makeReport's reports route to the ward committee and the environment unit.
const WARD = 'ubnd-lam-vien';
const ENV = 'natural-resources-environment';
const POLICE = 'police';
const GHOST = 'no-such-unit';
const ON_FILING = [ENV, WARD];

type Role = 'author' | 'assignedHandler' | 'otherHandler' | 'leader' | 'admin' | 'volunteer';

interface TransferRow {
	name: string;
	role: Role;
	/** Fields of the `transferred` event beyond actor and report (`unitId: undefined` drops the handler's default). */
	fields: Record<string, unknown>;
	/** 'ok' or the refusal's code. */
	want: string;
	/** The report's units afterwards (unchanged on a refusal). */
	units: string[];
}

const TRANSFERS: TransferRow[] = [
	{ name: 'handler hands their own unit’s part over', role: 'assignedHandler', fields: { unitId: WARD, unitIds: [POLICE] }, want: 'ok', units: [ENV, POLICE] },
	{ name: 'handler adds a unit, keeping their own', role: 'assignedHandler', fields: { unitId: WARD, unitIds: [WARD, POLICE] }, want: 'ok', units: [ENV, POLICE, WARD] },
	{ name: 'handler without a source unit (would drop every unit)', role: 'assignedHandler', fields: { unitId: undefined, unitIds: [POLICE] }, want: 'transfer_source_required', units: ON_FILING },
	{ name: 'handler naming another unit on the report as source', role: 'assignedHandler', fields: { unitId: ENV, unitIds: [POLICE] }, want: 'forbidden_scope', units: ON_FILING },
	{ name: 'handler to a unit that does not exist', role: 'assignedHandler', fields: { unitId: WARD, unitIds: [GHOST] }, want: 'unknown_unit', units: ON_FILING },
	{ name: 'handler to a real and a made-up unit', role: 'assignedHandler', fields: { unitId: WARD, unitIds: [POLICE, GHOST] }, want: 'unknown_unit', units: ON_FILING },
	{ name: 'handler claiming the whole report', role: 'assignedHandler', fields: { scope: 'whole', unitIds: [POLICE] }, want: 'forbidden_scope', units: ON_FILING },
	{ name: 'handler to no unit', role: 'assignedHandler', fields: { unitId: WARD, unitIds: [] }, want: 'validation_failed', units: ON_FILING },
	{ name: 'handler of a unit not on the report', role: 'otherHandler', fields: { unitId: POLICE, unitIds: [WARD] }, want: 'forbidden_scope', units: ON_FILING },
	{ name: 'leader without a source unit or an explicit whole-report scope', role: 'leader', fields: { unitIds: [POLICE] }, want: 'transfer_source_required', units: ON_FILING },
	{ name: 'leader moves the whole report, explicitly', role: 'leader', fields: { scope: 'whole', unitIds: [POLICE] }, want: 'ok', units: [POLICE] },
	{ name: 'leader moves one unit’s part', role: 'leader', fields: { unitId: ENV, unitIds: [POLICE] }, want: 'ok', units: [POLICE, WARD] },
	{ name: 'leader naming a source unit not on the report', role: 'leader', fields: { unitId: POLICE, unitIds: [ENV] }, want: 'forbidden_scope', units: ON_FILING },
	{ name: 'leader moves the whole report to a made-up unit', role: 'leader', fields: { scope: 'whole', unitIds: [GHOST] }, want: 'unknown_unit', units: ON_FILING },
	{ name: 'leader mixing a source unit and the whole scope', role: 'leader', fields: { scope: 'whole', unitId: ENV, unitIds: [POLICE] }, want: 'validation_failed', units: ON_FILING },
	{ name: 'the author', role: 'author', fields: { unitIds: [POLICE] }, want: 'forbidden_scope', units: ON_FILING },
	{ name: 'an admin', role: 'admin', fields: { scope: 'whole', unitIds: [POLICE] }, want: 'forbidden_scope', units: ON_FILING }
];

beforeAll(async () => {
	srv = await startServer({ otpTestEndpoint: true, otpIpLimit: 1000 });
	const [author, assignedHandler, otherHandler, leader, admin, volunteer] = await signIn(
		srv.url,
		'device',
		WARD,
		POLICE,
		'lanhdao',
		'admin',
		'tcns-lang-biang'
	);
	Object.assign(who, { author, assignedHandler, otherHandler, leader, admin, volunteer });
});
afterAll(() => srv?.close());

function transfer(role: Role, report: { id: string }, fields: Record<string, unknown>) {
	const e: Record<string, unknown> = makeEvent(who[role], report, 'transferred', fields);
	for (const [k, v] of Object.entries(fields)) if (v === undefined) delete e[k];
	return e;
}

describe('transfers: role × source unit × target validity', () => {
	for (const row of TRANSFERS) {
		it(`${row.name}: ${row.want}`, async () => {
			const report = await fileReport(srv.url, who.author);
			const r = await push(srv.url, who[row.role].token, 'events', [transfer(row.role, report, row.fields)]);
			expect(r.status).toBe(200);
			if (row.want === 'ok') expect(r.body.rejected).toEqual([]);
			else expect(r.body.rejected.map((x) => x.code)).toEqual([row.want]);
			expect((await reportAs(srv.url, who.leader, report.id))?.assignedUnitIds).toEqual(row.units);
		});
	}

	it('refuses a whole-report scope on anything but a transfer, and a made-up unit on any step', async () => {
		const report = await fileReport(srv.url, who.author);
		const r = await push(srv.url, who.leader.token, 'events', [
			makeEvent(who.leader, report, 'progress', { note: 'Đang xử lý', scope: 'whole' }),
			makeEvent(who.leader, report, 'seen', { unitId: GHOST })
		]);
		expect(r.body.rejected.map((x) => x.code)).toEqual(['validation_failed', 'unknown_unit']);
	});
});

// ---- one-time codes and person links ----

let phoneSeq = 0;
/** A fresh phone per row: limits are per phone. */
const newPhone = () => `08${String(Date.now() % 1e6).padStart(6, '0')}${String(phoneSeq++ % 100).padStart(2, '0')}`;
const requestOtp = (s: Session, phone: string) => call(`${srv.url}/api/auth/otp/request`, { token: s.token, body: { phone } });
const verifyOtp = (s: Session, phone: string, code: string) =>
	call<{ token: string; user: Session['user']; personId: string; linkedReports: number; error?: { code: string } }>(
		`${srv.url}/api/auth/otp/verify`,
		{ token: s.token, body: { phone, code } }
	);
const answer = (r: { status: number; body: unknown }) =>
	r.status === 200 ? '200' : `${r.status} ${(r.body as { error: { code: string } }).error.code}`;
async function lastCode(phone: string): Promise<string> {
	const r = await call<{ code: string }>(`${srv.url}/api/test/otp?phone=${phone}`);
	expect(r.status).toBe(200);
	return r.body.code;
}
const wrong = (code: string, i = 0) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');

interface OtpRow {
	name: string;
	/** Steps after device A asked for a code (`code` = A's code): who does what, and the answer. */
	steps: { by: 'A' | 'B'; guess: 'right' | 'wrong'; times?: number; want: string }[];
}

const OTP_ROWS: OtpRow[] = [
	{ name: 'A asks, A verifies', steps: [{ by: 'A', guess: 'right', want: '200' }] },
	{
		name: 'A asks, B verifies with A’s code: refused, and A’s code still works',
		steps: [
			{ by: 'B', guess: 'right', times: 3, want: '400 otp_invalid' },
			{ by: 'A', guess: 'right', want: '200' }
		]
	},
	{
		name: 'A asks, a stranger guesses many times: never locked for A',
		steps: [
			{ by: 'B', guess: 'wrong', times: 8, want: '400 otp_invalid' },
			{ by: 'A', guess: 'right', want: '200' }
		]
	},
	{
		name: 'A asks and guesses wrong 5 times: A’s own code locks',
		steps: [
			{ by: 'A', guess: 'wrong', times: 5, want: '400 otp_invalid' },
			{ by: 'A', guess: 'right', want: '429 otp_locked' }
		]
	}
];

describe('one-time codes: device A asks × who verifies or guesses', () => {
	for (const row of OTP_ROWS) {
		it(row.name, async () => {
			const [a, b] = await signIn(srv.url, 'device', 'device');
			const phone = newPhone();
			expect((await requestOtp(a, phone)).status).toBe(200);
			const code = await lastCode(phone);
			let n = 0;
			for (const step of row.steps) {
				for (let i = 0; i < (step.times ?? 1); i++) {
					const r = await verifyOtp(step.by === 'A' ? a : b, phone, step.guess === 'right' ? code : wrong(code, n++));
					expect(answer(r), `${step.by} ${step.guess} #${i + 1}`).toBe(step.want);
				}
			}
		});
	}

	it('two devices ask for the same phone: each code works only where it was asked', async () => {
		const [a, b] = await signIn(srv.url, 'device', 'device');
		const phone = newPhone();
		await requestOtp(a, phone);
		const codeA = await lastCode(phone);
		await requestOtp(b, phone);
		const codeB = await lastCode(phone);
		if (codeA !== codeB) expect(answer(await verifyOtp(a, phone, codeB))).toBe('400 otp_invalid');
		expect(answer(await verifyOtp(b, phone, codeB))).toBe('200');
		expect(answer(await verifyOtp(a, phone, codeA))).toBe('200');
	});
});

/** `s` verifies `phone` and answers the session its new token gives. */
async function verify(s: DeviceSession, phone: string): Promise<Session & { personId: string; linkedReports: number }> {
	expect((await requestOtp(s, phone)).status).toBe(200);
	const r = await verifyOtp(s, phone, await lastCode(phone));
	expect(r.status).toBe(200);
	return { token: r.body.token, user: r.body.user, personId: r.body.personId, linkedReports: r.body.linkedReports };
}

type Filer = 'ownDevice' | 'stranger' | 'volunteer';
interface LinkRow {
	name: string;
	by: Filer;
	/** Filed before or after the person verified the phone. */
	when: 'before' | 'after';
	contact: Record<string, unknown>;
	/** Whether the person's devices receive the report. */
	linked: boolean;
}

const LINK_ROWS: LinkRow[] = [
	{ name: 'the person’s own device, before verifying', by: 'ownDevice', when: 'before', contact: {}, linked: true },
	{ name: 'the person’s own device, after verifying', by: 'ownDevice', when: 'after', contact: {}, linked: true },
	{ name: 'a resident stranger naming the phone, before', by: 'stranger', when: 'before', contact: {}, linked: false },
	{ name: 'a resident stranger naming the phone, after', by: 'stranger', when: 'after', contact: {}, linked: false },
	{ name: 'a volunteer filing with the villager’s consent, before', by: 'volunteer', when: 'before', contact: { consent: true }, linked: true },
	{ name: 'a volunteer filing with the villager’s consent, after', by: 'volunteer', when: 'after', contact: { consent: true }, linked: true }
];

describe('person links: who filed a report naming a verified phone', () => {
	for (const row of LINK_ROWS) {
		it(`${row.name}: ${row.linked ? 'linked' : 'not linked'}`, async () => {
			const phone = newPhone();
			const [person, stranger] = await signIn(srv.url, 'device', 'device');
			const filer: Session = row.by === 'ownDevice' ? person : row.by === 'stranger' ? stranger : who.volunteer;
			const contact = { name: 'Bà Năm', phone, ...row.contact };
			const extra = row.by === 'volunteer' ? { assistedBy: who.volunteer.user.sub } : {};
			const fileIt = (s: Session) => fileReport(srv.url, s, extra, row.by === 'ownDevice' ? undefined : contact);
			let report = row.when === 'before' ? await fileIt(filer) : undefined;
			const verified = await verify(person, phone);
			if (row.when === 'after') report = await fileIt(row.by === 'ownDevice' ? { ...person, token: verified.token, user: verified.user } : filer);

			const mine = await reportAs(srv.url, verified, report!.id);
			if (row.linked) expect(mine).toMatchObject({ id: report!.id, personId: verified.personId });
			else expect(mine).toBeUndefined();
			// The filer never learns the person's id unless they are the person.
			const filerSees = await reportAs(srv.url, filer, report!.id);
			expect(filerSees?.id).toBe(report!.id);
			if (row.by !== 'ownDevice') expect(filerSees).not.toHaveProperty('personId');
		});
	}

	it('a stranger probing a phone learns nothing: the same answers for a verified and an unverified phone', async () => {
		const verifiedPhone = newPhone();
		const unverifiedPhone = newPhone();
		const [person, stranger] = await signIn(srv.url, 'device', 'device');
		const v = await verify(person, verifiedPhone);
		const streams = { stranger: await openStream(srv.url, stranger.token, 'reports'), person: await openStream(srv.url, v.token, 'reports') };
		const heard = { stranger: streams.stranger.collect(2_500), person: streams.person.collect(2_500) };

		const probe = async (phone: string) => {
			const report = makeReport(stranger.user.sub);
			const r = await push(srv.url, stranger.token, 'reports', [report]);
			const c = await push(srv.url, stranger.token, 'contacts', [makeContact(report, { phone })]);
			return { id: report.id, reportAnswer: r.body, contactAnswer: c.body };
		};
		const onVerified = await probe(verifiedPhone);
		const onUnverified = await probe(unverifiedPhone);
		// The push answers differ only in ids, times and tracking codes.
		const shape = (x: unknown) =>
			JSON.stringify(x, (k, val) => (typeof val === 'string' && k !== 'status' && k !== 'code' ? typeof val : val));
		expect(shape(onVerified.contactAnswer)).toBe(shape(onUnverified.contactAnswer));
		expect(shape(onVerified.reportAnswer)).toBe(shape(onUnverified.reportAnswer));
		// What the stranger pulls back: the same fields, no person's id.
		const pulled = (await pullAll(srv.url, stranger.token, 'reports')).docs;
		const a = pulled.find((d) => d.id === onVerified.id)!;
		const b = pulled.find((d) => d.id === onUnverified.id)!;
		expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
		expect(a).not.toHaveProperty('personId');
		// Live: the stranger hears each report the same number of times, without a person's id…
		const live = (await heard.stranger).flatMap((m) => (m as { documents?: Record<string, unknown>[] })?.documents ?? []);
		expect(live.filter((d) => d.id === onUnverified.id).length).toBeGreaterThan(0);
		expect(live.filter((d) => d.id === onVerified.id).length).toBe(live.filter((d) => d.id === onUnverified.id).length);
		expect(JSON.stringify(live)).not.toContain(v.personId);
		// …and the person hears nothing of it, and does not pull it.
		const personLive = (await heard.person).flatMap((m) => (m as { documents?: Record<string, unknown>[] })?.documents ?? []);
		expect(personLive.map((d) => d.id)).not.toContain(onVerified.id);
		expect((await pullAll(srv.url, v.token, 'reports')).docs.map((d) => d.id)).not.toContain(onVerified.id);
		streams.stranger.close();
		streams.person.close();
	});

	it('a volunteer’s filing without consent is refused; a resident cannot pose as a volunteer', async () => {
		const phone = newPhone();
		const [resident] = await signIn(srv.url, 'device');
		const report = makeReport(who.volunteer.user.sub, { assistedBy: who.volunteer.user.sub });
		expect((await push(srv.url, who.volunteer.token, 'reports', [report])).body.rejected).toEqual([]);
		const noConsent = await push(srv.url, who.volunteer.token, 'contacts', [makeContact(report, { phone })]);
		expect(noConsent.body.rejected.map((x) => x.code)).toEqual(['consent_required']);
		const posing = await push(srv.url, resident.token, 'reports', [makeReport(resident.user.sub, { assistedBy: resident.user.sub })]);
		expect(posing.body.rejected.map((x) => x.code)).toEqual(['validation_failed']);
	});
});
