/**
 * Two provinces on one sync-server (TENANTS): each at its own host, with its own databases, files,
 * accounts and token key. Nothing of one is reachable from the other — pull, push, live streams,
 * public pages, photos, sign-in — on LevelDB and (project integration-couch) on CouchDB.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { Report } from '$lib/domain/report';
import { uploadPhoto } from '$lib/sync/photo-uploader';
import { DEFAULT_TENANT_DIR } from '../../sync-server/config';
import { resolveLocalhostNames } from '../support/localhost-names';
import {
	call,
	DEMO_PASSWORD,
	fileReport,
	makeReport,
	openStream,
	pullAll,
	push,
	reportAs,
	signIn,
	startServer,
	STORAGE_MODE,
	type DeviceSession,
	type Session,
	type TestServer
} from './harness';

const DAK_LAK_DIR = path.join(DEFAULT_TENANT_DIR, '..', 'dak-lak');
/** Inside Phường Buôn Ma Thuột (code 24133) in data/tenants/dak-lak/boundaries.geojson. */
const IN_BUON_MA_THUOT = { source: 'gps' as const, lat: 12.714, lng: 108.0372, accuracyM: 10 };
/** construction-order asks for a photo (photosRequired): the id is claimed now, the bytes may follow. */
const dakLakReport = { tenantId: 'dak-lak', categoryCode: 'construction-order', location: IN_BUON_MA_THUOT, wardCode: '24133', photoIds: [uuidv7()] };

/** The stand-in's database names (fetch refuses a URL with credentials: they go in a header). */
async function couchDatabases(url: string): Promise<string[]> {
	const u = new URL(url);
	const auth = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
	return (await (await fetch(`${u.origin}/_all_dbs`, { headers: { authorization: auth } })).json()) as string[];
}

let srv: TestServer;
/** http://lam-dong.localhost:<port> and http://dak-lak.localhost:<port> */
let ld: string;
let dl: string;
let ldResident: DeviceSession;
let ldLeader: Session;
let dlResident: DeviceSession;
let dlLeader: Session;
let ldReport: Report;
let ldPhoto: string;

beforeAll(async () => {
	resolveLocalhostNames();
	srv = await startServer({ tenantDirs: [DEFAULT_TENANT_DIR, DAK_LAK_DIR], tenantHosts: { 'daklak.example': 'dak-lak' } });
	const port = new URL(srv.url).port;
	ld = `http://lam-dong.localhost:${port}`;
	dl = `http://dak-lak.localhost:${port}`;
	[ldResident, ldLeader] = await signIn(ld, 'device', 'lanhdao');
	[dlResident, dlLeader] = await signIn(dl, 'device', 'lanhdao');
	ldPhoto = uuidv7();
	ldReport = await fileReport(ld, ldResident, { photoIds: [ldPhoto], description: 'Ổ gà trước chợ Đà Lạt' });
	const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#468' } }).jpeg().toBuffer();
	await uploadPhoto(
		{ id: ldPhoto, reportId: ldReport.id, blob: new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), mime: 'image/jpeg' },
		{ endpoint: `${ld}/api/media/uploads`, getToken: async () => ldResident.token }
	);
});
afterAll(() => srv?.close());

