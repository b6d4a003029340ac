import imageCompression from 'browser-image-compression';
import { gps as exifGps } from 'exifr/dist/mini.esm.mjs';
import { MEDIA_LIMITS } from '../domain/limits';
import type { PhotoEncoding } from '../domain/tenant';
import { uuidv7 } from '../domain/uuid';
import type { PhotoRow } from './local-db';
import { appRoot } from '../pwa/namespace';

/**
 * On the device, before a photo goes into the outbox: read its GPS (a location when the phone had no
 * fix), then resize it to 1600 px on the long side and re-encode it in a web worker, which also
 * strips EXIF (the resident's location and phone model stay out of a photo that becomes public).
 *
 * Chosen by measurement on the three test photos at phone size (tests/fixtures/photos, 4000×3000
 * JPEG q92, 6,047 KB in all): at 1600 px, JPEG q70 is 653 KB and WebP q70 502 KB, against 854 KB
 * at JPEG q80 — about 10 s instead of 124 s at 400 kbit/s. A benchmark in bench/ confirms them.
 */
export const PHOTO_MAX_LONG_SIDE = MEDIA_LIMITS.storedLongSide;
export type PhotoMime = 'image/webp' | 'image/jpeg';
/** WebP when the browser can encode it (smaller at the same quality), JPEG otherwise (Safari). */
const PREFERRED_PHOTO_MIME: PhotoMime = 'image/webp';
export const FALLBACK_PHOTO_MIME: PhotoMime = 'image/jpeg';
/** Encoder quality per format (0–1), by the measurement above. */
export const PHOTO_QUALITY: Record<PhotoMime, number> = { 'image/webp': 0.7, 'image/jpeg': 0.7 };
/**
 * The resize worker loads its library with importScripts; by default from a CDN, which the phones
 * of rural communes may not reach. scripts/copy-vendor.mjs puts a copy under static/.
 */
const COMPRESSION_LIB_PATH = '/vendor/browser-image-compression.js';
/** EXIF sits in the first segment of a JPEG (at most 64 KB); no need to read a 6 MB photo for it. */
const EXIF_READ_BYTES = 256 * 1024;

export interface PreparedPhoto {
	blob: Blob;
	mime: string;
	width: number;
	height: number;
	originalBytes: number;
	gps: { lat: number; lng: number } | null;
}

export interface PreparePhotoOptions {
	maxLongSide?: number;
	quality?: number;
	mime?: PhotoMime;
}

/**
 * The tenant's photo encoding (TenantConfig.photoEncoding) as options for preparePhoto; none given
 * keeps the defaults above. `auto` leaves the format to the browser (WebP where it encodes it).
 */
export function photoOptionsFor(encoding: PhotoEncoding | undefined): PreparePhotoOptions {
	if (!encoding) return {};
	return {
		maxLongSide: encoding.longSide,
		quality: encoding.quality,
		...(encoding.format === 'jpeg' ? { mime: FALLBACK_PHOTO_MIME } : {})
	};
}

/** The photo could not be read or re-encoded on the device (not an image, or a format the browser cannot decode). */
class PhotoPrepareError extends Error {
	readonly code = 'media_not_image' as const;
	constructor(message: string) {
		super(message);
		this.name = 'PhotoPrepareError';
	}
}

/** The GPS position a camera wrote into the photo, or null (none, not a JPEG, unreadable). */
export async function readExifGps(file: Blob): Promise<{ lat: number; lng: number } | null> {
	try {
		const head = await file.slice(0, EXIF_READ_BYTES).arrayBuffer();
		const pos = await exifGps(head);
		if (!pos) return null;
		const { latitude: lat, longitude: lng } = pos;
		if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
		// Some phones write 0,0 when they had no fix; nobody files a report from the Gulf of Guinea.
		if (lat === 0 && lng === 0) return null;
		return { lat, lng };
	} catch {
		return null;
	}
}

let webpEncoding: Promise<boolean> | undefined;

/**
 * Whether this browser's canvas encodes WebP (Safari's returns PNG when asked for WebP). Tested
 * once, the way the resize worker encodes: OffscreenCanvas where there is one, else a canvas.
 */
function canEncodeWebp(): Promise<boolean> {
	webpEncoding ??= (async () => {
		try {
			if (typeof OffscreenCanvas !== 'undefined') {
				const canvas = new OffscreenCanvas(2, 2);
				const ctx = canvas.getContext('2d');
				if (ctx) {
					ctx.fillRect(0, 0, 1, 1);
					return (await canvas.convertToBlob({ type: 'image/webp', quality: 0.7 })).type === 'image/webp';
				}
			}
			if (typeof document !== 'undefined') {
				const canvas = document.createElement('canvas');
				canvas.width = canvas.height = 2;
				canvas.getContext('2d')?.fillRect(0, 0, 1, 1);
				const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/webp', 0.7));
				return blob?.type === 'image/webp';
			}
		} catch {
			// No canvas at all: JPEG is what every encoder has.
		}
		return false;
	})();
	return webpEncoding;
}

export async function choosePhotoMime(): Promise<PhotoMime> {
	return (await canEncodeWebp()) ? PREFERRED_PHOTO_MIME : FALLBACK_PHOTO_MIME;
}

async function imageSize(blob: Blob): Promise<{ width: number; height: number }> {
	const bitmap = await createImageBitmap(blob);
	try {
		return { width: bitmap.width, height: bitmap.height };
	} finally {
		bitmap.close();
	}
}

/** Reads GPS, then resizes and re-encodes the photo for sending. Browser only (canvas, worker). */
export async function preparePhoto(file: Blob, opts: PreparePhotoOptions = {}): Promise<PreparedPhoto> {
	const mime = opts.mime ?? (await choosePhotoMime());
	const input = file instanceof File ? file : new File([file], 'photo', { type: file.type });
	const [gps, blob] = await Promise.all([
		readExifGps(file),
		imageCompression(input, {
			maxWidthOrHeight: opts.maxLongSide ?? PHOTO_MAX_LONG_SIDE,
			fileType: mime,
			initialQuality: opts.quality ?? PHOTO_QUALITY[mime],
			useWebWorker: true,
			libURL: appRoot(globalThis.location.origin) + COMPRESSION_LIB_PATH,
			preserveExif: false,
			// No size target: a photo is always re-encoded (that is what strips EXIF), and when the
			// result comes out bigger than an already small original, lowering the quality once is enough.
			maxIteration: 1
		}).catch((e: unknown) => {
			throw new PhotoPrepareError(`The photo could not be read: ${e instanceof Error ? e.message : String(e)}`);
		})
	]);
	const { width, height } = await imageSize(blob).catch(() => {
		throw new PhotoPrepareError('The resized photo could not be read back.');
	});
	return { blob, mime: blob.type || mime, width, height, originalBytes: file.size, gps };
}

/**
 * A picked photo prepared the tenant's way (its photoEncoding, else the defaults above), as a row of
 * the device's `photos` table waiting to be sent: under its report and, for a handling step, its
 * event. The caller stores it.
 */
export async function preparePhotoRow(
	file: Blob,
	target: { reportId: string; eventId?: string },
	encoding?: PhotoEncoding
): Promise<PhotoRow> {
	const p = await preparePhoto(file, photoOptionsFor(encoding));
	return {
		id: uuidv7(),
		...target,
		blob: p.blob,
		mime: p.mime,
		width: p.width,
		height: p.height,
		bytes: p.blob.size,
		originalBytes: p.originalBytes,
		gps: p.gps,
		sent: 0,
		status: 'pending',
		createdAt: Date.now()
	};
}
