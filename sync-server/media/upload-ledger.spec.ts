import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUploadLedger, DEFAULT_UPLOAD_LIMITS } from './upload-ledger';

let dir: string;
beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'ledger-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A partial upload as @tus/file-store leaves it: the raw bytes and a JSON record. */
async function partial(id: string, uploader: string, size: number, lastByteAgoMs: number) {
	await writeFile(join(dir, id), Buffer.alloc(10));
	await writeFile(join(dir, `${id}.json`), JSON.stringify({ id, size, metadata: { uploader, address: '10.0.0.1' } }));
	const t = new Date(Date.now() - lastByteAgoMs);
	await utimes(join(dir, id), t, t);
}

describe('unfinished uploads ledger', () => {
	it('deletes partial uploads whose last byte is older than the TTL, keeps the rest and a finished record', async () => {
		await partial('old', 'device:a', 100, 25 * 3_600_000);
		await partial('fresh', 'device:a', 100, 60_000);
		await writeFile(join(dir, 'done.json'), JSON.stringify({ id: 'done', size: 5, metadata: { uploader: 'device:a' } }));
		const ledger = createUploadLedger(dir, DEFAULT_UPLOAD_LIMITS);
		expect(await ledger.sweep()).toBe(1);
		expect((await readdir(dir)).sort()).toEqual(['done.json', 'fresh', 'fresh.json']);
		expect(ledger.heldBy('device:a')).toBe(100);
	});

	it('refuses a reservation over the cap per uploader and per address with media_quota, and counts a repeated id once', async () => {
		const ledger = createUploadLedger(dir, { ...DEFAULT_UPLOAD_LIMITS, perIdentityBytes: 100, perAddressBytes: 150 });
		ledger.reserve('u1', { uploader: 'a', address: 'x', length: 60 });
		ledger.reserve('u1', { uploader: 'a', address: 'x', length: 60 });
		expect(() => ledger.reserve('u2', { uploader: 'a', address: 'x', length: 60 })).toThrow(expect.objectContaining({ code: 'media_quota', status: 429 }));
		ledger.reserve('u3', { uploader: 'b', address: 'x', length: 80 });
		expect(() => ledger.reserve('u4', { uploader: 'c', address: 'x', length: 20 })).toThrow(expect.objectContaining({ code: 'media_quota' }));
		ledger.release('u1');
		ledger.reserve('u4', { uploader: 'c', address: 'x', length: 20 });
	});
});
