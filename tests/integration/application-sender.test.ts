/**
 * The phone's online applications against the real sync-server: queued on the device (Dexie on
 * fake-indexeddb, as the page does on "Gửi"), sent by the same code the service worker runs
 * (flushOutbox → flushApplications): the application, then each page with tus. What the resident
 * sees: delivered with every page sent, nothing lost while the server is away, a refusal that waits
 * for them rather than being retried for ever.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { newApplication, queueApplication, saveDraft } from '$lib/dossier/application-store';
import { flushApplications } from '$lib/dossier/application-sender';
import { localDb, type ApplicationFileRow } from '$lib/sync/local-db';
import { flushOutbox } from '$lib/sync/outbox-sender';
import { call, login, startServer, type TestServer } from './harness';
import { readFixtureJpeg } from './outbox-queue';

let server: TestServer;
let jpeg: Blob;
const pdf = new Blob(['%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'], { type: 'application/pdf' });

beforeAll(async () => {
	server = await startServer();
	jpeg = await readFixtureJpeg();
});
afterAll(async () => {
	await server?.close();
});
beforeEach(async () => {
	await Promise.all([localDb.applications.clear(), localDb.applicationFiles.clear()]);
});

/** Đăng ký khai tử (no form fields): documents 0, 1 and 2 are required. */
async function queue(pages: Record<number, Blob[]>, opts: { officeId?: string } = {}): Promise<string> {
	const row = await newApplication('1.000656', opts.officeId ?? 'lam-vien');
	row.applicantName = 'Phạm Văn Hùng';
	row.applicantPhone = '0912345678';
	await saveDraft(row);
	for (const [docIndex, blobs] of Object.entries(pages)) {
		for (const [order, blob] of blobs.entries()) {
			const file: ApplicationFileRow = { id: uuidv7(), applicationId: row.id, docIndex: +docIndex, order, blob, mime: blob.type, bytes: blob.size, sent: 0, status: 'pending' };
			await localDb.applicationFiles.put(file);
		}
	}
	await queueApplication(row.id);
	return row.id;
}

describe('online applications → sync-server', () => {
	it('the outbox flush delivers an application and its pages; the office sees every page ready', async () => {
		const id = await queue({ 0: [jpeg, jpeg], 1: [pdf], 2: [jpeg] });
		const result = await flushOutbox({ origin: server.url });
		expect(result).toMatchObject({ delivered: 1, waiting: 0, needsAttention: 0 });

		const row = (await localDb.applications.get(id))!;
		expect(row.state).toEqual({ kind: 'delivered' });
		expect(row.progress?.[0]).toMatchObject({ pages: 2, sentPages: 2 });
		const files = await localDb.applicationFiles.where('applicationId').equals(id).toArray();
		// Sent pages leave the phone's storage.
		expect(files.map((f) => [f.status, f.blob])).toEqual(files.map(() => ['done', undefined]));

		const staff = await login(server.url, 'ubnd-lam-vien');
		const view = await call<{ status: string; applicantPhone: string; files: Record<string, { status: string; mime?: string }> }>(`${server.url}/api/dossier-applications/${id}`, { token: staff.token });
		expect(view.status).toBe(200);
		expect(view.body.status).toBe('submitted');
		expect(Object.values(view.body.files).map((f) => f.status)).toEqual(['ready', 'ready', 'ready', 'ready']);
		expect(Object.values(view.body.files).some((f) => f.mime === 'application/pdf')).toBe(true);
	});

	it('keeps the application and its pages while the server is away, then delivers it', async () => {
		const id = await queue({ 0: [jpeg], 1: [jpeg], 2: [pdf] });
		const dead = await flushApplications({ origin: 'http://127.0.0.1:9' });
		expect(dead).toEqual({ delivered: 0, waiting: 1, needsAttention: 0 });
		const waiting = (await localDb.applications.get(id))!;
		expect([waiting.state.kind, waiting.error?.code, waiting.pushed ?? false]).toEqual(['waiting', 'network', false]);
		expect(waiting.nextAttemptAt).toBeGreaterThan(Date.now());
		// Not due yet: an unforced flush leaves it for later.
		expect(await flushApplications({ origin: server.url })).toMatchObject({ delivered: 0, waiting: 1 });

		expect(await flushApplications({ origin: server.url, force: true })).toMatchObject({ delivered: 1, waiting: 0 });
		expect((await localDb.applications.get(id))!.state.kind).toBe('delivered');
	});

	it('an application the server refuses waits for the resident, with the reason, and is not sent again by itself', async () => {
		const id = await queue({ 0: [jpeg], 1: [jpeg], 2: [jpeg] }, { officeId: 'no-such-office' });
		expect(await flushApplications({ origin: server.url })).toMatchObject({ delivered: 0, needsAttention: 1 });
		const row = (await localDb.applications.get(id))!;
		expect([row.state.kind, row.error?.code]).toEqual(['needs_attention', 'not_found']);
		await flushApplications({ origin: server.url, force: true });
		expect((await localDb.applications.get(id))!.state.kind).toBe('needs_attention');
	});

	it('a page the server refuses (text sent as a PDF) is marked with its reason', async () => {
		const fake = new Blob(['Đây không phải PDF\n'], { type: 'application/pdf' });
		const id = await queue({ 0: [jpeg], 1: [fake], 2: [jpeg] });
		await flushApplications({ origin: server.url });
		const row = (await localDb.applications.get(id))!;
		expect([row.state.kind, row.error?.code, row.pushed]).toEqual(['needs_attention', 'file_not_document', true]);
		const files = await localDb.applicationFiles.where('applicationId').equals(id).toArray();
		expect(files.find((f) => f.docIndex === 1)).toMatchObject({ status: 'rejected', error: 'file_not_document' });
	});
});
