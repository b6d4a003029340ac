import { describe, expect, it } from 'vitest';
import { REDACTED_PHONE, redactPhones } from './redact';

describe('redactPhones', () => {
	it('hides Vietnamese phone numbers in every usual format', () => {
		for (const phone of ['0912345678', '+84912345678', '84912345678', '0912 345 678', '0912.345.678', '0912-345-678', '+84 912 345 678', '028 3822 1234'])
			expect(redactPhones(`Gọi ${phone} nhé`), phone).toBe(`Gọi ${REDACTED_PHONE} nhé`);
	});

	it('leaves other numbers alone: dates, house numbers, tracking codes, short codes', () => {
		for (const text of ['Ngày 12/05/2025 lúc 14:30', 'Số nhà 123/45 đường 3/2', 'Mã LD-250601-7KQ2', 'Tổng đài 1022', 'Năm 2025, 15 hộ', '0123'])
			expect(redactPhones(text), text).toBe(text);
	});
});
