import { DOSSIER_FILE_LIMITS, looksLikePdf } from '../domain/dossier-application';
import type { ErrorCode } from '../domain/errors';
import type { PhotoEncoding } from '../domain/tenant';

/**
 * A page picked or photographed for a document, made ready on the device before it is kept: a photo
 * is resized and re-encoded off the main thread (photo-pipeline.ts: EXIF, and with it the place and
 * the phone's model, dropped); a PDF is known by its bytes, never by its name or declared type, and
 * kept as it is. Anything else is refused here, with the words the server would use, so the
 * resident learns it now rather than after the upload.
 */

export class PageRefused extends Error {
	constructor(readonly code: Extract<ErrorCode, 'file_not_document' | 'media_too_large'>) {
		super(code);
		this.name = 'PageRefused';
	}
}

export interface PreparedPage {
	blob: Blob;
	mime: string;
	bytes: number;
	name?: string;
}

/** `%%EOF` may be followed by a few bytes (a newline, an incremental update's tail): look at the last KB. */
const PDF_TAIL_BYTES = 1024;

async function isPdf(file: Blob): Promise<boolean> {
	const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
	const tail = new Uint8Array(await file.slice(Math.max(0, file.size - PDF_TAIL_BYTES)).arrayBuffer());
	return looksLikePdf(head, tail);
}

const claimsPdf = (file: File) => file.type === 'application/pdf' || /\.pdf$/i.test(file.name);

export async function preparePage(file: File, encoding?: PhotoEncoding): Promise<PreparedPage> {
	if (claimsPdf(file) || !file.type.startsWith('image/')) {
		// Not an image by its type: only a real PDF is taken, whatever it is called.
		if (file.size > DOSSIER_FILE_LIMITS.maxBytes) throw new PageRefused('media_too_large');
		if (!(await isPdf(file))) throw new PageRefused('file_not_document');
		return { blob: file, mime: 'application/pdf', bytes: file.size, name: file.name };
	}
	const { preparePhoto, photoOptionsFor } = await import('../sync/photo-pipeline');
	try {
		const p = await preparePhoto(file, photoOptionsFor(encoding));
		if (p.blob.size > DOSSIER_FILE_LIMITS.maxBytes) throw new PageRefused('media_too_large');
		return { blob: p.blob, mime: p.mime, bytes: p.blob.size, name: file.name };
	} catch (e) {
		if (e instanceof PageRefused) throw e;
		// The browser could not decode it: a broken photo or a file that only says it is one.
		throw new PageRefused('file_not_document');
	}
}

/**
 * The page turned a quarter clockwise, re-encoded in its own format. Browsers give a page no more
 * than a canvas here: no edge detection or perspective correction (the Shape Detection API finds
 * barcodes and faces, not sheets of paper), so straightening is by quarter turns; cropping is left
 * to the phone's camera or gallery app, which offer it before the photo is picked.
 */
export async function rotateQuarter(blob: Blob): Promise<Blob> {
	const bitmap = await createImageBitmap(blob);
	try {
		const { width, height } = bitmap;
		const type = blob.type === 'image/webp' || blob.type === 'image/png' ? blob.type : 'image/jpeg';
		const draw = (ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D) => {
			ctx.translate(height, 0);
			ctx.rotate(Math.PI / 2);
			ctx.drawImage(bitmap, 0, 0);
		};
		if (typeof OffscreenCanvas !== 'undefined') {
			const canvas = new OffscreenCanvas(height, width);
			const ctx = canvas.getContext('2d');
			if (ctx) {
				draw(ctx);
				return await canvas.convertToBlob({ type, quality: 0.85 });
			}
		}
		const canvas = document.createElement('canvas');
		canvas.width = height;
		canvas.height = width;
		const ctx = canvas.getContext('2d');
		if (!ctx) throw new Error('no 2D canvas');
		draw(ctx);
		const out = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, 0.85));
		if (!out) throw new Error('the canvas gave no image');
		return out;
	} finally {
		bitmap.close();
	}
}
