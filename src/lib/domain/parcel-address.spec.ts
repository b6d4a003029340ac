import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parcelAddressIndex, type AddressedParcel } from './parcel-address';

const W = '24778';
const p = (sheet: number, number: number, address?: string, wardCode = W): AddressedParcel => ({ wardCode, sheet, number, ...(address ? { address } : {}) });
const parcels = [
	p(1, 1, 'Số 28, tổ dân phố 4, Phường Lâm Viên - Đà Lạt'),
	p(1, 2, 'Số 128, tổ dân phố 4, Phường Lâm Viên - Đà Lạt'),
	p(1, 3, 'Số 4, tổ dân phố 28, Phường Lâm Viên - Đà Lạt'),
	p(1, 4, 'Số 28, tổ dân phố 14, Phường Lâm Viên - Đà Lạt'),
	p(2, 1, '15 Trần Phú, Phường Lâm Viên - Đà Lạt'),
	p(2, 2, 'Số 28, tổ dân phố 4, Phường Xuân Hương - Đà Lạt', '24781'),
	p(2, 3)
];
const index = parcelAddressIndex(parcels);
const found = (q: string, ward = W) => index.search(ward, q).map((x) => `${x.sheet}/${x.number}`);

describe('finding a parcel by its address', () => {
	it('reads a query without accents, in any case, with "tdp", "tổ" or "tổ dân phố" alike', () => {
		for (const q of ['Số 28, tổ dân phố 4', 'so 28 to dan pho 4', 'SO 28 TDP 4', '28 tổ 4', '28 tdp4', 'số nhà 28, tdp 4'])
			expect(found(q), q).toEqual(['1/1']);
	});

	it('matches numbers as whole numbers: 28 is not 128, 4 is not 14', () => {
		expect(found('28')).not.toContain('1/2');
		expect(found('28')).toEqual(expect.arrayContaining(['1/1', '1/3', '1/4']));
		expect(found('tdp 4')).toEqual(['1/1', '1/2']);
		expect(found('128')).toEqual(['1/2']);
		// Leading zeros as land papers print them.
		expect(found('so 028 to 04')).toEqual(['1/1']);
	});

	it('a number said to be the house (số) or the group (tổ) matches only that one', () => {
		expect(found('to 28')).toEqual(['1/3']);
		expect(found('so 4')).toEqual(['1/3']);
	});

	it('ranks the order typed and an early match first', () => {
		// Both hold 28 and 4; the one where they come in the order typed first.
		expect(found('28 4').slice(0, 2)).toEqual(['1/1', '1/3']);
		// "28" alone: the house numbers 28 before the group 28.
		expect(found('28').at(-1)).toBe('1/3');
	});

	it('every word must match, a word being typed matches by its start; only the ward asked', () => {
		expect(found('tran ph')).toEqual(['2/1']);
		expect(found('tran phu 15')).toEqual(['2/1']);
		expect(found('28 xuan huong')).toEqual([]);
		expect(found('28 xuan huong', '24781')).toEqual(['2/2']);
		// "tổ dân" still being typed is "tổ dân phố"; the 28 before it (the house) ranks first.
		expect(found('28 tổ dân')).toEqual(['1/1', '1/4', '1/3']);
		expect(found('nowhere street')).toEqual([]);
		expect(found('28', '99999')).toEqual([]);
		// Nothing left to match: no answer rather than every parcel.
		expect(found('số')).toEqual([]);
		expect(found(' ,- ')).toEqual([]);
	});

	it('answers at most 10, on the demo plan (240 addresses in Lâm Viên)', () => {
		const plan = JSON.parse(readFileSync(new URL('../../../data/tenants/lam-dong/zoning/demo-plan.json', import.meta.url), 'utf8')) as { parcels: AddressedParcel[] };
		const demo = parcelAddressIndex(plan.parcels);
		expect(demo.search(W, 'lam vien')).toHaveLength(10);
		const one = plan.parcels.find((x) => x.address)!;
		const [, house, group] = /Số (\d+), tổ dân phố (\d+)/.exec(one.address!)!;
		const hits = demo.search(W, `so ${house} tdp ${group}`);
		expect(hits[0].address).toBe(one.address);
		for (const h of hits) expect(h.address).toMatch(new RegExp(`Số ${house}, tổ dân phố ${group},`));
	});
});
