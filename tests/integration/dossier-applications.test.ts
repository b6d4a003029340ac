/**
 * Online applications (issue 13) on the real server: a resident files one, the office's staff find it
 * in their queue, ask for a document, the resident answers, staff accept — the dossier gets its code
 * and due date (counted over a holiday and a weekend on the tenant's calendar), anyone with the code
 * sees it masked, the resident sees it in `mine` and hears of each step by Web Push. And what is
 * refused: the wrong procedure, form, documents, office, reader, staff, state or file.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { browserSubscription, decryptPush, startFakePushService, type FakePushService } from '../support/fake-push-service';
import { call, signIn, type DeviceSession, type Session, type TestServer, startServer } from './harness';

interface View {
	id: string;
	status: string;
	receivedAt: string;
	dossier?: { code: string; status: string; timeliness: string; steps: { status: string; noteVi?: string }[] };
	dossierCode?: string;
	dueAt?: string;
	steps: { status: string; note?: string; by: string }[];
	documents: { index: number; fileIds: string[] }[];
	files: Record<string, { status: string }>;
	procedureNameVi: string;
	officeNameVi: string;
	error?: { code: string; fields?: string[]; indexes?: number[]; details?: unknown };
}

/** Thursday 31 December 2026, 10:00 in Lâm Đồng: the next day is a holiday, then a weekend. */
let clock = new Date('2026-12-31T03:00:00Z');
const MARRIAGE_STATUS = '1.004873'; // online 'full', 3 working days, documents 0 and 3 required, no form fields
const BIRTH = '1.001193'; // online 'full', with form fields
const NOT_ONLINE = '2.000884';

let srv: TestServer;
let ana: DeviceSession;
let bob: DeviceSession;
let lamVien: Session;
let admin: Session;
let xuanHuong: Session;

let pushService: FakePushService;
/** Ana's browser: a subscription whose messages the test decrypts as the browser would (RFC 8291, aes128gcm). */
let anaBrowser: ReturnType<typeof browserSubscription>;

beforeAll(async () => {
	pushService = await startFakePushService();
	anaBrowser = browserSubscription(pushService.url, 'ana');
	srv = await startServer({ now: () => clock, pushCaFile: pushService.caFile, pushAllowLocalEndpoints: true });
	[ana, bob, lamVien, xuanHuong, admin] = await signIn(srv.url, 'device', 'device', 'ubnd-lam-vien', 'ubnd-xuan-huong', 'admin');
});

afterAll(async () => {
	await srv?.close();
	await pushService?.close();
});

/** Every message Ana's browser received so far of this notice type (and these fields), decrypted. */
function pushesOfType(type: string, match: Record<string, unknown> = {}): (Record<string, unknown> & { raw: string })[] {
	return pushService.received
		.filter((x) => x.path === '/push/ana')
		.map((r): Record<string, unknown> & { raw: string } => {
			const raw = decryptPush(r.body, anaBrowser.ecdh, anaBrowser.auth);
			return { ...(JSON.parse(raw) as Record<string, unknown>), raw };
		})
		.filter((m) => m.type === type && Object.entries(match).every(([k, v]) => m[k] === v));
}

/** The first message to Ana's browser of this notice type (and these fields), waited for. */
async function pushOfType(type: string, match: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<Record<string, unknown> & { raw: string }> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		const [msg] = pushesOfType(type, match);
		if (msg) return msg;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`no ${type} push within ${timeoutMs} ms`);
}

const application = (extra: Record<string, unknown> = {}) => ({
	id: uuidv7(),
	procedureCode: MARRIAGE_STATUS,
	officeId: 'lam-vien',
	applicantName: 'Nguyễn Thị Lan',
	applicantPhone: '0912345678',
	form: {},
	documents: [
		{ index: 0, fileIds: [uuidv7(), uuidv7()] },
		{ index: 3, fileIds: [uuidv7()] }
	],
	createdAt: clock.toISOString(),
	...extra
});
const file = (token: string, body: unknown) => call<View>(`${srv.url}/api/dossier-applications`, { token, body });
const read = (token: string, id: string) => call<View>(`${srv.url}/api/dossier-applications/${id}`, { token });
const answer = (token: string, id: string, body: unknown) => call<View>(`${srv.url}/api/dossier-applications/${id}/answer`, { token, body });
const act = (token: string, id: string, body: unknown) => call<View>(`${srv.url}/api/dossier-applications/${id}/actions`, { token, body });
const queue = (token: string, office = 'lam-vien', status?: string) =>
	call<{ applications: View[]; error?: { code: string } }>(`${srv.url}/api/offices/${office}/dossier-applications${status ? `?status=${status}` : ''}`, { token });

