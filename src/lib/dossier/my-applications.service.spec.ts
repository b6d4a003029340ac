import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localDb } from '../sync/local-db';
import type { ApplicationView } from './application-view';
import { filesArrived, lastOfficeNote } from './application-view';
import { countUnsent } from '../sync/outbox-trigger';
import { answerApplication, flushPendingAnswers } from './answer-sender';
import { isUnseen, listMyApplications, markApplicationSeen, refreshMyApplications } from './my-applications.service';

/**
 * The resident's applications in /my: kept on the device as the server last showed them, a step of
 * the office not looked at yet marked as news, and an answer to a request for documents kept until
 * the server has it — dropped only when the server says it can never take it.
 */

const ORIGIN = 'http://office.test';

function view(id: string, over: Partial<ApplicationView> = {}): ApplicationView {
	return {
		id,
		tenantId: 'lam-dong',
		authorId: 'device:d1',
		procedureCode: '1.001193',
		officeId: 'lam-vien',
		applicantName: 'Hoàng Thị Mai',
		form: {},
		documents: [{ index: 0, fileIds: ['f1', 'f2'] }],
		createdAt: '2026-12-01T01:00:00.000Z',
		receivedAt: '2026-12-01T01:00:05.000Z',
		status: 'submitted',
		steps: [{ at: '2026-12-01T01:00:05.000Z', status: 'submitted', by: 'resident' }],
		updatedAt: '2026-12-01T01:00:05.000Z',
		files: { f1: { status: 'ready', mime: 'image/webp' }, f2: { status: 'waiting' } },
		procedureNameVi: 'Đăng ký khai sinh',
		procedureNameEn: 'Birth registration',
		officeNameVi: 'Một cửa Lâm Viên',
		officeNameEn: 'Lam Vien office',
		...over
	};
}

const asked = (id: string) =>
	view(id, {
		status: 'needs_documents',
		updatedAt: '2026-12-02T02:00:00.000Z',
		steps: [...view(id).steps, { at: '2026-12-02T02:00:00.000Z', status: 'needs_documents', note: 'Thiếu giấy chứng sinh', by: 'Cán bộ Lâm Viên' }]
	});

const json = (status: number, value: unknown) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

function server(...answers: (() => Response)[]) {
	const calls: { url: string; body: unknown }[] = [];
	vi.stubGlobal(
		'fetch',
		vi.fn(async (url: string, init: RequestInit) => {
			calls.push({ url, body: init.body ? JSON.parse(String(init.body)) : undefined });
			const next = answers.shift();
			if (!next) throw new TypeError('Failed to fetch');
			return next();
		})
	);
	return calls;
}

beforeEach(async () => {
	await localDb.myApplications.clear();
	await localDb.identity.clear();
	await localDb.identity.put({ key: 'device', deviceId: 'd1', secret: 's', token: 'tok', expiresAt: Date.now() + 3_600_000 });
});
afterEach(() => vi.unstubAllGlobals());

describe('the view helpers', () => {
	it('counts the pages on the server of all listed, and finds the office\'s last word', () => {
		expect(filesArrived(view('a'))).toEqual({ ready: 1, total: 2 });
		expect(lastOfficeNote(view('a'))).toBeUndefined();
		expect(lastOfficeNote(asked('a'))).toBe('Thiếu giấy chứng sinh');
	});
});

describe('refreshMyApplications', () => {
	it('asks nothing of a device that never registered', async () => {
		await localDb.identity.clear();
		const calls = server();
		expect(await refreshMyApplications({ origin: ORIGIN })).toBe(false);
		expect(calls).toEqual([]);
	});

	it('keeps them newest first; an office step is news until seen, a later one is news again; one no longer listed is forgotten', async () => {
		const calls = server(
			() => json(200, { applications: [asked('b'), view('a')] }),
			() => json(200, { applications: [view('b', { status: 'accepted', dossierCode: 'LAM-VIEN-261203-0001', updatedAt: '2026-12-03T00:00:00.000Z', steps: [...asked('b').steps, { at: '2026-12-03T00:00:00.000Z', status: 'accepted', by: 'Cán bộ' }] })] })
		);
		await refreshMyApplications({ origin: ORIGIN });
		expect(calls[0].url).toBe(`${ORIGIN}/api/dossier-applications/mine`);
		let rows = await listMyApplications();
		expect(rows.map((r) => r.id)).toEqual(['b', 'a']);
		expect(rows.map(isUnseen)).toEqual([true, false]);

		await markApplicationSeen('b');
		expect(isUnseen((await localDb.myApplications.get('b'))!)).toBe(false);

		await refreshMyApplications({ origin: ORIGIN });
		rows = await listMyApplications();
		expect(rows.map((r) => r.id)).toEqual(['b']);
		expect(rows[0].view.dossierCode).toBe('LAM-VIEN-261203-0001');
		expect(isUnseen(rows[0])).toBe(true);
	});
});

