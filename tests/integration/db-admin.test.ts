/** /_db (express-pouchdb for operators): admin-only, loopback-only, and not crashable. */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { checkDbAdminAccess } from '../../sync-server/db-admin/db-admin';
import { call, deviceSession, makeReport, push, STORAGE_MODE, startServer, TEST_DB_ADMIN_PASSWORD, type TestServer } from './harness';

let srv: TestServer;
beforeAll(async () => {
	srv = await startServer();
});
afterAll(() => srv?.close());

const basic = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
const ADMIN = basic('admin', TEST_DB_ADMIN_PASSWORD);

describe('/_db guard', () => {
	it('refuses anonymous and wrong-password requests with a JSON error and a Basic challenge', async () => {
		for (const headers of [{}, basic('admin', 'wrong'), basic('ubnd-lam-vien', 'demo1234')]) {
			for (const [method, p] of [['GET', '/_db/_all_dbs'], ['GET', '/_db/caunoi-lam-dong-contacts/_all_docs?include_docs=true'], ['PUT', '/_db/newdb']]) {
				const r = await call(`${srv.url}${p}`, { method, headers });
				expect(r.status, `${method} ${p}`).toBe(401);
				expect(r.body).toMatchObject({ error: { code: expect.stringMatching(/unauthenticated|bad_credentials/) } });
				expect(r.headers.get('www-authenticate')).toMatch(/^Basic /);
			}
		}
	});

	it('refuses non-loopback and proxied callers, even with the password, unless DB_ADMIN_REMOTE=1', () => {
		const headers = { authorization: ADMIN.authorization };
		const opts = { password: TEST_DB_ADMIN_PASSWORD, allowRemote: false };
		expect(checkDbAdminAccess({ headers, socket: { remoteAddress: '203.0.113.7' } }, opts)).toMatchObject({ ok: false, status: 403 });
		expect(checkDbAdminAccess({ headers, socket: { remoteAddress: '::ffff:192.168.1.20' } }, opts)).toMatchObject({ ok: false, status: 403 });
		expect(
			checkDbAdminAccess({ headers: { ...headers, 'x-forwarded-for': '203.0.113.7' }, socket: { remoteAddress: '127.0.0.1' } }, opts)
		).toMatchObject({ ok: false, status: 403 });
		for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1'])
			expect(checkDbAdminAccess({ headers, socket: { remoteAddress } }, opts)).toEqual({ ok: true });
		const remote = { ...opts, allowRemote: true };
		expect(checkDbAdminAccess({ headers, socket: { remoteAddress: '203.0.113.7' } }, remote)).toEqual({ ok: true });
		expect(checkDbAdminAccess({ headers: {}, socket: { remoteAddress: '203.0.113.7' } }, remote)).toMatchObject({ ok: false, status: 401 });
	});
});

describe.skipIf(STORAGE_MODE === 'couch')('/_db over the embedded LevelDB', () => {
	it('lets the admin read the very databases the server writes', async () => {
		const resident = await deviceSession(srv.url);
		const report = makeReport(resident.user.sub);
		await push(srv.url, resident.token, 'reports', [report]);
		const dbs = await call<string[]>(`${srv.url}/_db/_all_dbs`, { headers: ADMIN });
		expect(dbs.status).toBe(200);
		expect(dbs.body).toEqual(expect.arrayContaining(['caunoi-lam-dong-reports', 'caunoi-lam-dong-contacts', 'caunoi-lam-dong-events']));
		const doc = await call<Record<string, unknown>>(`${srv.url}/_db/caunoi-lam-dong-reports/${report.id}`, { headers: ADMIN });
		expect(doc.status).toBe(200);
		expect(doc.body).toMatchObject({ _id: report.id, authorId: resident.user.sub, status: 'assigned' });
		const session = await call(`${srv.url}/_db/_session`, { headers: ADMIN });
		expect(session.body).toMatchObject({ userCtx: { name: 'admin', roles: ['_admin'] } });
	});

	it('survives a _changes filter naming a missing design doc (which crashes express-pouchdb)', async () => {
		// Unguarded, express-pouchdb answers 404 *and* leaves an unhandled rejection, which ends a
		// Node process: count them.
		const unhandled: unknown[] = [];
		const onUnhandled = (e: unknown) => unhandled.push(e);
		process.on('unhandledRejection', onUnhandled);
		onTestFinished(() => void process.off('unhandledRejection', onUnhandled));
		for (const q of ['filter=missing/x', 'filter=%22missing%2Fx%22', 'filter=_view&view=missing/x', 'feed=longpoll&filter=missing/x']) {
			const r = await call<{ error: string }>(`${srv.url}/_db/caunoi-lam-dong-reports/_changes?${q}`, { headers: ADMIN });
			expect(r.status, q).toBe(404);
			expect(r.body.error).toBe('not_found');
		}
		const list = await call(`${srv.url}/_db/caunoi-lam-dong-reports/_design/missing/_list/a/b`, { headers: ADMIN });
		expect(list.status).toBe(404);
		// Still alive, and a real filter still works.
		const put = await call(`${srv.url}/_db/caunoi-lam-dong-reports/_design/app`, {
			method: 'PUT',
			headers: ADMIN,
			body: { filters: { all: 'function (doc) { return true; }' } }
		});
		expect(put.status).toBe(201);
		const ok = await call<{ results: unknown[] }>(`${srv.url}/_db/caunoi-lam-dong-reports/_changes?filter=app/all`, { headers: ADMIN });
		expect(ok.status).toBe(200);
		expect((await call(`${srv.url}/api/health`)).status).toBe(200);
		await new Promise((r) => setTimeout(r, 100));
		expect(unhandled).toEqual([]);
	});

	it('never runs as admin party: a cookie session cannot replace the admin', async () => {
		const r = await call(`${srv.url}/_db/newdb-by-cookie`, { method: 'PUT', headers: { cookie: 'AuthSession=forged' } });
		expect(r.status).toBe(401);
		const created = await call(`${srv.url}/_db/operator-scratch`, { method: 'PUT', headers: { ...ADMIN, cookie: 'AuthSession=forged' } });
		expect(created.status).toBe(201);
	});
});

describe.skipIf(STORAGE_MODE !== 'couch')('/_db with COUCHDB_URL', () => {
	it('points the operator at the cluster’s own Fauxton, without revealing its password', async () => {
		const r = await call<{ error: { code: string; message: string } }>(`${srv.url}/_db/_all_dbs`, { headers: ADMIN });
		expect(r.status).toBe(404);
		expect(r.body.error.message).toContain('/_utils/');
		expect(r.body.error.message).not.toContain(new URL(srv.couch!.url).password);
		expect((await call(`${srv.url}/_db/_all_dbs`)).status).toBe(401);
	});
});
