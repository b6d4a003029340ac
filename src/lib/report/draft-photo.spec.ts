import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PreparePhotoOptions } from '../sync/photo-pipeline';
import { localDb } from '../sync/local-db';
import { prepareDraftPhoto } from './draft.service';

/**
 * The resize itself needs a browser (canvas, worker): here only what the form hands it is checked —
 * the tenant's photo encoding must reach preparePhoto, and its result must land in the draft.
 */
const prepared = vi.hoisted(() => ({ calls: [] as PreparePhotoOptions[] }));
vi.mock('../sync/photo-pipeline', async (importOriginal) => {
	const real = await importOriginal<typeof import('../sync/photo-pipeline')>();
	return {
		...real,
		preparePhoto: async (file: Blob, opts: PreparePhotoOptions = {}) => {
			prepared.calls.push(opts);
			const mime = opts.mime ?? 'image/webp';
			const side = opts.maxLongSide ?? real.PHOTO_MAX_LONG_SIDE;
			return { blob: new Blob(['resized'], { type: mime }), mime, width: side, height: (side * 3) / 4, originalBytes: file.size, gps: null };
		}
	};
});

const original = new Blob([new Uint8Array(4096)], { type: 'image/jpeg' });

beforeEach(async () => {
	prepared.calls.length = 0;
	await localDb.photos.clear();
});

describe("a picked photo is encoded as the tenant's config says", () => {
	it("passes a tenant's encoding (FixMyStreet's 2048 px JPEG q0.6) to preparePhoto and stores the result", async () => {
		const row = await prepareDraftPhoto(original, 'r1', { longSide: 2048, quality: 0.6, format: 'jpeg' });
		expect(prepared.calls).toEqual([{ maxLongSide: 2048, quality: 0.6, mime: 'image/jpeg' }]);
		expect(row).toMatchObject({ reportId: 'r1', mime: 'image/jpeg', width: 2048, height: 1536, bytes: 7, originalBytes: 4096 });
		expect(await localDb.photos.get(row.id)).toMatchObject({ status: 'pending', sent: 0, width: 2048 });
	});

	it('leaves the format to the browser for `auto`, and keeps the defaults when the tenant says nothing', async () => {
		await prepareDraftPhoto(original, 'r1', { longSide: 1280, quality: 0.8, format: 'auto' });
		await prepareDraftPhoto(original, 'r1', undefined);
		expect(prepared.calls).toEqual([{ maxLongSide: 1280, quality: 0.8 }, {}]);
		expect(await localDb.photos.where('reportId').equals('r1').count()).toBe(2);
	});
});
