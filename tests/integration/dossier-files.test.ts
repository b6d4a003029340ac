/**
 * Files of online applications (issue 13) on the real server: pages (photos) and PDFs uploaded by tus
 * through the report photos' machinery, against an application the server has stored; read by the
 * applicant and the receiving office's staff only, resolved through the application.
 *
 * The applications are stored straight into their store (with their file claims, as the
 * submission does) so these tests depend on nothing but the files' own routes.
 */
import { createHash, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { DOSSIER_FILE_LIMITS, type StoredApplication } from '$lib/domain/dossier-application';
import { createFileClaims, type FileClaim } from '../../sync-server/dossiers/file-claims';
import { signIn, startServer, type Session, type TestServer } from './harness';

let srv: TestServer;
let ana: Session;
let binh: Session;
let lamVien: Session;
let xuanHuong: Session;
let page: Buffer;

const b64 = (v: string) => Buffer.from(v).toString('base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

beforeAll(async () => {
	srv = await startServer();
	[ana, binh, lamVien, xuanHuong] = await signIn(srv.url, 'device', 'device', 'ubnd-lam-vien', 'ubnd-xuan-huong');
	// A page as a phone photographs it: an A4 sheet, JPEG.
	page = await sharp({ create: { width: 1240, height: 1754, channels: 3, background: '#f4f1ea' } }).jpeg({ quality: 85 }).toBuffer();
});
afterAll(() => srv?.close());

/** Stores an application of `author` at office lam-vien listing `fileIds`, and claims them for it, as the submission does. */
async function storeApplication(author: Session, fileIds: string[], claim = true): Promise<StoredApplication> {
	const now = new Date().toISOString();
	const app: StoredApplication = {
		id: uuidv7(),
		procedureCode: '1.001193',
		officeId: 'lam-vien',
		applicantName: 'Nguyễn Thị Lan',
		form: {},
		documents: [{ index: 0, fileIds }],
		createdAt: now,
		tenantId: 'lam-dong',
		authorId: author.user.sub,
		receivedAt: now,
		status: 'submitted',
		steps: [{ at: now, status: 'submitted', by: 'resident' }],
		updatedAt: now
	};
	const [put] = await srv.handle.storage.store('dossier-applications').bulkPut([{ doc: app, rev: null }]);
	expect(put.ok).toBe(true);
	if (claim) expect((await createFileClaims(srv.handle.storage.store<FileClaim>('dossier-file-claims')).claimAll(app.id, app.authorId, fileIds)).taken).toEqual([]);
	return app;
}

type Meta = { fileId: string; applicationId: string; filetype?: string };
const metadata = (m: Meta) =>
	Object.entries(m)
		.map(([k, v]) => `${k} ${b64(v)}`)
		.join(',');

function create(s: Session, m: Meta, length: number) {
	return fetch(`${srv.url}/api/dossier-files/uploads`, {
		method: 'POST',
		headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${s.token}`, 'Upload-Length': String(length), 'Upload-Metadata': metadata(m) }
	});
}

function patch(s: Session, id: string, offset: number, bytes: Buffer) {
	return fetch(`${srv.url}/api/dossier-files/uploads/${id}`, {
		method: 'PATCH',
		headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${s.token}`, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
		body: new Uint8Array(bytes)
	});
}

/** [status, error code] of a response; the code is absent on success. */
async function outcome(res: Response): Promise<[number, string?]> {
	if (res.ok) return [res.status];
	return [res.status, ((await res.json()) as { error: { code: string } }).error.code];
}

/** Creates and sends the whole file in one PATCH, as a device on a good link does: the last answer. */
async function upload(s: Session, m: Meta, bytes: Buffer): Promise<[number, string?]> {
	const created = await create(s, m, bytes.length);
	if (created.status !== 201) return outcome(created);
	return outcome(await patch(s, m.fileId, 0, bytes));
}

const read = (s: Session, id: string, thumb = false) =>
	fetch(`${srv.url}/api/dossier-files/${id}${thumb ? '/thumb' : ''}`, { headers: { Authorization: `Bearer ${s.token}` } });
const record = (id: string) => srv.handle.storage.store('dossier-files').get(id);

describe('uploading the files of an application', () => {
	it('takes a page photo, re-encoded, and a PDF kept byte for byte; the office reads both', async () => {
		const [photoId, pdfId] = [randomUUID(), randomUUID()];
		const app = await storeApplication(ana, [photoId, pdfId]);
		expect(await upload(ana, { fileId: photoId, applicationId: app.id, filetype: 'image/jpeg' }, page)).toEqual([204]);
		expect(await upload(ana, { fileId: pdfId, applicationId: app.id, filetype: 'application/pdf' }, PDF)).toEqual([204]);
		expect(await record(photoId)).toMatchObject({ status: 'ready', mime: 'image/webp', applicationId: app.id, authorId: ana.user.sub });
		expect(await record(pdfId)).toMatchObject({ status: 'ready', mime: 'application/pdf', bytes: PDF.length });

		const photo = await read(ana, photoId);
		expect([photo.status, photo.headers.get('content-type')]).toEqual([200, 'image/webp']);
		expect((await sharp(Buffer.from(await photo.arrayBuffer())).metadata()).format).toBe('webp');
		expect((await read(ana, photoId, true)).status).toBe(200);

		const pdf = await read(lamVien, pdfId);
		expect(pdf.status).toBe(200);
		expect(pdf.headers.get('content-type')).toBe('application/pdf');
		expect(pdf.headers.get('content-disposition')).toMatch(/^inline/);
		expect(pdf.headers.get('content-security-policy')).toMatch(/sandbox/);
		expect(Buffer.from(await pdf.arrayBuffer()).equals(PDF)).toBe(true);
		expect((await read(ana, pdfId, true)).status).toBe(404);
	});

	it('refuses a text file named .pdf (415 file_not_document), and again when it is sent once more', async () => {
		const id = randomUUID();
		const app = await storeApplication(ana, [id]);
		const text = Buffer.from('Giấy khai sinh — just words, not a PDF.\n');
		expect(await upload(ana, { fileId: id, applicationId: app.id, filetype: 'application/pdf' }, text)).toEqual([415, 'file_not_document']);
		expect(await record(id)).toMatchObject({ status: 'rejected', error: 'file_not_document' });
		expect(await outcome(await create(ana, { fileId: id, applicationId: app.id }, text.length))).toEqual([415, 'file_not_document']);
		expect((await read(ana, id)).status).toBe(404);
	});

	it('refuses a file over the limit (413) and a declared type that is no document (415) before any byte', async () => {
		const id = randomUUID();
		const app = await storeApplication(ana, [id]);
		expect(await outcome(await create(ana, { fileId: id, applicationId: app.id }, DOSSIER_FILE_LIMITS.maxBytes + 1))).toEqual([413, 'media_too_large']);
		expect(await outcome(await create(ana, { fileId: id, applicationId: app.id, filetype: 'video/mp4' }, 1000))).toEqual([415, 'file_not_document']);
		expect(await record(id)).toBeNull();
	});

	it('takes nothing under an id that is not the caller’s, or that the application does not list', async () => {
		const id = randomUUID();
		const app = await storeApplication(ana, [id]);
		// Binh learnt the id and the application's: not his application.
		expect(await upload(binh, { fileId: id, applicationId: app.id }, page)).toEqual([403, 'not_owner']);
		// His own application listing Ana's file id (stored past the claims): the id is held by Ana's.
		const his = await storeApplication(binh, [id], false);
		expect(await upload(binh, { fileId: id, applicationId: his.id }, page)).toEqual([403, 'not_owner']);
		// Ana's application does not list this id.
		expect(await upload(ana, { fileId: randomUUID(), applicationId: app.id }, page)).toEqual([422, 'validation_failed']);
		// Her own upload still goes through.
		expect(await upload(ana, { fileId: id, applicationId: app.id }, page)).toEqual([204]);
		expect(await record(id)).toMatchObject({ authorId: ana.user.sub, applicationId: app.id });
	});

	it('answers 404 media_unknown_report before the application is stored, and takes the file once it is', async () => {
		const id = randomUUID();
		const applicationId = uuidv7();
		expect(await upload(ana, { fileId: id, applicationId }, PDF)).toEqual([404, 'media_unknown_report']);
		const app = await storeApplication(ana, [id]);
		expect(app.id).not.toBe(applicationId);
		expect(await upload(ana, { fileId: id, applicationId: app.id }, PDF)).toEqual([204]);
	});

	it('resumes an upload cut off mid-way from the bytes that arrived', async () => {
		const id = randomUUID();
		const app = await storeApplication(ana, [id]);
		expect((await create(ana, { fileId: id, applicationId: app.id, filetype: 'image/jpeg' }, page.length)).status).toBe(201);
		// The link drops after half the page: the request never completes.
		await new Promise<void>((resolve) => {
			const url = new URL(`${srv.url}/api/dossier-files/uploads/${id}`);
			const req = request(url, {
				method: 'PATCH',
				headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${ana.token}`, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream', 'Content-Length': String(page.length) }
			});
			req.on('error', () => resolve());
			req.write(page.subarray(0, Math.floor(page.length / 2)), () => setTimeout(() => (req.destroy(), resolve()), 300));
		});
		let offset = 0;
		for (let i = 0; i < 50 && offset === 0; i++) {
			const head = await fetch(`${srv.url}/api/dossier-files/uploads/${id}`, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${ana.token}` } });
			offset = Number(head.headers.get('upload-offset'));
			if (!offset) await new Promise((r) => setTimeout(r, 50));
		}
		expect(offset).toBeGreaterThan(0);
		expect(offset).toBeLessThan(page.length);
		expect(await outcome(await patch(ana, id, offset, page.subarray(offset)))).toEqual([204]);
		expect(await record(id)).toMatchObject({ status: 'ready', sha256: createHash('sha256').update(page).digest('hex') });
	});
});

describe('reading a file', () => {
	it('is for the applicant and the staff of the receiving office only', async () => {
		const id = randomUUID();
		const app = await storeApplication(ana, [id]);
		expect(await upload(ana, { fileId: id, applicationId: app.id }, page)).toEqual([204]);
		expect((await read(ana, id)).status).toBe(200);
		expect((await read(lamVien, id)).status).toBe(200);
		const refused = await read(binh, id);
		// Refusals carry the headers the rest of the API has, like photo reads.
		expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
		expect(await outcome(refused)).toEqual([403, 'forbidden_scope']);
		expect(await outcome(await read(xuanHuong, id))).toEqual([403, 'forbidden_scope']);
		expect((await fetch(`${srv.url}/api/dossier-files/${id}`)).status).toBe(401);
		// The token in the query, as an <img src> sends it.
		expect((await fetch(`${srv.url}/api/dossier-files/${id}/thumb?token=${encodeURIComponent(lamVien.token)}`)).status).toBe(200);
	});
});