describe('an online application, from the phone to the dossier', () => {
	it('is filed, asked about, answered, accepted with its code and due date, and told to the resident', async () => {
		expect((await call(`${srv.url}/api/push/subscriptions`, { token: ana.token, body: anaBrowser.body })).status).toBe(200);

		const app = application();
		const filed = await file(ana.token, app);
		expect(filed.status).toBe(201);
		expect(filed.body).toMatchObject({ id: app.id, status: 'submitted', officeNameVi: expect.stringContaining('Lâm Viên') });
		// The pages are uploaded afterwards: each is waiting until the files' checks record it.
		expect(Object.values(filed.body.files).map((f) => f.status)).toEqual(['waiting', 'waiting', 'waiting']);
		// Sent again (the answer was lost on a weak link): the same application, not a second one.
		expect((await file(ana.token, app)).status).toBe(200);
		expect((await file(ana.token, { ...app, applicantName: 'Người khác' })).body.error?.code).toBe('application_state');

		const waiting = await queue(lamVien.token);
		expect(waiting.status).toBe(200);
		expect(waiting.body.applications.map((a) => a.id)).toContain(app.id);

		const asked = await act(lamVien.token, app.id, { action: 'ask', note: 'Cần bản sao giấy tờ tùy thân rõ hơn' });
		expect(asked.body.status).toBe('needs_documents');
		const notice = await pushOfType('needs_documents');
		expect(notice).toMatchObject({ kind: 'dossier', applicationId: app.id });
		// It travels through the browser vendor's service: no name, phone or note.
		for (const secret of ['Nguyễn', '0912345678', 'tùy thân']) expect(notice.raw).not.toContain(secret);
		// Nothing to accept until the resident answers.
		expect((await act(lamVien.token, app.id, { action: 'accept' })).body.error?.code).toBe('application_state');

		const page = uuidv7();
		const answered = await answer(ana.token, app.id, { documents: [{ index: 0, fileIds: [page] }], note: 'Đã chụp lại' });
		expect(answered.status).toBe(200);
		expect(answered.body.status).toBe('submitted');
		expect(answered.body.documents[0].fileIds).toHaveLength(3);
		expect(answered.body.files[page]).toEqual({ status: 'waiting' });

		const accepted = await act(lamVien.token, app.id, { action: 'accept', note: 'Đủ hồ sơ' });
		expect(accepted.status).toBe(200);
		expect(accepted.body.dossierCode).toBe('LAM-VIEN-261231-0001');
		// Three working days: 1 January is a holiday, 2–3 January a weekend; due Wednesday 6 January at 17:00.
		expect(accepted.body.dueAt).toBe('2027-01-06T10:00:00.000Z');
		expect(await pushOfType('accepted')).toMatchObject({ dossierCode: 'LAM-VIEN-261231-0001', dueAt: '2027-01-06T10:00:00.000Z' });
		expect((await act(lamVien.token, app.id, { action: 'accept' })).body.error?.code).toBe('application_state');
		expect((await queue(lamVien.token)).body.applications.map((a) => a.id)).not.toContain(app.id);
		expect((await queue(lamVien.token, 'lam-vien', 'accepted')).body.applications.map((a) => a.id)).toContain(app.id);

		const looked = await call<{ code: string; applicant: string; status: string; dueAt: string }>(`${srv.url}/api/public/dossiers/lam-vien-261231-0001`);
		expect(looked.status).toBe(200);
		expect(looked.body).toMatchObject({ code: 'LAM-VIEN-261231-0001', applicant: 'N***** T** L**', status: 'accepted', dueAt: '2027-01-06T10:00:00.000Z' });
		expect(JSON.stringify(looked.body)).not.toContain('0912345678');

		const mine = await call<{ applications: View[] }>(`${srv.url}/api/dossier-applications/mine`, { token: ana.token });
		const own = mine.body.applications.find((a) => a.id === app.id)!;
		expect(own.dossierCode).toBe('LAM-VIEN-261231-0001');
		expect(own.steps.map((s) => s.status)).toEqual(['submitted', 'needs_documents', 'submitted', 'accepted']);
		expect((await call<{ applications: View[] }>(`${srv.url}/api/dossier-applications/mine`, { token: bob.token })).body.applications).toEqual([]);

		// The day's next acceptance takes the next number.
		const second = application();
		expect((await file(bob.token, second)).status).toBe(201);
		expect((await act(lamVien.token, second.id, { action: 'accept' })).body.dossierCode).toBe('LAM-VIEN-261231-0002');

		// Later steps by the office's staff, public by the code, told to the resident.
		const steps = (token: string, body: unknown) => call<{ status: string; error?: { code: string } }>(`${srv.url}/api/dossiers/LAM-VIEN-261231-0001/steps`, { token, body });
		expect((await steps(xuanHuong.token, { status: 'processing' })).status).toBe(403);
		expect((await steps(lamVien.token, { status: 'processing' })).body.status).toBe('processing');
		await pushOfType('processing');
		expect((await steps(lamVien.token, { status: 'returned' })).body.status).toBe('returned');
		expect((await steps(lamVien.token, { status: 'processing' })).body.error?.code).toBe('application_state');
	});

	it('is read and answered by its own resident and its office only', async () => {
		const app = application();
		expect((await file(ana.token, app)).status).toBe(201);
		expect((await read(ana.token, app.id)).status).toBe(200);
		expect((await read(lamVien.token, app.id)).status).toBe(200);
		expect((await read(bob.token, app.id)).status).toBe(403);
		expect((await read(xuanHuong.token, app.id)).status).toBe(403);
		expect((await queue(xuanHuong.token)).status).toBe(403);
		expect((await act(xuanHuong.token, app.id, { action: 'refuse', note: 'Không phải của văn phòng này' })).status).toBe(403);
		expect((await act(lamVien.token, app.id, { action: 'ask', note: 'Bổ sung' })).status).toBe(200);
		expect((await answer(bob.token, app.id, { documents: [{ index: 1, fileIds: [uuidv7()] }] })).status).toBe(403);
		expect((await read(ana.token, uuidv7())).body.error?.code).toBe('application_unknown');

		const refused = await act(lamVien.token, app.id, { action: 'refuse', note: 'Không thuộc thẩm quyền' });
		expect(refused.body.status).toBe('refused');
		expect(refused.body.steps.at(-1)).toMatchObject({ status: 'refused', note: 'Không thuộc thẩm quyền' });
		await pushOfType('refused');
	});
});

