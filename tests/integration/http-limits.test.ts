/**
 * Connection hygiene: sockets that send nothing are closed, live streams are capped per identity
 * and per address and end with their token, tokens must carry an expiry this server could have
 * given, and /_db answers carry the same security headers as the API.
 */
import net from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncCollection } from '$lib/domain/sync-protocol';
import { call, deviceSession, fileReport, pull, startServer, STORAGE_MODE, TEST_DB_ADMIN_PASSWORD, TEST_TENANT_KEY, type TestServer } from './harness';

let srv: TestServer;
beforeAll(async () => {
	srv = await startServer({ httpIdleTimeoutMs: 600, httpHeadersTimeoutMs: 1_000, streamsPerIdentity: 2, streamsPerAddress: 3 });
});
afterAll(() => srv?.close());

/** Opens a raw socket and resolves with how long the server kept it (ms), or -1 after `maxMs`. */
function socketLife(url: string, maxMs: number, onConnect: (s: net.Socket) => void = () => {}): Promise<number> {
	const { hostname, port } = new URL(url);
	return new Promise((resolve) => {
		const t0 = performance.now();
		const s = net.connect(Number(port), hostname, () => onConnect(s));
		const give = setTimeout(() => (s.destroy(), resolve(-1)), maxMs);
		s.on('error', () => undefined);
		s.on('close', () => (clearTimeout(give), resolve(performance.now() - t0)));
	});
}

/** A live stream as a device opens it; `ended` resolves (with ms since open) when the server ends it. */
async function liveStream(base: string, token: string, collection: SyncCollection = 'reports') {
	const ac = new AbortController();
	const t0 = performance.now();
	const res = await fetch(`${base}/api/sync/${collection}/stream?token=${encodeURIComponent(token)}`, { signal: ac.signal });
	if (res.status !== 200) {
		return { status: res.status, body: (await res.json()) as { error: { code: string } }, ended: Promise.resolve(0), close: () => ac.abort() };
	}
	let text = '';
	const ended = (async () => {
		const reader = res.body!.getReader();
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return performance.now() - t0;
			text += new TextDecoder().decode(value);
		}
	})().catch(() => -1);
	return { status: res.status, body: null, ended, close: () => ac.abort(), text: () => text };
}

describe('idle connections', () => {
	it('closes a socket that sends nothing, and one that trickles headers forever', async () => {
		const idle = await socketLife(srv.url, 5_000);
		expect(idle).toBeGreaterThan(400);
		expect(idle).toBeLessThan(2_500);
		// One header line every 200 ms: never idle, but the headers never end.
		let timer: NodeJS.Timeout | undefined;
		const slow = await socketLife(srv.url, 8_000, (s) => {
			s.write('GET /api/health HTTP/1.1\r\nhost: x\r\n');
			timer = setInterval(() => s.write(`x-pad-${Math.random().toString(36).slice(2)}: 1\r\n`), 200);
		});
		clearInterval(timer);
		expect(slow).toBeGreaterThan(800);
		expect(slow).toBeLessThan(5_000);
	});

	it('keeps a quiet live stream open past the idle timeout (heartbeats)', async () => {
		const s = await deviceSession(srv.url);
		const stream = await liveStream(srv.url, s.token);
		expect(stream.status).toBe(200);
		const early = await Promise.race([stream.ended, new Promise((r) => setTimeout(() => r('open'), 2_000))]);
		stream.close();
		expect(early).toBe('open');
		expect(stream.text?.()).toContain('heartbeat');
	});
});

