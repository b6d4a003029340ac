import { describe, expect, it } from 'vitest';
import { nestedDeeperThan, pruneDeepElements } from './body-limits';

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

describe('pruneDeepElements', () => {
	it('leaves shallow text as it is', () => {
		const text = '[{"a":[1,{"b":2}]},{"c":"[[[["}]';
		expect(pruneDeepElements(text, 4)).toEqual({ text, pruned: new Set() });
	});

	it('replaces what is nested too deep by null and names the elements where it happened', () => {
		const deep = '['.repeat(1000) + ']'.repeat(1000);
		const text = `[{"id":"a","x":1},{"id":"b","x":${deep}},{"id":"c","y":{"z":${deep}}},{"id":"d"}]`;
		const { text: kept, pruned } = pruneDeepElements(text, 3);
		expect([...pruned]).toEqual([1, 2]);
		expect(JSON.parse(kept)).toEqual([{ id: 'a', x: 1 }, { id: 'b', x: [null] }, { id: 'c', y: { z: null } }, { id: 'd' }]);
	});

	it('keeps malformed text malformed (an unclosed deep value is not repaired)', () => {
		const { text } = pruneDeepElements('[{"a":[[[[[1', 3);
		expect(() => JSON.parse(text)).toThrow();
	});
});