describe('what an application is refused for', () => {
	it('says which procedure, fields, documents or office is wrong', async () => {
		const notOnline = await file(ana.token, application({ procedureCode: NOT_ONLINE }));
		expect([notOnline.status, notOnline.body.error?.code]).toEqual([422, 'procedure_not_online']);

		const badForm = await file(ana.token, application({ procedureCode: BIRTH, form: { childName: 'Bé An', birthDate: '2026-13-01', sex: 'nam' }, documents: [0, 1, 5].map((index) => ({ index, fileIds: [uuidv7()] })) }));
		expect([badForm.status, badForm.body.error?.code]).toEqual([422, 'form_invalid']);
		expect(badForm.body.error?.fields).toEqual(expect.arrayContaining(['birthDate', 'birthPlace', 'motherName', 'applicantIdNumber', 'relation']));
		expect(badForm.body.error?.fields).not.toContain('childName');
		expect(badForm.body.error?.details).toEqual({ fields: badForm.body.error?.fields });

		const missing = await file(ana.token, application({ documents: [{ index: 0, fileIds: [uuidv7()] }] }));
		expect([missing.status, missing.body.error?.code, missing.body.error?.indexes]).toEqual([422, 'document_missing', [3]]);

		const nowhere = await file(ana.token, application({ officeId: 'nowhere' }));
		expect([nowhere.status, nowhere.body.error?.code]).toEqual([404, 'not_found']);
		const noProcedure = await file(ana.token, application({ procedureCode: '9.999999' }));
		expect(noProcedure.status).toBe(404);
	});

	it('refuses the whole application when one of its files belongs to another application', async () => {
		const first = application();
		expect((await file(ana.token, first)).status).toBe(201);
		const stolen = first.documents[0].fileIds[0];
		const second = application({ documents: [{ index: 0, fileIds: [uuidv7()] }, { index: 3, fileIds: [stolen] }] });
		const res = await file(bob.token, second);
		expect([res.status, res.body.error?.code]).toEqual([409, 'photo_taken']);
		// Nothing of it was kept: its own new file id is free for a corrected application.
		const fixed = { ...second, documents: [second.documents[0], { index: 3, fileIds: [uuidv7()] }] };
		expect((await file(bob.token, fixed)).status).toBe(201);
	});

	it('stops one device filing more than its share of waiting applications', async () => {
		const [flood] = await signIn(srv.url, 'device');
		for (let i = 0; i < 20; i++) expect((await file(flood.token, application())).status).toBe(201);
		const over = await file(flood.token, application());
		expect([over.status, over.body.error?.code]).toEqual([429, 'rate_limited']);
		// Another resident is not held up by it.
		expect((await file(bob.token, application())).status).toBe(201);
	});

	it('knows the caller before reading the body, and keeps the body small', async () => {
		expect((await file('', application())).status).toBe(401);
		const big = application({ note: 'x'.repeat(1000), form: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, 'y'.repeat(2000)])) });
		expect((await file(ana.token, big)).status).toBe(413);
		const app = application();
		expect((await file(ana.token, app)).status).toBe(201);
		expect((await act(lamVien.token, app.id, { action: 'ask', note: 'x'.repeat(9000) })).status).toBe(413);
	});
});

