import { beforeEach, describe, expect, it } from 'vitest';
import { localDb } from './local-db';
import { deviceActorId, getDeviceIdentity, getStaffSession, isFresh, parseExpiry, staffLogout } from './session';

beforeEach(async () => {
	await localDb.identity.clear();
});

describe('device identity', () => {
	it('is created once, with a UUID and a 32-byte base64url secret, and kept', async () => {
		const a = await getDeviceIdentity();
		expect(a.deviceId).toMatch(/^[0-9a-f-]{36}$/);
		expect(a.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const b = await getDeviceIdentity();
		expect(b).toEqual(a);
		expect(await deviceActorId()).toBe(`device:${a.deviceId}`);
	});
	it('two first calls at once still make one identity', async () => {
		const [a, b] = await Promise.all([getDeviceIdentity(), getDeviceIdentity()]);
		expect(a.deviceId).toBe(b.deviceId);
		expect(await localDb.identity.count()).toBe(1);
	});
});

describe('token expiry', () => {
	it('reads ISO times, epoch ms and epoch seconds', () => {
		expect(parseExpiry('2030-01-01T00:00:00Z')).toBe(Date.UTC(2030, 0, 1));
		expect(parseExpiry(1_900_000_000)).toBe(1_900_000_000_000);
		expect(parseExpiry(1_900_000_000_000)).toBe(1_900_000_000_000);
	});
	it('treats a token about to expire as stale', () => {
		const now = 1_000_000;
		expect(isFresh(now + 30_000, now)).toBe(false);
		expect(isFresh(now + 10 * 60_000, now)).toBe(true);
		expect(isFresh(undefined, now)).toBe(false);
	});
	it('an expired staff session asks for a new login; logout forgets it', async () => {
		const user = { sub: 'staff:police', role: 'handler' as const, tenantId: 'lam-dong', unitIds: ['police'] };
		await localDb.identity.put({ key: 'staff', username: 'police', token: 't', expiresAt: Date.now() - 1, user });
		expect(await getStaffSession()).toEqual({ session: null, expired: true });
		await localDb.identity.put({ key: 'staff', username: 'police', token: 't', expiresAt: Date.now() + 3_600_000, user });
		expect((await getStaffSession()).session?.username).toBe('police');
		await staffLogout();
		expect(await getStaffSession()).toEqual({ session: null, expired: false });
	});
});
