/** Staff logins, resident device identities and token checks on the real server. */
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, deviceSession, login, pull, startServer, TEST_TOKEN_SECRET, type TestServer } from './harness';

let srv: TestServer;
beforeAll(async () => {
	srv = await startServer({ loginRateLimit: 5 });
});
afterAll(() => srv?.close());

describe('staff login', () => {
	it('gives a handler a token carrying their unit', async () => {
		const s = await login(srv.url, 'ubnd-lam-vien');
		expect(s.user).toEqual({
			sub: 'staff:ubnd-lam-vien',
			role: 'handler',
			tenantId: 'lam-dong',
			unitIds: ['ubnd-lam-vien'],
			name: expect.any(String)
		});
		const r = await call<{ expiresAt: string }>(`${srv.url}/api/auth/login`, { body: { username: 'lanhdao', password: 'demo1234' } });
		expect(r.status).toBe(200);
		expect(Date.parse(r.body.expiresAt)).toBeGreaterThan(Date.now());
		const ok = await pull(srv.url, s.token, 'reports');
		expect(ok.status).toBe(200);
	});

	it('refuses a wrong password and an unknown user alike', async () => {
		for (const body of [{ username: 'police', password: 'wrong' }, { username: 'nobody', password: 'demo1234' }]) {
			const r = await call(`${srv.url}/api/auth/login`, { body });
			expect(r.status).toBe(401);
			expect(r.body).toMatchObject({ error: { code: 'bad_credentials' } });
		}
	});

	it('slows down password guessing', async () => {
		const codes: number[] = [];
		for (let i = 0; i < 7; i++) {
			const r = await call(`${srv.url}/api/auth/login`, { body: { username: 'culture', password: `guess-${i}` } });
			codes.push(r.status);
			if (r.status === 429) expect(r.body).toMatchObject({ error: { code: 'rate_limited' } });
		}
		expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
		expect(codes.slice(5)).toEqual([429, 429]);
		// Another account from the same address still gets through.
		expect((await login(srv.url, 'food-safety')).user.role).toBe('handler');
	});
});

describe('resident device identity', () => {
	it('registers a device on first use and recognises it by its secret afterwards', async () => {
		const first = await deviceSession(srv.url);
		expect(first.user).toEqual({ sub: `device:${first.deviceId}`, role: 'resident', tenantId: 'lam-dong', unitIds: [] });
		const again = await deviceSession(srv.url, first.deviceId, first.secret);
		expect(again.user.sub).toBe(first.user.sub);
		const stolen = await call(`${srv.url}/api/auth/device`, {
			body: { deviceId: first.deviceId, secret: randomBytes(32).toString('base64url') }
		});
		expect(stolen.status).toBe(401);
		expect(stolen.body).toMatchObject({ error: { code: 'bad_credentials' } });
	});

	it('refuses a short secret or a malformed device id', async () => {
		const short = await call(`${srv.url}/api/auth/device`, { body: { deviceId: randomUUID(), secret: randomBytes(16).toString('base64url') } });
		expect(short.status).toBe(400);
		expect(short.body).toMatchObject({ error: { code: 'validation_failed' } });
		const badId = await call(`${srv.url}/api/auth/device`, { body: { deviceId: 'phone-1', secret: randomBytes(32).toString('base64url') } });
		expect(badId.status).toBe(400);
	});
});

describe('token checks', () => {
	const sign = (claims: Record<string, unknown>, exp: number, secret = TEST_TOKEN_SECRET) =>
		new SignJWT({ role: 'resident', tenantId: 'lam-dong', unitIds: [], ...claims })
			.setProtectedHeader({ alg: 'HS256' })
			.setSubject('device:00000000-0000-4000-8000-000000000000')
			.setExpirationTime(exp)
			.sign(new TextEncoder().encode(secret));

	it('tells a missing, an expired and a forged token apart', async () => {
		const none = await pull(srv.url, '', 'reports');
		expect(none.status).toBe(401);
		expect(none.body).toMatchObject({ error: { code: 'unauthenticated' } });

		const expired = await pull(srv.url, await sign({}, Math.floor(Date.now() / 1000) - 60), 'reports');
		expect(expired.status).toBe(401);
		expect(expired.body).toMatchObject({ error: { code: 'token_expired' } });

		const forged = await pull(srv.url, await sign({ role: 'admin' }, Math.floor(Date.now() / 1000) + 60, 'x'.repeat(40)), 'reports');
		expect(forged.status).toBe(401);
		expect(forged.body).toMatchObject({ error: { code: 'token_invalid' } });

		const garbage = await pull(srv.url, 'not.a.token', 'reports');
		expect(garbage.body).toMatchObject({ error: { code: 'token_invalid' } });
	});

	it('accepts the token in ?token= (EventSource cannot send headers)', async () => {
		const s = await deviceSession(srv.url);
		const r = await call(`${srv.url}/api/sync/reports/pull?token=${s.token}`);
		expect(r.status).toBe(200);
	});
});