describe('live stream limits', () => {
	it('refuses the stream past the cap per identity, then per address, with rate_limited', async () => {
		const [a, b, c] = await Promise.all([deviceSession(srv.url), deviceSession(srv.url), deviceSession(srv.url)]);
		const a1 = await liveStream(srv.url, a.token, 'reports');
		const a2 = await liveStream(srv.url, a.token, 'events');
		expect([a1.status, a2.status]).toEqual([200, 200]);
		const a3 = await liveStream(srv.url, a.token, 'contacts');
		expect(a3.status).toBe(429);
		expect(a3.body).toMatchObject({ error: { code: 'rate_limited' } });

		const b1 = await liveStream(srv.url, b.token);
		expect(b1.status).toBe(200);
		// Three streams from this address already: the fourth is refused, whoever asks.
		const c1 = await liveStream(srv.url, c.token);
		expect(c1.status).toBe(429);

		// A closed stream frees its place.
		a1.close();
		await new Promise((r) => setTimeout(r, 200));
		const c2 = await liveStream(srv.url, c.token);
		expect(c2.status).toBe(200);
		for (const s of [a2, b1, c2]) s.close();
	});
});

describe('tokens', () => {
	const key = TEST_TENANT_KEY;
	const claims = { role: 'resident', tenantId: 'lam-dong', unitIds: [] };

	it('refuses a token without an expiry, or one that lives longer than this server gives', async () => {
		const sub = (await deviceSession(srv.url)).user.sub;
		const noExp = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setAudience('lam-dong').setSubject(sub).setIssuedAt().sign(key);
		const r1 = await pull(srv.url, noExp, 'reports');
		expect(r1.status).toBe(401);
		expect(r1.body).toMatchObject({ error: { code: 'token_invalid' } });

		const tenYears = Math.floor(Date.now() / 1000) + 10 * 365 * 86_400;
		const forever = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setAudience('lam-dong').setSubject(sub).setExpirationTime(tenYears).sign(key);
		const r2 = await pull(srv.url, forever, 'reports');
		expect(r2.status).toBe(401);
		expect(r2.body).toMatchObject({ error: { code: 'token_invalid' } });

		const fine = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setAudience('lam-dong').setSubject(sub).setExpirationTime('1h').sign(key);
		expect((await pull(srv.url, fine, 'reports')).status).toBe(200);
	});

	it('ends a live stream when its token expires (the device reconnects with a fresh one)', async () => {
		const short = await startServer({ tokenTtlSeconds: 2 });
		try {
			const s = await deviceSession(short.url);
			const stream = await liveStream(short.url, s.token);
			expect(stream.status).toBe(200);
			const ended = await Promise.race([stream.ended, new Promise<number>((r) => setTimeout(() => r(-1), 6_000))]);
			stream.close();
			expect(ended).toBeGreaterThan(0);
			expect(ended).toBeLessThan(3_500);
			// While it lived, it worked.
			expect(stream.text?.()).toContain('RESYNC');
			const fresh = await deviceSession(short.url, s.deviceId, s.secret);
			await fileReport(short.url, fresh);
		} finally {
			await short.close();
		}
	});
});

describe('/_db security headers', () => {
	const expectHeaders = (h: Headers) => {
		expect(h.get('x-content-type-options')).toBe('nosniff');
		expect(h.get('x-frame-options')).toMatch(/DENY|SAMEORIGIN/);
		expect(h.get('content-security-policy')).toMatch(/frame-ancestors/);
		expect(h.get('referrer-policy')).toBe('no-referrer');
	};

	it('are on a refusal and on an answer', async () => {
		const refused = await call(`${srv.url}/_db/_all_dbs`);
		expect(refused.status).toBe(401);
		expectHeaders(refused.headers);
		const auth = `Basic ${Buffer.from(`admin:${TEST_DB_ADMIN_PASSWORD}`).toString('base64')}`;
		const ok = await call(`${srv.url}/_db/`, { headers: { authorization: auth } });
		// With COUCHDB_URL, /_db points at the cluster's own console instead.
		expect(ok.status).toBe(STORAGE_MODE === 'couch' ? 404 : 200);
		expectHeaders(ok.headers);
		// The same words as the API's own answers.
		const api = await call(`${srv.url}/api/health`);
		expect(api.headers.get('referrer-policy')).toBe('no-referrer');
	});
});
