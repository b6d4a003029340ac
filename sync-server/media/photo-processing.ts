import { chmod, rename, rm, stat } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import sharp, { type OutputInfo } from 'sharp';
import { MEDIA_LIMITS } from '$lib/domain/media';

/** Why a finished upload was refused; each is an ErrorCode the device shows in its own words. */
export type PhotoRejectionCode = 'media_not_image' | 'media_too_large' | 'media_too_many_pixels';

export type ProcessedPhoto =
	| {
			status: 'ready';
			mime: 'image/webp';
			/** Of the stored photo, after rotation by EXIF orientation and resizing. */
			width: number;
			height: number;
			/** Bytes of the stored photo (not of the upload, not of the thumbnail). */
			bytes: number;
			thumbBytes: number;
	  }
	| { status: 'rejected'; code: PhotoRejectionCode; message: string };

export interface ProcessPhotoOptions {
	/** Where the stored photo and its thumbnail are written (written to a temp name, then renamed). */
	outPath: string;
	thumbPath: string;
	maxBytes?: number;
	maxPixels?: number;
	longSide?: number;
	thumbLongSide?: number;
}

/**
 * WebP quality of what the server stores. Devices already send 1600 px WebP/JPEG at q70; a second
 * lossy pass at 75 keeps that quality without growing the file, and handlers on the same weak links
 * download it. Thumbnails are looked at small, in lists.
 */
const STORED_WEBP_QUALITY = 75;
const THUMB_WEBP_QUALITY = 70;

const ALLOWED_MIME: readonly string[] = MEDIA_LIMITS.allowedMime;

function reject(code: PhotoRejectionCode, message: string): ProcessedPhoto {
	return { status: 'rejected', code, message };
}

/**
 * Checks an uploaded file and re-encodes it for storage. Never throws for a bad file: a file that
 * is not an image, too big, a decompression bomb or corrupt comes back as a rejection with a code.
 * Order matters: size and type from the bytes first, then the pixel count from the header (sharp
 * `metadata()` reads the header only), and only then a full decode, itself capped by
 * `limitInputPixels` in case the header lied.
 */
export async function processPhoto(inputPath: string, opts: ProcessPhotoOptions): Promise<ProcessedPhoto> {
	const maxBytes = opts.maxBytes ?? MEDIA_LIMITS.maxBytes;
	const maxPixels = opts.maxPixels ?? MEDIA_LIMITS.maxPixels;
	const longSide = opts.longSide ?? MEDIA_LIMITS.storedLongSide;
	const thumbLongSide = opts.thumbLongSide ?? MEDIA_LIMITS.thumbLongSide;

	const { size } = await stat(inputPath);
	if (size > maxBytes) {
		return reject('media_too_large', `The photo is ${size} bytes; at most ${maxBytes} are accepted.`);
	}

	const type = await fileTypeFromFile(inputPath).catch(() => undefined);
	if (!type || !ALLOWED_MIME.includes(type.mime)) {
		return reject(
			'media_not_image',
			`The file is not a photo (found ${type?.mime ?? 'unknown content'}; accepted: ${ALLOWED_MIME.join(', ')}).`
		);
	}

	let width: number | undefined;
	let height: number | undefined;
	try {
		const meta = await sharp(inputPath, { limitInputPixels: false }).metadata();
		width = meta.width;
		height = meta.height;
	} catch {
		return reject('media_not_image', 'The photo could not be read: its header is damaged.');
	}
	if (!width || !height) return reject('media_not_image', 'The photo has no size in its header.');
	if (width * height > maxPixels) {
		return reject(
			'media_too_many_pixels',
			`The photo is ${width}×${height} = ${width * height} pixels; at most ${maxPixels} are accepted.`
		);
	}

	const tmpOut = `${opts.outPath}.tmp`;
	const tmpThumb = `${opts.thumbPath}.tmp`;
	let main: OutputInfo;
	let thumb: OutputInfo;
	try {
		// failOn 'error' rather than the default 'warning': some phone cameras write JPEGs with
		// harmless warnings ("extraneous bytes before marker") that must not cost the resident a photo.
		main = await sharp(inputPath, { limitInputPixels: maxPixels, failOn: 'error' })
			.autoOrient()
			.resize({ width: longSide, height: longSide, fit: 'inside', withoutEnlargement: true })
			// No withMetadata()/keepExif(): sharp writes no EXIF, XMP or ICC (converted to sRGB) — the
			// location and the phone's serial stay out of a photo that becomes public.
			.webp({ quality: STORED_WEBP_QUALITY })
			.toFile(tmpOut);
		// The thumbnail is cut from the small stored photo, not the full-size upload: one big decode only.
		thumb = await sharp(tmpOut)
			.resize({ width: thumbLongSide, height: thumbLongSide, fit: 'inside', withoutEnlargement: true })
			.webp({ quality: THUMB_WEBP_QUALITY })
			.toFile(tmpThumb);
	} catch (e) {
		await rm(tmpOut, { force: true });
		await rm(tmpThumb, { force: true });
		const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
		// libvips failing to write (full disk, permissions) is the server's fault: let it be a 500.
		if (/unable to (open|write)|no space left/i.test(reason)) throw e;
		return reject('media_not_image', `The photo could not be decoded (${reason}).`);
	}
	// Outside the try: a full disk is the server's trouble (500, retried), not a bad photo.
	// Readable by the server's user only, whatever the umask: a resident's photo is not the host's.
	await chmod(tmpOut, 0o600);
	await chmod(tmpThumb, 0o600);
	await rename(tmpOut, opts.outPath);
	await rename(tmpThumb, opts.thumbPath);
	return { status: 'ready', mime: 'image/webp', width: main.width, height: main.height, bytes: main.size, thumbBytes: thumb.size };
}
