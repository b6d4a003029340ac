import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '$lib/domain/errors';
import { areas } from './area';
import { translate, vi } from './messages';
import { en } from './messages.en';

// Every area file registers itself when imported.
import.meta.glob('./areas/*.ts', { eager: true });

function leaves(o: object, prefix = ''): string[] {
	return Object.entries(o).flatMap(([k, v]) =>
		typeof v === 'string' ? [`${prefix}${k}`] : leaves(v as object, `${prefix}${k}.`)
	);
}

describe('messages', () => {
	it('has the same keys in Vietnamese and English', () => {
		expect(leaves(en).sort()).toEqual(leaves(vi).sort());
	});
	it('has words for every error code in both languages, saying what to do', () => {
		for (const code of ERROR_CODES) {
			for (const dict of [vi, en]) {
				const text = dict.errors[code];
				// Two sentences at least: what happened, then what to do.
				expect(text.split(/[.!?]\s/).length, `${code}: ${text}`).toBeGreaterThanOrEqual(2);
			}
		}
	});
	it('fills placeholders and leaves unknown keys visible', () => {
		expect(translate('vi', 'outbox.photos', { k: 2, n: 3 })).toBe('Đã gửi ảnh 2/3');
		expect(translate('en', 'outbox.photos', { k: 2, n: 3 })).toBe('Photos sent 2/3');
		expect(translate('vi', 'nope.missing')).toBe('nope.missing');
	});
	it('uses placeholders consistently across languages', () => {
		const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const key of leaves(vi)) {
			expect(vars(translate('en', key)), key).toEqual(vars(translate('vi', key)));
		}
	});
	it('has the same keys and placeholders in both languages in every area', () => {
		expect(areas.size).toBeGreaterThanOrEqual(6);
		const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const area of areas.values()) {
			expect(leaves(area.en as object).sort(), area.name).toEqual(leaves(area.vi as object).sort());
			for (const key of leaves(area.vi as object)) {
				const full = `${area.name}.${key}`;
				expect(translate('vi', full), full).not.toBe(full);
				expect(vars(translate('en', full)), full).toEqual(vars(translate('vi', full)));
			}
		}
	});
});
