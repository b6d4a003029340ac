import { describe, expect, it } from 'vitest';
import { hashPin, validPin, verifyPin } from './pin';

describe('the kiosk PIN', () => {
	it('accepts 6 to 12 digits only', () => {
		expect(validPin('123456')).toBe(true);
		expect(validPin('123456789012')).toBe(true);
		for (const bad of ['', '12345', '1234567890123', '12345a', ' 123456', '１２３４５６']) expect(validPin(bad)).toBe(false);
	});

	it('is kept as a salted PBKDF2 hash that verifies the right PIN only', async () => {
		const h = await hashPin('246810', 1_000);
		expect(JSON.stringify(h)).not.toContain('246810');
		expect(h.iterations).toBe(1_000);
		expect(atob(h.hash)).toHaveLength(32);
		expect(atob(h.salt)).toHaveLength(16);
		expect(await verifyPin('246810', h)).toBe(true);
		expect(await verifyPin('246811', h)).toBe(false);
		expect(await verifyPin('', h)).toBe(false);
	});

	it('salts each hash anew, and a damaged record opens nothing', async () => {
		const a = await hashPin('246810', 1_000);
		const b = await hashPin('246810', 1_000);
		expect(a.salt).not.toBe(b.salt);
		expect(a.hash).not.toBe(b.hash);
		expect(await verifyPin('246810', { ...a, hash: 'not base64!' })).toBe(false);
		expect(await verifyPin('246810', { ...a, hash: b.hash })).toBe(false);
	});

	it('uses a slow default', async () => {
		expect((await hashPin('246810')).iterations).toBeGreaterThanOrEqual(100_000);
	});
});