describe('two provinces on one server', () => {
	it('answer each at its own host, and a host that serves neither with 404, not a province', async () => {
		expect((await call<{ id: string }>(`${ld}/api/tenant`)).body.id).toBe('lam-dong');
		expect((await call<{ id: string }>(`${dl}/api/tenant`)).body.id).toBe('dak-lak');
		const named = await fetch(`${srv.url}/api/tenant`, { headers: {} });
		// 127.0.0.1 is neither province's host.
		expect(named.status).toBe(404);
		expect(((await named.json()) as { error: { code: string } }).error.code).toBe('unknown_tenant');
		const page = await fetch(`${srv.url}/report`);
		expect(page.status).toBe(404);
		expect(page.headers.get('content-type')).toMatch(/text\/html/);
		expect(await page.text()).toMatch(/No province is served at this address/);
	});

	it('keep their own accounts: a Lâm Đồng handler cannot sign in to Đắk Lắk, and the same username is two people', async () => {
		expect((await call(`${ld}/api/auth/login`, { body: { username: 'ubnd-lam-vien', password: DEMO_PASSWORD } })).status).toBe(200);
		const there = await call<{ error: { code: string } }>(`${dl}/api/auth/login`, { body: { username: 'ubnd-lam-vien', password: DEMO_PASSWORD } });
		expect([there.status, there.body.error.code]).toEqual([401, 'bad_credentials']);
		expect(ldLeader.user.tenantId).toBe('lam-dong');
		expect(dlLeader.user.tenantId).toBe('dak-lak');
		expect(dlLeader.user.unitIds).not.toEqual(ldLeader.user.unitIds);
	});

	it('refuse each other’s tokens on every route: pull, push, live stream, photos', async () => {
		const refused = async (res: Promise<{ status: number; body: unknown }>) => {
			const r = await res;
			return [r.status, (r.body as { error?: { code: string } }).error?.code];
		};
		const invalid = [401, 'token_invalid'];
		for (const token of [ldLeader.token, ldResident.token]) {
			expect(await refused(call(`${dl}/api/sync/reports/pull?checkpoint=null&limit=10`, { token }))).toEqual(invalid);
			expect(await refused(push(dl, token, 'reports', [makeReport(ldResident.user.sub, dakLakReport)]))).toEqual(invalid);
			const stream = await fetch(`${dl}/api/sync/reports/stream?token=${encodeURIComponent(token)}`);
			expect(stream.status).toBe(401);
			await stream.body?.cancel();
			const photo = await fetch(`${dl}/api/media/${ldPhoto}`, { headers: { authorization: `Bearer ${token}` } });
			expect(photo.status).toBe(401);
		}
		// And the other way round.
		expect(await refused(call(`${ld}/api/sync/reports/pull?checkpoint=null&limit=10`, { token: dlLeader.token }))).toEqual(invalid);
	});

	it('store apart: a leader of Đắk Lắk pulls none of Lâm Đồng’s reports, steps or contacts; a reused id is a different report', async () => {
		expect((await reportAs(ld, ldLeader, ldReport.id))?.trackingCode).toBe(ldReport.trackingCode);
		for (const c of ['reports', 'events', 'contacts', 'media'] as const) expect((await pullAll(dl, dlLeader.token, c)).docs).toEqual([]);

		// A device of Đắk Lắk that happens to invent the same id files its own report: both provinces keep theirs.
		const same = await push(dl, dlResident.token, 'reports', [{ ...makeReport(dlResident.user.sub, dakLakReport), id: ldReport.id }]);
		expect(same.body.rejected).toEqual([]);
		const dlCopy = await reportAs(dl, dlLeader, ldReport.id);
		expect(dlCopy?.trackingCode).toMatch(/^DLK-/);
		expect((await reportAs(ld, ldLeader, ldReport.id))?.trackingCode).toBe(ldReport.trackingCode);
		expect((await reportAs(ld, ldLeader, ldReport.id))?.description).toBe('Ổ gà trước chợ Đà Lạt');
	});

	it('stream apart: a report filed in Lâm Đồng reaches its leader live, not Đắk Lắk’s', async () => {
		const dlStream = await openStream(dl, dlLeader.token, 'reports');
		const ldStream = await openStream(ld, ldLeader.token, 'reports');
		try {
			const filed = await fileReport(ld, ldResident, { description: 'Đèn đường hỏng' });
			const seen = async (s: Awaited<ReturnType<typeof openStream>>) =>
				(await s.collect(1500)).flatMap((m) => ((m as { documents?: { id: string }[] }).documents ?? []).map((d) => d.id));
			const [ldSeen, dlSeen] = await Promise.all([seen(ldStream), seen(dlStream)]);
			expect(ldSeen).toContain(filed.id);
			expect(dlSeen).not.toContain(filed.id);
		} finally {
			dlStream.close();
			ldStream.close();
		}
	});

	it('publish apart: Lâm Đồng’s public report and photo are not found at Đắk Lắk', async () => {
		await expect
			.poll(async () => (await call(`${ld}/api/public/reports/${ldReport.id}`)).status)
			.toBe(200);
		expect((await call(`${ld}/api/public/media/${ldPhoto}`)).status).toBe(200);
		const detail = await call<{ error: { code: string } }>(`${dl}/api/public/reports/${ldReport.id}`);
		// The id exists in Đắk Lắk only as its own report (filed above), never as Lâm Đồng's.
		if (detail.status === 200) expect(JSON.stringify(detail.body)).not.toContain('Ổ gà trước chợ Đà Lạt');
		expect((await call(`${dl}/api/public/media/${ldPhoto}`)).status).toBe(404);
		const ward = await call<{ reports: unknown[] }>(`${dl}/api/public/reports?ward=24778`);
		expect(ward.body.reports ?? []).toEqual([]);
	});

	it('keep photos and databases under the province’s own names', async () => {
		// A leader of Đắk Lắk reading the id with its own valid token: not found there.
		const photo = await fetch(`${dl}/api/media/${ldPhoto}`, { headers: { authorization: `Bearer ${dlLeader.token}` } });
		expect(photo.status).toBe(404);
		expect(await readdir(path.join(srv.dataDir, 'tenants', 'lam-dong', 'media'))).toContain(`${ldPhoto}.webp`);
		const names =
			STORAGE_MODE === 'couch'
				? await couchDatabases(srv.couch!.url)
				: await readdir(path.join(srv.dataDir, 'db'));
		expect(names).toEqual(expect.arrayContaining(['caunoi-lam-dong-reports', 'caunoi-dak-lak-reports', 'caunoi-dak-lak-users']));
		expect(names).not.toContain('caunoi-reports');
	});

	it('answer at a host name given for a reverse proxy', async () => {
		const port = new URL(srv.url).port;
		// daklak.example does not resolve here: the name is sent as the Host header of a raw request.
		const { request } = await import('node:http');
		const body = await new Promise<string>((resolve, reject) => {
			const req = request({ host: '127.0.0.1', port, path: '/api/tenant', headers: { host: `daklak.example:${port}` } }, (res) => {
				let text = '';
				res.on('data', (c) => (text += c));
				res.on('end', () => resolve(text));
			});
			req.on('error', reject);
			req.end();
		});
		expect((JSON.parse(body) as { id: string }).id).toBe('dak-lak');
	});
});

