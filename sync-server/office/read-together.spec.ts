import { describe, expect, it } from 'vitest';
import { readTogether } from './read-together';

/** A read that waits until released, so the test decides when each one ends. */
function gatedReads() {
	const calls: { group: string; asks: number[]; release: () => void }[] = [];
	const read = readTogether<number, string>(
		(group, asks) =>
			new Promise((resolve, reject) => {
				const n = calls.length + 1;
				calls.push({
					group,
					asks,
					release: () => (asks.includes(-1) ? reject(new Error('store down')) : resolve(asks.map((a) => `${group}:${a}:${n}`)))
				});
			})
	);
	return { calls, read };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('readTogether', () => {
	it('answers those who asked during a read with the next read, started after they asked', async () => {
		const { calls, read } = gatedReads();
		const first = read('office', 1);
		await tick();
		const during = [read('office', 2), read('office', 3), read('office', 4)];
		await tick();
		// Only the first read runs: the three who came meanwhile must not get its (older) answer.
		expect(calls.map((c) => c.asks)).toEqual([[1]]);
		calls[0].release();
		expect(await first).toBe('office:1:1');
		await tick();
		expect(calls.map((c) => c.asks)).toEqual([[1], [2, 3, 4]]);
		calls[1].release();
		expect(await Promise.all(during)).toEqual(['office:2:2', 'office:3:2', 'office:4:2']);
	});

	it('keeps groups apart, and a failed read fails only the callers it was for', async () => {
		const { calls, read } = gatedReads();
		const a = read('a', -1);
		const b = read('b', 7);
		await tick();
		expect(calls.map((c) => [c.group, c.asks])).toEqual([
			['a', [-1]],
			['b', [7]]
		]);
		const later = read('a', 8);
		calls[0].release();
		await expect(a).rejects.toThrow('store down');
		calls[1].release();
		expect(await b).toBe('b:7:2');
		await tick();
		calls[2].release();
		expect(await later).toBe('a:8:3');
	});
});
