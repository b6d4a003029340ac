import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { choosePhotoMime, FALLBACK_PHOTO_MIME, PHOTO_MAX_LONG_SIDE, PHOTO_QUALITY, readExifGps } from './photo-pipeline';

/** A camera-like JPEG: big enough that the EXIF is only in its first bytes, with a GPS block. */
async function jpegWithGps(gps?: { lat: string; latRef: string; lng: string; lngRef: string }): Promise<Blob> {
	let img = sharp({ create: { width: 1200, height: 900, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({ quality: 95 });
	if (gps) {
		img = img.withExif({
			IFD0: { Make: 'TestCam' },
			IFD3: { GPSLatitudeRef: gps.latRef, GPSLatitude: gps.lat, GPSLongitudeRef: gps.lngRef, GPSLongitude: gps.lng }
		});
	}
	const buf = await img.toBuffer();
	expect(buf.length).toBeGreaterThan(300 * 1024); // more than readExifGps reads
	return new Blob([new Uint8Array(buf)], { type: 'image/jpeg' });
}

describe('readExifGps', () => {
	it('reads the position a camera wrote (Đà Lạt: 11°56\'30"N 108°26\'15"E)', async () => {
		const photo = await jpegWithGps({ lat: '11/1 56/1 30/1', latRef: 'N', lng: '108/1 26/1 15/1', lngRef: 'E' });
		const gps = await readExifGps(photo);
		expect(gps?.lat).toBeCloseTo(11.941667, 5);
		expect(gps?.lng).toBeCloseTo(108.4375, 5);
	});

	it('gives null for a photo without GPS, a 0,0 "no fix" position, and a file that is not a photo', async () => {
		expect(await readExifGps(await jpegWithGps())).toBeNull();
		expect(await readExifGps(await jpegWithGps({ lat: '0/1 0/1 0/1', latRef: 'N', lng: '0/1 0/1 0/1', lngRef: 'E' }))).toBeNull();
		expect(await readExifGps(new Blob(['not a photo at all'], { type: 'image/jpeg' }))).toBeNull();
		const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
		expect(await readExifGps(new Blob([new Uint8Array(png)]))).toBeNull();
	});
});

describe('photo encoding choices', () => {
	it('resizes to the long side the server stores, at the measured quality', () => {
		expect(PHOTO_MAX_LONG_SIDE).toBe(1600);
		expect(PHOTO_QUALITY).toEqual({ 'image/webp': 0.7, 'image/jpeg': 0.7 });
	});

	it('falls back to JPEG where no canvas can encode WebP', async () => {
		// Node has no canvas: the same answer a browser without a WebP encoder gets.
		expect(await choosePhotoMime()).toBe(FALLBACK_PHOTO_MIME);
	});
});