describe.skipIf(STORAGE_MODE === 'couch')('a data directory from before provinces were folders (LevelDB)', () => {
	it('keeps its reports and photos: they move to the province’s names on the first start', async () => {
		const { mkdtemp, mkdir, writeFile, rm } = await import('node:fs/promises');
		const { tmpdir } = await import('node:os');
		const { openPouchStorage } = await import('../../sync-server/storage/pouch-storage');
		const dataDir = await mkdtemp(path.join(tmpdir(), 'caunoi-legacy-'));
		try {
			const old = await openPouchStorage({ dataDir, dbPrefix: 'caunoi-' });
			const report = makeReport('device:legacy', { description: 'Báo trước khi có thư mục tỉnh' });
			expect((await old.store('reports').bulkPut([{ doc: report as never }]))[0].ok).toBe(true);
			await old.close();
			await mkdir(path.join(dataDir, 'media'));
			await writeFile(path.join(dataDir, 'media', 'old-photo.webp'), 'webp');

			const server = await startServer({ dataDir });
			try {
				const health = await call<{ docs: { reports: number } }>(`${server.url}/api/health`);
				expect(health.body.docs.reports).toBe(1);
				expect(await readdir(path.join(dataDir, 'tenants', 'lam-dong', 'media'))).toEqual(['old-photo.webp']);
				expect(await readdir(path.join(dataDir, 'db'))).not.toContain('caunoi-reports');
			} finally {
				await server.close();
			}
		} finally {
			await rm(dataDir, { recursive: true, force: true });
		}
	});
});

