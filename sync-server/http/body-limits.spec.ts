import { describe, expect, it } from 'vitest';
import { cutOversized, nestedDeeperThan } from './body-limits';

describe('nestedDeeperThan', () => {
	it('counts arrays and objects, not brackets inside strings', () => {
		expect(nestedDeeperThan('[[[]]]', 3)).toBe(false);
		expect(nestedDeeperThan('[[[[]]]]', 3)).toBe(true);
		expect(nestedDeeperThan('{"a":{"b":[1]}}', 3)).toBe(false);
		expect(nestedDeeperThan(`{"a":"${'['.repeat(100)}"}`, 2)).toBe(false);
		// An escaped quote does not end the string.
		expect(nestedDeeperThan(`["\\"[[[[[["]`, 2)).toBe(false);
		expect(nestedDeeperThan(`["\\\\",[[]]]`, 2)).toBe(true);
	});
});

const LIMITS = { depth: 3, items: 3, fields: 3, elements: 10 };
const cutOf = (text: string, limits = LIMITS) => {
	const r = cutOversized(text, limits);
	return { ...r, cut: Object.fromEntries(r.cut) };
};

describe('cutOversized', () => {
	it('leaves text within the limits as it is', () => {
		const text = '[{"a":[1,{"b":2}]},{"c":"[[[[,,,,"}]';
		expect(cutOf(text, { ...LIMITS, depth: 4 })).toEqual({ text, cut: {}, tooMany: false });
	});

	it('replaces what is nested too deep by null and names the elements where it happened', () => {
		const deep = '['.repeat(1000) + ']'.repeat(1000);
		const text = `[{"id":"a","x":1},{"id":"b","x":${deep}},{"id":"c","y":{"z":${deep}}},{"id":"d"}]`;
		const { text: kept, cut } = cutOf(text);
		expect(cut).toEqual({ 1: 'deep', 2: 'deep' });
		expect(JSON.parse(kept)).toEqual([{ id: 'a', x: 1 }, { id: 'b', x: [null] }, { id: 'c', y: { z: null } }, { id: 'd' }]);
	});

	it('cuts a wide array or object to its first items, keeping the id, and names the element', () => {
		const text = '[{"id":"a","u":[1,2,3,4,5]},{"id":"b","k1":1,"k2":2,"k3":3},{"id":"c","u":[1,2,3]},{"id":"d","o":{"x":",,,,"}}]';
		const { text: kept, cut } = cutOf(text);
		expect(cut).toEqual({ 0: 'wide', 1: 'wide' });
		expect(JSON.parse(kept)).toEqual([
			{ id: 'a', u: [1, 2, 3] },
			{ id: 'b', k1: 1, k2: 2 },
			{ id: 'c', u: [1, 2, 3] },
			{ id: 'd', o: { x: ',,,,' } }
		]);
	});

	it('stops at once when the top-level array has too many elements', () => {
		expect(cutOf(`[${'{},'.repeat(10)}{}]`).tooMany).toBe(true);
		expect(cutOf(`[${'{},'.repeat(9)}{}]`).tooMany).toBe(false);
	});

	it('keeps malformed text malformed (an unclosed deep value is not repaired)', () => {
		const { text } = cutOversized('[{"a":[[[[[1', LIMITS);
		expect(() => JSON.parse(text)).toThrow();
	});
});
