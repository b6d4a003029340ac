/**
 * The online filing page (/dossier/file) as the dossier benchmark drives it: open it for a procedure,
 * fill the demo birth registration's form (the fields of tests/e2e/dossier-file.spec.ts), add pages to
 * a document, read the app's Dexie tables of applications straight from IndexedDB in the page; and a
 * small generated PDF page (a scanned A4 sheet) for the PDF variant.
 */
import type { Page } from '@playwright/test';
import sharp from 'sharp';

export interface StoredApplicationRow {
	id: string;
	state: { kind: string };
	updatedAt: number;
}
export interface StoredApplicationFile {
	id: string;
	docIndex: number;
	mime: string;
	bytes: number;
	status: string;
}


export const documentOf = (page: Page, index: number) => page.locator(`[data-testid="application-document"][data-index="${index}"]`);

/** Opens the filing page of `procedure` and fills the birth registration's form as a mother would. */
export async function openFilledApplication(page: Page, url: string, procedure: string): Promise<void> {
	await page.goto(`${url}/dossier/file?procedure=${procedure}`);
	await page.getByTestId('application-form').waitFor({ timeout: 30_000 });
	const field = (key: string) => page.locator(`#field-${key}`);
	await page.getByLabel('Họ và tên', { exact: true }).fill('Nguyễn Thị Hoa');
	await page.getByLabel(/Số điện thoại/).fill('0912 345 678');
	await field('childName').fill('Trần Minh An');
	await field('birthDate').fill('2026-11-28');
	await field('sex').selectOption('nam');
	await field('birthPlace').fill('Bệnh viện Đa khoa tỉnh Lâm Đồng');
	await field('motherName').fill('Nguyễn Thị Hoa');
	await field('relation').selectOption('me');
	await field('applicantIdNumber').fill('079123456789');
}

/** Picks `files` for a document at once and waits until its pages are prepared and kept. */
export async function addPages(page: Page, index: number, files: string[], before = 0): Promise<void> {
	await documentOf(page, index).getByTestId('page-file').setInputFiles(files);
	const pages = documentOf(page, index).getByTestId('application-page');
	await pages.nth(before + files.length - 1).waitFor({ timeout: 120_000 });
	const error = documentOf(page, index).getByTestId('document-error');
	if (await error.count()) throw new Error(`document ${index} refused a page: ${await error.innerText()}`);
}

/** Every keystroke and page is saved on the phone: wait for the last save before sending. */
export async function draftSaved(page: Page): Promise<void> {
	await page.locator('[data-testid=application-form][data-saving=false]').waitFor();
}

/**
 * A one-page PDF as a scanner or a phone's "scan document" gives it: an A4 sheet at 150 dpi
 * (1240×1754), greyscale, JPEG q75 inside (DCTDecode), written by hand (PDF 1.4, one image XObject).
 */
export async function scannedPdf(): Promise<Buffer> {
	const [w, h] = [1240, 1754];
	const lines = Array.from({ length: 34 }, (_, i) => {
		const y = 260 + i * 42;
		const len = 700 + ((i * 137) % 300);
		return `<text x="120" y="${y}" font-family="sans-serif" font-size="26" fill="#222">Dòng ${i + 1}: ${'Cộng hòa xã hội chủ nghĩa Việt Nam — '.repeat(2).slice(0, len / 16)}</text>`;
	}).join('');
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="#f4f1ea"/>
<text x="${w / 2}" y="160" text-anchor="middle" font-family="serif" font-size="44" font-weight="bold" fill="#111">GIẤY CHỨNG SINH</text>${lines}
<rect x="820" y="1560" width="280" height="120" fill="none" stroke="#a22" stroke-width="4"/></svg>`;
	const jpeg = await sharp(Buffer.from(svg)).greyscale().jpeg({ quality: 75 }).toBuffer();
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>'
	];
	const content = 'q 595 0 0 842 0 0 cm /Im0 Do Q';
	const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
	const offsets: number[] = [];
	const size = () => parts.reduce((n, b) => n + b.length, 0);
	objects.forEach((o, i) => {
		offsets.push(size());
		parts.push(Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1'));
	});
	offsets.push(size());
	parts.push(
		Buffer.from(`4 0 obj\n<< /Type /XObject /Subtype /Image /Width ${w} /Height ${h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`, 'latin1'),
		jpeg,
		Buffer.from('\nendstream\nendobj\n', 'latin1')
	);
	offsets.push(size());
	parts.push(Buffer.from(`5 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`, 'latin1'));
	const xref = size();
	const rows = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
	parts.push(Buffer.from(`xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n${rows}trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`, 'latin1'));
	return Buffer.concat(parts);
}
