import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenService } from './tokens';

const principal = { sub: 'device:a', role: 'resident' as const, tenantId: 'lam-dong', unitIds: [] };

afterEach(() => vi.useRealTimers());

describe('token verification (kept while valid)', () => {
	it('answers a token again as it did the first time, and refuses it once expired, as without the cache', async () => {
		vi.useFakeTimers({ now: new Date('2026-12-05T02:00:00Z'), toFake: ['Date'] });
		const tokens = createTokenService({ secret: 's'.repeat(32), audience: 'lam-dong', ttlSeconds: 60 });
		const { token } = await tokens.sign(principal);
		expect(await tokens.verifyToken(token)).toEqual(principal);
		expect(await tokens.verifyToken(token)).toEqual(principal);
		vi.setSystemTime(new Date('2026-12-05T02:01:01Z'));
		await expect(tokens.verifyToken(token)).rejects.toMatchObject({ code: 'token_expired' });
	});

	it("never takes a forged token for a kept one, nor another province's", async () => {
		const tokens = createTokenService({ secret: 's'.repeat(32), audience: 'lam-dong', ttlSeconds: 600 });
		const other = createTokenService({ secret: 's'.repeat(32), audience: 'dak-lak', ttlSeconds: 600 });
		const { token } = await tokens.sign(principal);
		await tokens.verifyToken(token);
		const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
		await expect(tokens.verifyToken(forged)).rejects.toMatchObject({ code: 'token_invalid' });
		await expect(other.verifyToken(token)).rejects.toMatchObject({ code: 'token_invalid' });
	});
});
