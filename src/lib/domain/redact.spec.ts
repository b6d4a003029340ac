import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OTHER_PHONE_SPELLINGS, phoneSpellings } from '../../../tests/support/phone-spellings';
import { REDACTED_PHONE, redactPhones } from './redact';

/**
 * Spellings of one Vietnamese number as people type them into a note or a description (and what
 * a keyboard, a copy from a chat or a web page slips in): every one must disappear from public text.
 */
const SPELLINGS = [...phoneSpellings('912345678'), ...OTHER_PHONE_SPELLINGS];

/** What a handler legitimately writes and the public must read as written. */
const ORDINARY = [
	'Ngày 12/03/2026 lúc 14:30',
	'Từ 01/09/2025-05/09/2025 đã kiểm tra 3 lần',
	'Hỗ trợ 1.500.000 đồng cho 12 hộ',
	'Kinh phí 84.500.000 đồng',
	'Mã LD-250101-ABCDE đã xử lý',
	'Mã LD-250601-7KQ2',
	'Số nhà 123/45 đường 3/2',
	'Trước số 12, tổ 09',
	'Tổng đài 1022, cấp cứu 115',
	'Năm 2025, 15 hộ, 84 người',
	'0123',
	'Mã số thuế 0101234567',
	'Kiểm tra lúc 07:30 - 09:45 ngày 2/9',
	'Tọa độ 11.9465, 108.4419'
];

/**
 * Hotlines of offices and firms (1800 free, 1900 paid) are service numbers leased by organisations,
 * never a private person's line: a handler writes them so residents can call, and they stay.
 */
const HOTLINES = ['Gọi đường dây nóng 1900 1234', 'Tổng đài miễn phí 1800 1234', 'Điện lực: 1900.545.454', '1800 599 920'];

describe('redactPhones', () => {
	it.each(SPELLINGS)('hides %j wherever it stands in a sentence', (phone) => {
		expect(redactPhones(phone)).toBe(REDACTED_PHONE);
		expect(redactPhones(`Gọi ${phone} nhé`)).toBe(`Gọi ${REDACTED_PHONE} nhé`);
		expect(redactPhones(`SĐT:${phone}.`)).toBe(`SĐT:${REDACTED_PHONE}.`);
		expect(redactPhones(`(anh An ${phone})`)).toBe(`(anh An ${REDACTED_PHONE})`);
	});

	it('hides each of several numbers, and a number next to a date', () => {
		expect(redactPhones('Gọi 0912 345 678 hoặc 0903.111.222, 0263 3822 123 - 0987654321')).toBe(
			`Gọi ${REDACTED_PHONE} hoặc ${REDACTED_PHONE}, ${REDACTED_PHONE} - ${REDACTED_PHONE}`
		);
		expect(redactPhones('Ngày 12/03/2026 0912345678')).toBe(`Ngày 12/03/2026 ${REDACTED_PHONE}`);
		expect(redactPhones('(0912345678)')).toBe(`(${REDACTED_PHONE})`);
	});

	it.each([...ORDINARY, ...HOTLINES])('leaves %j as written', (text) => {
		expect(redactPhones(text)).toBe(text);
	});
});

describe('redactPhones on generated numbers', () => {
	it('hides any mobile number in any spelling, and keeps the words around it', () => {
		const mobile = fc.tuple(fc.constantFrom('3', '5', '7', '8', '9'), fc.stringMatching(/^\d{8}$/)).map(([p, r]) => p + r);
		fc.assert(
			fc.property(mobile, fc.nat(phoneSpellings('912345678').length - 1), (national, k) => {
				const phone = phoneSpellings(national)[k];
				const out = redactPhones(`Anh Tư ${phone} nhé`);
				expect(out).toBe(`Anh Tư ${REDACTED_PHONE} nhé`);
			}),
			{ numRuns: 500 }
		);
	});
});
