import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStorage } from '../../tests/support/temp-storage';
import type { Storage } from '../storage/storage';
import { apiKeyFromRequest, createApiKeys, hashApiKey, type ApiKeyCaller, type ApiKeyDoc } from './api-keys.service';

/**
 * The keys of feeding systems: only their hash is kept, a key opens the tenant's routes of its scopes
 * until revoked, and its use is counted without a write per request.
 */

let storage: Storage;
let clock = new Date('2026-12-07T02:00:00Z');
const used: ApiKeyCaller[] = [];
const keysOf = (tenantId = 'lam-dong') => createApiKeys({ store: storage.store<ApiKeyDoc>('api-keys'), tenantId, now: () => clock, onUse: (c) => used.push(c) });

beforeAll(async () => {
	storage = await openTempStorage('api-keys');
});
afterAll(() => storage?.close());

describe('api keys', () => {
	it('gives the key once, keeps only its sha256, and verifies it', async () => {
		const keys = keysOf();
		const made = await keys.create({ name: 'Hệ thống một cửa tỉnh', scopes: ['dossiers:import'], by: 'staff:admin' });
		expect(made.key).toMatch(/^cn_[A-Za-z0-9_-]{43}$/);
		const stored = await storage.store<ApiKeyDoc>('api-keys').get(`h:${hashApiKey(made.key)}`);
		expect(stored?.hash).toBe(hashApiKey(made.key));
		expect(JSON.stringify(stored)).not.toContain(made.key);
		expect(JSON.stringify(await keys.list())).not.toContain(made.key);
		expect(JSON.stringify(await keys.list())).not.toContain(stored!.hash);

		await expect(keys.verify(made.key, 'dossiers:import')).resolves.toMatchObject({ keyId: made.id, name: 'Hệ thống một cửa tỉnh' });
		// One character changed, another shape, another scope, another province: refused.
		const wrong = made.key.slice(0, -1) + (made.key.endsWith('A') ? 'B' : 'A');
		await expect(keys.verify(wrong)).rejects.toMatchObject({ status: 401, code: 'api_key_invalid' });
		await expect(keys.verify('cn_short')).rejects.toMatchObject({ code: 'api_key_invalid' });
		await expect(keys.verify(made.key, 'open311:requests')).rejects.toMatchObject({ status: 403, code: 'forbidden_scope' });
		await expect(keysOf('dak-lak').verify(made.key)).rejects.toMatchObject({ code: 'api_key_invalid' });
	});

	it('a revoked key stays listed and opens nothing', async () => {
		const keys = keysOf();
		const made = await keys.create({ name: 'Feed cũ', scopes: ['dossiers:import'], by: 'staff:admin' });
		const revoked = await keys.revoke(made.id, 'staff:admin');
		expect(revoked?.revokedAt).toBe(clock.toISOString());
		await expect(keys.verify(made.key)).rejects.toMatchObject({ status: 401, code: 'api_key_invalid' });
		expect((await keys.list()).find((k) => k.id === made.id)?.revokedAt).toBe(clock.toISOString());
		expect(await keys.revoke('no-such-key', 'staff:admin')).toBeNull();
	});

	it('counts uses, writing them at most once a minute', async () => {
		const keys = keysOf();
		const made = await keys.create({ name: 'Feed đếm', scopes: ['dossiers:import'], by: 'staff:admin' });
		used.length = 0;
		for (let i = 0; i < 5; i++) await keys.verify(made.key);
		expect(used).toHaveLength(5);
		const listed = async () => (await keys.list()).find((k) => k.id === made.id)!;
		// The first use is written; the next four wait for the minute.
		expect(await listed()).toMatchObject({ uses: 1, lastUsedAt: clock.toISOString() });
		clock = new Date(clock.getTime() + 61_000);
		await keys.verify(made.key);
		expect(await listed()).toMatchObject({ uses: 6, lastUsedAt: clock.toISOString() });
		await keys.verify(made.key);
		await keys.flush();
		expect((await listed()).uses).toBe(7);
	});

	it('seeds a demo key once: never overwritten, a revoked one stays revoked', async () => {
		const keys = keysOf();
		const demo = { name: 'Demo Open311', scopes: ['open311:requests' as const], key: 'cn_demo-seed-spec-xxxxxxxxxxxxxxxxxxxxxxxxxxxx' };
		expect(await keys.seed([demo])).toBe(1);
		const caller = await keys.verify(demo.key, 'open311:requests');
		expect(await keys.seed([demo])).toBe(0);
		await keys.revoke(caller.keyId, 'staff:admin');
		expect(await keys.seed([demo])).toBe(0);
		await expect(keys.verify(demo.key)).rejects.toMatchObject({ code: 'api_key_invalid' });
	});

	it('reads the key from `Authorization: ApiKey` or `X-Api-Key`, not from a bearer token', () => {
		const req = (headers: Record<string, string>) => ({ headers }) as never;
		expect(apiKeyFromRequest(req({ authorization: 'ApiKey cn_abc' }))).toBe('cn_abc');
		expect(apiKeyFromRequest(req({ 'x-api-key': 'cn_def' }))).toBe('cn_def');
		expect(apiKeyFromRequest(req({ authorization: 'Bearer xyz' }))).toBeNull();
	});
});
