import { beforeEach, describe, expect, it } from 'vitest';
import { DOSSIER_FILE_LIMITS } from '../domain/dossier-application';
import { localDb } from '../sync/local-db';
import { PageRefused, preparePage } from './application-files';
import { addPage, filesOf, movePage, newApplication, openApplication, queueApplication, saveDraft, toApplication } from './application-store';

/**
 * The online application's draft on the phone: what is typed and picked is kept as it is, pages in
 * the order the resident gave them, and a queued application is no longer changed by the form.
 */

const page = (docIndex: number, text = 'x') => ({ docIndex, blob: new Blob([text], { type: 'image/webp' }), mime: 'image/webp', bytes: text.length });

beforeEach(async () => {
	await Promise.all([localDb.applications.clear(), localDb.applicationFiles.clear(), localDb.drafts.clear()]);
});

describe('an application draft', () => {
	it('takes the name and phone last typed in a report, and comes back after a reload as it was left', async () => {
		await localDb.drafts.put({ id: 'd1', categoryCode: '', description: '', name: 'Nguyễn Thị Hoa', phone: '0912345678', photoIds: [], updatedAt: 1 });
		const row = await newApplication('1.001193', 'lam-vien');
		expect([row.applicantName, row.applicantPhone]).toEqual(['Nguyễn Thị Hoa', '0912345678']);
		row.form = { childName: 'An', fatherName: '  ' };
		await saveDraft(row);
		const again = await openApplication('1.001193', 'lam-vien');
		expect(again.id).toBe(row.id);
		expect(again.form).toEqual({ childName: 'An', fatherName: '  ' });
	});

	it('keeps each document\'s pages in the order given, moved up and down, and sends them so without empty values', async () => {
		const row = await newApplication('1.001193', 'lam-vien');
		row.applicantName = ' Hoa ';
		row.form = { childName: 'An', fatherName: '' };
		const a = await addPage(row, page(1, 'a'));
		const b = await addPage(row, page(1, 'bb'));
		const c = await addPage(row, page(0, 'c'));
		await movePage(b.id, -1);
		// Already first: nothing moves.
		await movePage(b.id, -1);
		const app = toApplication(row, await filesOf(row.id));
		expect(app.documents).toEqual([
			{ index: 0, fileIds: [c.id] },
			{ index: 1, fileIds: [b.id, a.id] }
		]);
		expect(app).toMatchObject({ applicantName: 'Hoa', form: { childName: 'An' } });
		expect(app.form).not.toHaveProperty('fatherName');
	});

	it('once queued, the form no longer changes it', async () => {
		const row = await newApplication('1.001193', 'lam-vien');
		row.applicantName = 'Hoa';
		await saveDraft(row);
		await queueApplication(row.id);
		await saveDraft({ ...row, applicantName: 'Someone else' });
		expect(await localDb.applications.get(row.id)).toMatchObject({ applicantName: 'Hoa', state: { kind: 'waiting' } });
	});
});

describe('a page picked on the phone', () => {
	it('is a PDF only by its bytes: a text file named .pdf is refused, a real one kept as it is', async () => {
		const text = new File(['not a pdf'], 'x.pdf', { type: 'application/pdf' });
		await expect(preparePage(text)).rejects.toMatchObject({ code: 'file_not_document' });
		const bytes = '%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n';
		const real = new File([bytes], 'giay.PDF', { type: '' });
		expect(await preparePage(real)).toMatchObject({ mime: 'application/pdf', bytes: bytes.length, name: 'giay.PDF' });
	});

	it('is refused when too large, and when neither a photo nor a PDF', async () => {
		const big = new File([new Uint8Array(DOSSIER_FILE_LIMITS.maxBytes + 1)], 'big.pdf', { type: 'application/pdf' });
		await expect(preparePage(big)).rejects.toMatchObject({ code: 'media_too_large' });
		const doc = new File(['hello'], 'letter.docx', { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
		await expect(preparePage(doc)).rejects.toBeInstanceOf(PageRefused);
	});
});