describe('several tenant folders', () => {
	it('refuse to start when one is bad or two have one id, naming every problem', async () => {
		const { mkdtemp, rm } = await import('node:fs/promises');
		const { tmpdir } = await import('node:os');
		const empty = await mkdtemp(path.join(tmpdir(), 'caunoi-no-tenant-'));
		try {
			await expect(startServer({ tenantDirs: [DEFAULT_TENANT_DIR, DEFAULT_TENANT_DIR] })).rejects.toThrow(/"lam-dong" is served twice/);
			await expect(startServer({ tenantDirs: [DAK_LAK_DIR, empty] })).rejects.toThrow(/tenant\.json: \(file\): missing file/);
		} finally {
			await rm(empty, { recursive: true, force: true });
		}
	});
});

describe('two provinces under paths of one host (no host name per province)', () => {
	it('answer each under its path, with tokens, photos and upload URLs of their own', async () => {
		const ldPath = `${srv.url}/lam-dong`;
		const dlPath = `${srv.url}/dak-lak`;
		expect((await call<{ id: string }>(`${dlPath}/api/tenant`)).body.id).toBe('dak-lak');
		expect((await call<{ id: string }>(`${ldPath}/api/tenant`)).body.id).toBe('lam-dong');
		const bare = await fetch(dlPath, { redirect: 'manual' });
		expect([bare.status, bare.headers.get('location')]).toEqual([308, '/dak-lak/']);

		// The same province whichever way it is reached: Lâm Đồng's leader by host is Lâm Đồng's leader by path.
		expect((await reportAs(ldPath, ldLeader, ldReport.id))?.trackingCode).toBe(ldReport.trackingCode);
		const refused = await call<{ error: { code: string } }>(`${dlPath}/api/sync/reports/pull?checkpoint=null`, { token: ldLeader.token });
		expect([refused.status, refused.body.error.code]).toEqual([401, 'token_invalid']);

		// A photo sent under the path: tus answers with an upload URL under the same path, and the photo is stored.
		const [resident] = await signIn(dlPath, 'device');
		const photoId = uuidv7();
		const report = await fileReport(dlPath, resident, { ...dakLakReport, photoIds: [photoId] });
		expect(report.trackingCode).toMatch(/^DLK-/);
		const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#864' } }).jpeg().toBuffer();
		const uploaded = await uploadPhoto(
			{ id: photoId, reportId: report.id, blob: new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), mime: 'image/jpeg' },
			{ endpoint: `${dlPath}/api/media/uploads`, getToken: async () => resident.token }
		);
		expect(new URL(uploaded.url).pathname).toBe(`/dak-lak/api/media/uploads/${photoId}`);
		expect((await fetch(`${dlPath}/api/media/${photoId}`, { headers: { authorization: `Bearer ${dlLeader.token}` } })).status).toBe(200);
		expect(await readdir(path.join(srv.dataDir, 'tenants', 'dak-lak', 'media'))).toContain(`${photoId}.webp`);
		// Not under the other province's path.
		expect((await fetch(`${ldPath}/api/public/media/${photoId}`)).status).toBe(404);
	});

	it('leave a path that names no province to the 404 for unknown addresses', async () => {
		const res = await call<{ error: { code: string } }>(`${srv.url}/ha-noi/api/tenant`);
		expect([res.status, res.body.error.code]).toEqual([404, 'unknown_tenant']);
	});
});
