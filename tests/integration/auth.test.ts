/** Staff logins, resident device identities and token checks on the real server. */
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, deviceSession, login, pull, startServer, TEST_TENANT_KEY, TEST_TOKEN_SECRET, type TestServer } from './harness';

let srv: TestServer;
beforeAll(async () => {
	srv = await startServer({ loginRateLimit: 5 });
});
afterAll(() => srv?.close());

describe('staff login', () => {
	it('gives a handler a token carrying their unit, and whether they head it', async () => {
		const s = await login(srv.url, 'ubnd-lam-vien');
		expect(s.user).toEqual({
			sub: 'staff:ubnd-lam-vien',
			role: 'handler',
			tenantId: 'lam-dong',
			unitIds: ['ubnd-lam-vien'],
			name: expect.any(String),
			unitHead: true
		});
		// The claim is in the token itself, so every request (and a renewed token) carries it.
		const claims = JSON.parse(Buffer.from(s.token.split('.')[1], 'base64url').toString());
		expect(claims).toMatchObject({ unitHead: true });
		expect((await login(srv.url, 'ubnd-xuan-huong')).user).not.toHaveProperty('unitHead');
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

	it('refuses a username that is not text with a code, even one whose toString is not a function', async () => {
		// Found by the fuzzer: the limiter's key read String(username) before validation and threw (500).
		for (const username of [{ toString: 5 }, { valueOf: null, toString: null }, ['admin'], 42, null]) {
			const r = await call(`${srv.url}/api/auth/login`, { body: { username, password: 'demo1234' } });
			expect(r.status).toBe(400);
			expect(r.body).toMatchObject({ error: { code: 'validation_failed' } });
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

	it('counts every spelling of a username against the same limit, the right password included', async () => {
		// Spellings the account lookup reads as `admin`: padding, case, full-width letters, invisible characters.
		const pads = ['', ' ', '\t', '\u00a0', '\u200b', '\ufeff', '\u3000'];
		const names = ['admin', 'ADMIN', 'Admin', 'aDmIn', '\uff41\uff44\uff4d\uff49\uff4e', 'ad\u200bmin', 'adm\u00adin', 'ad\u2060min'];
		const spellings = pads.flatMap((a) => pads.flatMap((b) => names.map((n) => `${a}${n}${b}`)));
		const statuses: number[] = [];
		const started = Date.now();
		for (let i = 0; i < 300; i += 20) {
			const batch = await Promise.all(
				Array.from({ length: 20 }, (_, k) =>
					call(`${srv.url}/api/auth/login`, { body: { username: spellings[(i + k) % spellings.length], password: `guess-${i + k}` } })
				)
			);
			for (const r of batch) {
				statuses.push(r.status);
				if (r.status === 429) expect(r.body).toMatchObject({ error: { code: 'rate_limited' } });
				else expect(r.status).toBe(401);
			}
		}
		expect(Date.now() - started).toBeLessThan(20_000);
		expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(5);
		// Once limited, the right password does not get through under any spelling either.
		for (const username of ['admin', ' admin ', 'ADMIN', '\uff41\uff44\uff4d\uff49\uff4e', 'ad\u200bmin']) {
			const r = await call(`${srv.url}/api/auth/login`, { body: { username, password: 'demo1234' } });
			expect(r.status, JSON.stringify(username)).toBe(429);
			expect(r.body).toMatchObject({ error: { code: 'rate_limited' } });
		}
	});
});

describe('guessing spread over many addresses', () => {
	it('stops at 10× the per-address limit for one username, whatever the addresses', async () => {
		// Each request from its own address (inject sets the peer address the limiter reads).
		const from = (i: number, password: string, username = 'natural-resources-environment') =>
			srv.handle.app.inject({
				method: 'POST',
				url: '/api/auth/login',
				remoteAddress: `10.1.${i >> 8}.${i & 255}`,
				payload: { username, password }
			});
		const statuses: number[] = [];
		for (let i = 0; i < 60; i += 10)
			statuses.push(...(await Promise.all(Array.from({ length: 10 }, (_, k) => from(i + k, `guess-${i + k}`)))).map((r) => r.statusCode));
		// loginRateLimit is 5 here: 50 guesses per minute reach the password check, then none.
		expect(statuses.filter((s) => s === 401)).toHaveLength(50);
		expect(statuses.filter((s) => s === 429)).toHaveLength(10);
		const right = await from(999, 'demo1234', ' Natural-Resources-Environment ');
		expect(right.statusCode).toBe(429);
		expect(right.json()).toMatchObject({ error: { code: 'rate_limited' } });
		// Another account from those addresses is not affected.
		expect((await from(1, 'demo1234', 'lanhdao')).statusCode).toBe(200);
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
	const sign = (claims: Record<string, unknown>, exp: number, key: Uint8Array = TEST_TENANT_KEY, audience = 'lam-dong') =>
		new SignJWT({ role: 'resident', tenantId: 'lam-dong', unitIds: [], ...claims })
			.setProtectedHeader({ alg: 'HS256' })
			.setSubject('device:00000000-0000-4000-8000-000000000000')
			.setAudience(audience)
			.setExpirationTime(exp)
			.sign(key);

	it('tells a missing, an expired and a forged token apart', async () => {
		const none = await pull(srv.url, '', 'reports');
		expect(none.status).toBe(401);
		expect(none.body).toMatchObject({ error: { code: 'unauthenticated' } });

		const expired = await pull(srv.url, await sign({}, Math.floor(Date.now() / 1000) - 60), 'reports');
		expect(expired.status).toBe(401);
		expect(expired.body).toMatchObject({ error: { code: 'token_expired' } });

		const soon = Math.floor(Date.now() / 1000) + 60;
		const forged = await pull(srv.url, await sign({ role: 'admin' }, soon, new TextEncoder().encode('x'.repeat(40))), 'reports');
		expect(forged.status).toBe(401);
		expect(forged.body).toMatchObject({ error: { code: 'token_invalid' } });

		// Each province signs with its own key, derived from TOKEN_SECRET: the deployment's secret itself signs nothing.
		const rawSecret = await pull(srv.url, await sign({}, soon, new TextEncoder().encode(TEST_TOKEN_SECRET)), 'reports');
		expect(rawSecret.body).toMatchObject({ error: { code: 'token_invalid' } });
		// A token for another province (its audience), or claiming another province, is refused.
		expect((await pull(srv.url, await sign({}, soon, TEST_TENANT_KEY, 'dak-lak'), 'reports')).body).toMatchObject({ error: { code: 'token_invalid' } });
		expect((await pull(srv.url, await sign({ tenantId: 'dak-lak' }, soon), 'reports')).body).toMatchObject({ error: { code: 'token_invalid' } });
		expect((await pull(srv.url, await sign({}, soon), 'reports')).status).toBe(200);

		const garbage = await pull(srv.url, 'not.a.token', 'reports');
		expect(garbage.body).toMatchObject({ error: { code: 'token_invalid' } });
	});

	it('accepts the token in ?token= (EventSource cannot send headers)', async () => {
		const s = await deviceSession(srv.url);
		const r = await call(`${srv.url}/api/sync/reports/pull?token=${s.token}`);
		expect(r.status).toBe(200);
	});
});
