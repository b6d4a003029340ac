import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processPhoto } from './photo-processing';

const FIXTURE = join(import.meta.dirname, '../../tests/fixtures/photos/path.jpg');

function crc32(buf: Buffer): number {
	let c = ~0;
	for (const byte of buf) {
		c ^= byte;
		for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
	}
	return ~c >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([len, body, crc]);
}
/**
 * A PNG whose header declares width×height but whose pixel data is a few bytes of nonsense: if the
 * processor ever decoded it, it would fail with a decode error (media_not_image), so getting
 * media_too_many_pixels proves the refusal came from the header alone.
 */
function pixelBombPng(width: number, height: number): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 1; // bit depth
	ihdr[9] = 0; // greyscale
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(Buffer.alloc(64))),
		pngChunk('IEND', Buffer.alloc(0))
	]);
}

let dir: string;
let out: { outPath: string; thumbPath: string };
beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'cau-noi-photo-'));
	out = { outPath: join(dir, 'out.webp'), thumbPath: join(dir, 'out.thumb.webp') };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function exists(p: string) {
	return stat(p).then(
		() => true,
		() => false
	);
}

describe('processPhoto', () => {
	it('stores a real photo as WebP at most 1600 px on the long side, with a 320 px thumbnail and no EXIF', async () => {
		const before = await sharp(FIXTURE).metadata();
		expect(before.exif).toBeDefined(); // the fixture does carry EXIF, so "no EXIF" below means stripped

		const result = await processPhoto(FIXTURE, out);

		expect(result).toMatchObject({ status: 'ready', mime: 'image/webp', width: 1600, height: 1000 });
		const stored = await sharp(out.outPath).metadata();
		expect(stored.format).toBe('webp');
		expect(Math.max(stored.width, stored.height)).toBe(1600);
		expect(stored.exif).toBeUndefined();
		expect(stored.xmp).toBeUndefined();
		expect(result.status === 'ready' && result.bytes).toBe((await stat(out.outPath)).size);
		const thumb = await sharp(out.thumbPath).metadata();
		expect(thumb.format).toBe('webp');
		expect([thumb.width, thumb.height]).toEqual([320, 200]);
	});

	it('turns the photo upright by its EXIF orientation before stripping it', async () => {
		// A 300×200 landscape sensor image the phone marks "rotate 90° clockwise" (orientation 6).
		const src = join(dir, 'rotated.jpg');
		await sharp({ create: { width: 300, height: 200, channels: 3, background: '#3a6' } })
			.jpeg()
			.withMetadata({ orientation: 6 })
			.toFile(src);

		const result = await processPhoto(src, out);

		expect(result).toMatchObject({ status: 'ready', width: 200, height: 300 });
		const stored = await sharp(out.outPath).metadata();
		expect(stored.orientation).toBeUndefined();
	});

	it('never enlarges a small photo', async () => {
		const src = join(dir, 'small.png');
		await sharp({ create: { width: 640, height: 480, channels: 4, background: '#fff8' } }).png().toFile(src);
		expect(await processPhoto(src, out)).toMatchObject({ status: 'ready', width: 640, height: 480 });
	});

	it('rejects a text file renamed .jpg as media_not_image and writes nothing', async () => {
		const src = join(dir, 'notes.jpg');
		await writeFile(src, 'Đây không phải là ảnh — this is not a photo.\n'.repeat(50));

		const result = await processPhoto(src, out);

		expect(result).toMatchObject({ status: 'rejected', code: 'media_not_image' });
		expect(await exists(out.outPath)).toBe(false);
	});

	it('refuses a pixel bomb (a tiny PNG declaring 20000×20000) from its header, without decoding it', async () => {
		const src = join(dir, 'bomb.png');
		const bomb = pixelBombPng(20_000, 20_000);
		expect(bomb.length).toBeLessThan(200);
		await writeFile(src, bomb);

		const result = await processPhoto(src, { ...out, maxPixels: 50_000_000 });

		expect(result).toMatchObject({ status: 'rejected', code: 'media_too_many_pixels' });
		expect(await exists(out.outPath)).toBe(false);
	});

	it('turns a photo with a damaged header into a clear rejection', async () => {
		const src = join(dir, 'damaged.jpg');
		const real = await readFile(FIXTURE);
		const garbage = Buffer.alloc(200_000);
		for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 251;
		await writeFile(src, Buffer.concat([real.subarray(0, 600), garbage]));

		const result = await processPhoto(src, out);

		expect(result).toMatchObject({ status: 'rejected', code: 'media_not_image' });
		expect(await exists(out.outPath)).toBe(false);
	});

	it('turns a decoding failure (a photo cut off halfway) into a clear rejection instead of a crash', async () => {
		const src = join(dir, 'truncated.jpg');
		const real = await readFile(FIXTURE);
		await writeFile(src, real.subarray(0, Math.floor(real.length / 2)));
		// The header is intact, so this gets past metadata() and fails in the decoder.
		expect((await sharp(src).metadata()).width).toBe(2560);

		const result = await processPhoto(src, out);

		expect(result).toMatchObject({ status: 'rejected', code: 'media_not_image' });
		expect(result.status === 'rejected' && result.message).toMatch(/could not be decoded/);
		expect(await exists(out.outPath)).toBe(false);
		expect(await exists(`${out.outPath}.tmp`)).toBe(false);
	});

	it('refuses a file over the size cap before looking inside it', async () => {
		const { size } = await stat(FIXTURE);
		const result = await processPhoto(FIXTURE, { ...out, maxBytes: size - 1 });
		expect(result).toMatchObject({ status: 'rejected', code: 'media_too_large' });
		expect(await processPhoto(FIXTURE, { ...out, maxBytes: size })).toMatchObject({ status: 'ready' });
	});
});