describe('an accepted application followed to its result', () => {
	it("shows the one-stop system's imported steps in the resident's list, tells the resident once, and stays the office's", async () => {
		expect((await call(`${srv.url}/api/push/subscriptions`, { token: ana.token, body: anaBrowser.body })).status).toBe(200);
		const app = application();
		const filed = await file(ana.token, app);
		const accepted = await act(lamVien.token, app.id, { action: 'accept' });
		const code = accepted.body.dossierCode!;
		const mine = async () => (await call<{ applications: View[] }>(`${srv.url}/api/dossier-applications/mine`, { token: ana.token })).body.applications.find((a) => a.id === app.id)!;
		expect((await mine()).dossier).toMatchObject({ code, status: 'accepted', timeliness: 'on_time' });

		// The province's system picked the dossier up and sends its later steps, in local time (UTC+7).
		const csv = [
			'code,procedureCode,applicantName,receivedAt,status,at,noteVi',
			`${code},${MARRIAGE_STATUS},Nguyễn Thị Lan,${filed.body.receivedAt},accepted,${clock.toISOString()},`,
			`${code},${MARRIAGE_STATUS},Nguyễn Thị Lan,${filed.body.receivedAt},result_ready,04/01/2027 09:30,Mời nhận kết quả tại bộ phận một cửa`
		].join('\n');
		const importCsv = async () => {
			const res = await fetch(`${srv.url}/api/dossiers/import`, { method: 'POST', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/csv' }, body: csv });
			return (await res.json()) as { imported: number; unchanged: number; rejected: unknown[] };
		};
		expect(await importCsv()).toEqual({ imported: 1, unchanged: 0, rejected: [] });

		const own = await mine();
		expect(own.dossier).toMatchObject({ code, status: 'result_ready', timeliness: 'done_on_time' });
		expect(own.dossier!.steps.map((s) => s.status)).toEqual(['submitted', 'accepted', 'result_ready']);
		expect(own.dossier!.steps.at(-1)!.noteVi).toBe('Mời nhận kết quả tại bộ phận một cửa');
		expect(await pushOfType('result_ready', { dossierCode: code })).toMatchObject({ kind: 'dossier', applicationId: app.id });

		// The same file again: nothing changes, nobody is told twice.
		expect(await importCsv()).toEqual({ imported: 0, unchanged: 1, rejected: [] });

		// Still the office's online dossier: the next day its staff hand the result over, other offices cannot.
		const accepting = clock;
		clock = new Date('2027-01-05T02:00:00Z');
		onTestFinished(() => void (clock = accepting));
		const steps = (token: string, body: unknown) => call<{ status: string }>(`${srv.url}/api/dossiers/${code}/steps`, { token, body });
		expect((await steps(xuanHuong.token, { status: 'returned' })).status).toBe(403);
		expect((await steps(lamVien.token, { status: 'returned' })).body.status).toBe('returned');
		await pushOfType('returned', { dossierCode: code });
		// Pushes leave in the order they are made: by the 'returned' one, a second 'result_ready' would have come.
		expect(pushesOfType('result_ready', { dossierCode: code })).toHaveLength(1);
		// An older report from the system does not take the dossier back.
		expect(await importCsv()).toEqual({ imported: 0, unchanged: 1, rejected: [] });
		expect((await mine()).dossier?.status).toBe('returned');
	});
});
