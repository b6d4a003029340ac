import { describe, expect, it, vi } from 'vitest';
import type { AdminUnit } from '$lib/domain/tenant';
import { orderWards } from './ward-order';

const unit = (code: string, name: string, type = name.startsWith('Xã') ? 'xã' : 'phường'): AdminUnit => ({ code, codeSet: '2025', name, nameEn: name, type });
// In the tenant's order (by code), as the list showed them before.
const UNITS = [
	unit('1', 'Phường Mũi Né'),
	unit('2', 'Xã Đạ Huoai'),
	unit('3', 'Phường Bảo Lộc'),
	unit('4', 'Xã Ân Hảo'),
	unit('5', 'Phường Lâm Viên - Đà Lạt'),
	unit('6', 'Xã Lạc Dương')
];
const names = (list: AdminUnit[]) => list.map((u) => u.name);

describe('the ward list order on the report form', () => {
	it('with no location: alphabetical by the name after "Phường"/"Xã", Vietnamese letters in their place', () => {
		expect(names(orderWards(UNITS, { locale: 'vi' }))).toEqual([
			'Xã Ân Hảo',
			'Phường Bảo Lộc',
			'Xã Đạ Huoai',
			'Xã Lạc Dương',
			'Phường Lâm Viên - Đà Lạt',
			'Phường Mũi Né'
		]);
	});

	it('with a location: nearest first (the ward it is in at 0 m), ties alphabetical', () => {
		const distances = new Map([['1', 90_000], ['2', 40_000], ['3', 40_000], ['4', 120_000], ['5', 0], ['6', 8_000]]);
		expect(names(orderWards(UNITS, { locale: 'vi', distances }))).toEqual([
			'Phường Lâm Viên - Đà Lạt',
			'Xã Lạc Dương',
			'Phường Bảo Lộc',
			'Xã Đạ Huoai',
			'Phường Mũi Né',
			'Xã Ân Hảo'
		]);
	});

	it("a volunteer team's own communes first, then the rest, each part in the same order", () => {
		const first = ['6', '3'];
		expect(names(orderWards(UNITS, { locale: 'vi', first }))).toEqual([
			'Phường Bảo Lộc',
			'Xã Lạc Dương',
			'Xã Ân Hảo',
			'Xã Đạ Huoai',
			'Phường Lâm Viên - Đà Lạt',
			'Phường Mũi Né'
		]);
		const distances = new Map([['1', 1], ['2', 2], ['3', 30], ['4', 4], ['5', 5], ['6', 20]]);
		expect(names(orderWards(UNITS, { locale: 'vi', first, distances })).slice(0, 3)).toEqual(['Xã Lạc Dương', 'Phường Bảo Lộc', 'Phường Mũi Né']);
	});

	it('English names sort by their English name', () => {
		const en = [unit('1', 'Xã B'), unit('2', 'Phường A')].map((u, i) => ({ ...u, nameEn: ['Alpha Commune', 'Beta Ward'][i] }));
		expect(orderWards(en, { locale: 'en' }).map((u) => u.nameEn)).toEqual(['Alpha Commune', 'Beta Ward']);
	});

	it('sorts the names once per list and language: a new GPS fix or a keystroke reorders without comparing names again', () => {
		const list = [...UNITS];
		const Real = Intl.Collator;
		const collators = vi.spyOn(Intl, 'Collator').mockImplementation(function (...args: ConstructorParameters<typeof Intl.Collator>) {
			return new Real(...args);
		} as unknown as typeof Intl.Collator);
		try {
			const alpha = names(orderWards(list, { locale: 'vi' }));
			const near = names(orderWards(list, { locale: 'vi', distances: new Map([['4', 0]]) }));
			expect(names(orderWards(list, { locale: 'vi' }))).toEqual(alpha);
			expect(near[0]).toBe('Xã Ân Hảo');
			// The others after it, still alphabetical.
			expect(near.slice(1)).toEqual(alpha.filter((n) => n !== 'Xã Ân Hảo'));
			expect(collators).toHaveBeenCalledTimes(1);
			orderWards(list, { locale: 'en' });
			expect(collators).toHaveBeenCalledTimes(2);
		} finally {
			collators.mockRestore();
		}
	});
});
