import { DOSSIER_FILE_LIMITS, looksLikePdf } from '../domain/application-rules';
import type { ErrorCode } from '../domain/errors';
import type { PhotoEncoding } from '../domain/tenant';
import { toNaturalPixels, type CropRect } from './page-crop';

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
	/** A photo's size in pixels (none for a PDF). */
	width?: number;
	height?: number;
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
		return { blob: p.blob, mime: p.mime, bytes: p.blob.size, name: file.name, width: p.width, height: p.height };
	} catch (e) {
		if (e instanceof PageRefused) throw e;
		// The browser could not decode it: a broken photo or a file that only says it is one.
		throw new PageRefused('file_not_document');
	}
}

type Ctx2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

/** Draws on a canvas of that size and encodes it: OffscreenCanvas where there is one, else a page canvas. */
async function drawAndEncode(width: number, height: number, draw: (ctx: Ctx2D) => void, type: string, quality: number): Promise<Blob> {
	if (typeof OffscreenCanvas !== 'undefined') {
		const canvas = new OffscreenCanvas(width, height);
		const ctx = canvas.getContext('2d');
		if (ctx) {
			draw(ctx);
			return await canvas.convertToBlob({ type, quality });
		}
	}
	const canvas = document.createElement('canvas');
	canvas.width = width;
	canvas.height = height;
	const ctx = canvas.getContext('2d');
	if (!ctx) throw new Error('no 2D canvas');
	draw(ctx);
	const out = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, quality));
	if (!out) throw new Error('the canvas gave no image');
	return out;
}

const encodable = (blob: Blob) => (blob.type === 'image/webp' || blob.type === 'image/png' ? blob.type : 'image/jpeg');

/** The quality the photo pipeline encodes this page's format at: a turned or cropped page is no heavier per pixel. */
async function pipelineQuality(blob: Blob, encoding?: PhotoEncoding): Promise<number> {
	const { photoOptionsFor, PHOTO_QUALITY } = await import('../sync/photo-pipeline');
	const type = encodable(blob);
	return photoOptionsFor(encoding).quality ?? (type === 'image/webp' || type === 'image/jpeg' ? PHOTO_QUALITY[type] : undefined) ?? 0.7;
}

/**
 * The page turned a quarter clockwise, re-encoded in its own format. Browsers give a page no more
 * than a canvas here: no edge detection or perspective correction (the Shape Detection API finds
 * barcodes and faces, not sheets of paper), so straightening is by quarter turns and framing by
 * the resident's own crop (cropPage).
 */
export async function rotateQuarter(blob: Blob, encoding?: PhotoEncoding): Promise<Blob> {
	const quality = await pipelineQuality(blob, encoding);
	const bitmap = await createImageBitmap(blob);
	try {
		const { width, height } = bitmap;
		return await drawAndEncode(
			height,
			width,
			(ctx) => {
				ctx.translate(height, 0);
				ctx.rotate(Math.PI / 2);
				ctx.drawImage(bitmap, 0, 0);
			},
			encodable(blob),
			quality
		);
	} finally {
		bitmap.close();
	}
}

/**
 * The part of the page the resident framed (fractions of the page, page-crop.ts), in the page's
 * own format at the quality the photo pipeline used, so a cropped page is no heavier per pixel
 * than one just photographed. On the main thread: the pipeline's worker only resizes, and one
 * canvas draw of a page already at most 1600 px is quick.
 */
export async function cropPage(blob: Blob, rect: CropRect, encoding?: PhotoEncoding): Promise<{ blob: Blob; width: number; height: number }> {
	const type = encodable(blob);
	const quality = await pipelineQuality(blob, encoding);
	const bitmap = await createImageBitmap(blob);
	try {
		const { sx, sy, sw, sh } = toNaturalPixels(rect, bitmap);
		const out = await drawAndEncode(sw, sh, (ctx) => ctx.drawImage(bitmap, sx, sy, sw, sh, 0, 0, sw, sh), type, quality);
		return { blob: out, width: sw, height: sh };
	} finally {
		bitmap.close();
	}
}