describe('the accepted dossier', () => {
	const accepted = (status: 'accepted' | 'processing' | 'result_ready', steps: number) =>
		view('c', {
			status: 'accepted',
			dossierCode: 'LAM-VIEN-261203-0001',
			updatedAt: '2026-12-03T00:00:00.000Z',
			steps: [...view('c').steps, { at: '2026-12-03T00:00:00.000Z', status: 'accepted', by: 'Cán bộ' }],
			dossier: {
				code: 'LAM-VIEN-261203-0001',
				procedureCode: '1.001193',
				applicant: 'H*** T** Mai',
				receivedAt: '2026-12-01T01:00:05.000Z',
				dueAt: '2026-12-10T10:00:00.000Z',
				status,
				timeliness: 'on_time',
				steps: (['submitted', 'accepted', 'processing', 'result_ready'] as const).slice(0, steps).map((s, i) => ({ at: `2026-12-0${i + 1}T02:00:00.000Z`, status: s }))
			}
		});

	it('is news when its status moves on after the resident looked, even though the application itself did not change', async () => {
		server(
			() => json(200, { applications: [accepted('accepted', 2)] }),
			() => json(200, { applications: [accepted('processing', 3)] }),
			() => json(200, { applications: [accepted('result_ready', 4)] })
		);
		await refreshMyApplications({ origin: ORIGIN });
		expect(isUnseen((await listMyApplications())[0])).toBe(true);
		await markApplicationSeen('c');
		expect(isUnseen((await listMyApplications())[0])).toBe(false);

		await refreshMyApplications({ origin: ORIGIN });
		expect(isUnseen((await listMyApplications())[0])).toBe(true);
		await markApplicationSeen('c');
		expect((await listMyApplications())[0].seenDossier).toBe('processing');

		await refreshMyApplications({ origin: ORIGIN });
		const [row] = await listMyApplications();
		expect(isUnseen(row)).toBe(true);
		// Seen what it was: the application's own step stays seen.
		expect(row.seenUpdatedAt).toBe('2026-12-03T00:00:00.000Z');
	});
});

describe('flushPendingAnswers (the outbox flush, Background Sync)', () => {
	const page = { blob: new Blob(['%PDF-1.4 … %%EOF']), mime: 'application/pdf', bytes: 16 };

	it('counts a kept answer as unsent, keeps it through a network failure, drops it when the office moved on', async () => {
		server(() => json(200, { applications: [asked('b')] }));
		await refreshMyApplications({ origin: ORIGIN });
		await expect(answerApplication('b', 1, [page], undefined, { origin: ORIGIN })).rejects.toMatchObject({ code: 'network' });
		expect(await countUnsent()).toBe(1);

		const calls = server();
		expect(await flushPendingAnswers({ origin: ORIGIN })).toBe(1);
		expect(calls.map((c) => c.url)).toEqual([`${ORIGIN}/api/dossier-applications/b/answer`]);

		server(() => json(409, { error: { code: 'application_state', message: 'not waiting for documents' } }));
		expect(await flushPendingAnswers({ origin: ORIGIN })).toBe(0);
		expect(await countUnsent()).toBe(0);
	});
});

describe('answerApplication', () => {
	const page = { blob: new Blob(['%PDF-1.4 … %%EOF']), mime: 'application/pdf', bytes: 16 };

	it('keeps the answer and its pages on the device while the network is down', async () => {
		server(() => json(200, { applications: [asked('b')] }));
		await refreshMyApplications({ origin: ORIGIN });
		await expect(answerApplication('b', 1, [page], '  Đã chụp lại  ', { origin: ORIGIN })).rejects.toMatchObject({ code: 'network' });
		const kept = (await localDb.myApplications.get('b'))!.pendingAnswer!;
		expect(kept.answered).toBe(false);
		expect(kept.note).toBe('Đã chụp lại');
		expect(kept.documents).toEqual([{ index: 1, fileIds: [kept.files[0].id] }]);
		// Still kept when the server no longer lists it: the pages are not lost.
		server(() => json(200, { applications: [] }));
		await refreshMyApplications({ origin: ORIGIN });
		expect((await localDb.myApplications.get('b'))?.pendingAnswer?.files).toHaveLength(1);
	});

	it('drops the answer the server can never take (the office moved on) and says why', async () => {
		server(() => json(200, { applications: [asked('b')] }));
		await refreshMyApplications({ origin: ORIGIN });
		const calls = server(() => json(409, { error: { code: 'application_state', message: 'not waiting for documents' } }));
		await expect(answerApplication('b', 1, [page], undefined, { origin: ORIGIN })).rejects.toMatchObject({ code: 'application_state' });
		expect(calls[0].url).toBe(`${ORIGIN}/api/dossier-applications/b/answer`);
		expect((await localDb.myApplications.get('b'))!.pendingAnswer).toBeUndefined();
	});
});
