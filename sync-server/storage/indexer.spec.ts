import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { createFeedFollower, revGeneration, type CheckpointDoc, type FeedFollower } from './indexer';
import type { Change, Storage, Store, StoredDoc } from './storage';
import { openTempStorage } from '../../tests/support/temp-storage';

/** The feed follower over the real storage (LevelDB in a temp dir). */
let storage: Storage;
let source: Store<StoredDoc>;
const followers: FeedFollower[] = [];

beforeEach(async () => {
	storage = await openTempStorage('follower');
	source = storage.store('events');
});

afterEach(async () => {
	await Promise.all(followers.splice(0).map((f) => f.stop()));
	await storage.close();
});

function follower(seen: string[], opts: { batchSize?: number; slow?: boolean } = {}) {
	const f = createFeedFollower({
		name: 'events',
		source,
		checkpoints: storage.store('scope-index') as unknown as Store<CheckpointDoc>,
		checkpointId: '@checkpoint/events',
		batchSize: opts.batchSize,
		async apply(changes: Change[]) {
			if (opts.slow) await new Promise((r) => setTimeout(r, 30));
			seen.push(...changes.map((c) => c.id));
		}
	});
	followers.push(f);
	return f;
}

const write = async (n: number) => {
	const docs = Array.from({ length: n }, () => ({ id: uuidv7(), n: 1 }));
	await source.bulkPut(docs.map((doc) => ({ doc, rev: null })));
	return docs.map((d) => d.id);
};

describe('feed follower', () => {
	it('applies every change once, in batches, and goes on from its checkpoint after a restart', async () => {
		const first = await write(25);
		const seen: string[] = [];
		await follower(seen, { batchSize: 10 }).catchUp();
		expect(seen).toEqual(first);

		const later = await write(3);
		const again: string[] = [];
		const restarted = follower(again, { batchSize: 10 });
		await restarted.catchUp();
		// Only what was written after the checkpoint: the first 25 are not read again.
		expect(again).toEqual(later);
		expect(restarted.applied()).toBe(3);
	});

	it('sees a write made while a pass is running (the caller waits for a pass that starts after its call)', async () => {
		await write(5);
		const seen: string[] = [];
		const f = follower(seen, { batchSize: 2, slow: true });
		const running = f.catchUp();
		const late = await write(1);
		await f.catchUp();
		expect(seen).toContain(late[0]);
		await running;
		expect(new Set(seen).size).toBe(seen.length);
	});

	it('follows live writes once started', async () => {
		const seen: string[] = [];
		const f = follower(seen);
		f.start();
		const ids = await write(2);
		await expect.poll(() => seen, { timeout: 5000 }).toEqual(ids);
	});

	it('reads revision generations', () => {
		expect(revGeneration('12-abc')).toBe(12);
		expect(revGeneration(undefined)).toBe(0);
	});
});
