/**
 * API keys for the province's one-stop system (issue 13): the admin makes a key, the system imports
 * dossiers with it (idempotently), a revoked key or one without the scope is refused, and the key is
 * never shown again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, deviceSession, login, startServer, type Session, type TestServer } from './harness';

let srv: TestServer;
let admin: Session;

interface KeyView {
	id: string;
	name: string;
	scopes: string[];
	createdAt: string;
	createdBy: string;
	lastUsedAt: string | null;
	uses: number;
	revokedAt: string | null;
	key?: string;
}
interface Report {
	imported: number;
	unchanged: number;
	rejected: { row: number; reason: string }[];
	error?: { code: string };
}

const keysUrl = () => `${srv.url}/api/admin/api-keys`;
const makeKey = (body: unknown, token = admin.token) => call<KeyView & { error?: { code: string } }>(keysUrl(), { token, body });
const listKeys = () => call<{ keys: KeyView[] }>(keysUrl(), { token: admin.token });
const feed = (code: string) => ({
	dossiers: [{ code, procedureCode: '1.001193', applicantName: 'Phạm Văn Minh', receivedAt: '2026-12-07T09:00:00+07:00', status: 'submitted' }]
});
const importWith = (headers: Record<string, string>, body: unknown) => call<Report>(`${srv.url}/api/dossiers/import`, { headers, body });

beforeAll(async () => {
	srv = await startServer();
	admin = await login(srv.url, 'admin');
});
afterAll(() => srv?.close());

describe('api keys for the one-stop system', () => {
	let key = '';
	let id = '';

	it('an admin makes a key: shown in the answer, once', async () => {
		const made = await makeKey({ name: 'Hệ thống một cửa tỉnh', scopes: ['dossiers:import'] });
		expect(made.status).toBe(201);
		expect(made.body).toMatchObject({ name: 'Hệ thống một cửa tỉnh', scopes: ['dossiers:import'], uses: 0 });
		expect(made.body.key).toMatch(/^cn_[A-Za-z0-9_-]{43}$/);
		key = made.body.key!;
		id = made.body.id;
	});

	it('the system imports with it (either header), and the same file twice changes nothing', async () => {
		const first = await importWith({ authorization: `ApiKey ${key}` }, feed('H38-251207-0301'));
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({ imported: 1, unchanged: 0, rejected: [] });
		const again = await importWith({ 'x-api-key': key }, feed('H38-251207-0301'));
		expect(again.body).toMatchObject({ imported: 0, unchanged: 1 });
		const seen = await call<{ status: string }>(`${srv.url}/api/public/dossiers/H38-251207-0301`);
		expect(seen.body.status).toBe('submitted');
	});

	it('the list tells who made it and that it was used, never the key', async () => {
		const list = await listKeys();
		expect(list.status).toBe(200);
		const mine = list.body.keys.find((k) => k.id === id)!;
		expect(mine).toMatchObject({ name: 'Hệ thống một cửa tỉnh', createdBy: 'staff:admin', revokedAt: null });
		expect(mine.uses).toBeGreaterThanOrEqual(1);
		expect(mine.lastUsedAt).not.toBeNull();
		const text = JSON.stringify(list.body);
		expect(text).not.toContain(key);
		expect(text).not.toContain('hash');
	});

	it('a key without the scope is refused (403); a wrong or revoked key is unknown (401)', async () => {
		const other = await makeKey({ name: 'Open311 client', scopes: ['open311:requests'] });
		const without = await importWith({ 'x-api-key': other.body.key! }, feed('H38-251207-0302'));
		expect(without.status).toBe(403);
		expect(without.body.error?.code).toBe('forbidden_scope');

		const bogus = await importWith({ authorization: `ApiKey cn_${'A'.repeat(43)}` }, feed('H38-251207-0302'));
		expect(bogus.status).toBe(401);
		expect(bogus.body.error?.code).toBe('api_key_invalid');

		const revoked = await call<KeyView>(`${keysUrl()}/${id}`, { method: 'DELETE', token: admin.token });
		expect(revoked.status).toBe(200);
		expect(revoked.body.revokedAt).not.toBeNull();
		const after = await importWith({ authorization: `ApiKey ${key}` }, feed('H38-251207-0302'));
		expect(after.status).toBe(401);
		expect(after.body.error?.code).toBe('api_key_invalid');
		expect((await call(`${srv.url}/api/public/dossiers/H38-251207-0302`)).status).toBe(404);
		// Kept in the list, marked.
		expect((await listKeys()).body.keys.find((k) => k.id === id)?.revokedAt).not.toBeNull();
	});

	it('only an admin makes, lists or revokes keys', async () => {
		const handler = await login(srv.url, 'ubnd-lam-vien');
		expect((await makeKey({ name: 'X', scopes: ['dossiers:import'] }, handler.token)).status).toBe(403);
		const resident = await deviceSession(srv.url);
		expect((await makeKey({ name: 'X', scopes: ['dossiers:import'] }, resident.token)).status).toBe(403);
		expect((await call(keysUrl(), { token: handler.token })).status).toBe(403);
		expect((await call(keysUrl(), { body: { name: 'X', scopes: ['dossiers:import'] } })).status).toBe(401);
		expect((await call(`${keysUrl()}/${id}`, { method: 'DELETE', token: handler.token })).status).toBe(403);
		expect((await makeKey({ name: 'X', scopes: ['everything'] })).status).toBe(400);
	});

	it('a key is refused before its large body is read', async () => {
		// Past the route's 5 MB: read first, it would be 413.
		const big = 'x'.repeat(6 * 1024 * 1024);
		const res = await fetch(`${srv.url}/api/dossiers/import`, { method: 'POST', headers: { 'x-api-key': 'cn_nope', 'content-type': 'text/csv' }, body: big });
		expect(res.status).toBe(401);
	});
});
