/**
 * A commune for offline use (issue 14, point 5) against the real server and the demo tenant: the
 * manifest a phone reads before it shows the size and downloads. Tiles come from the tenant's own
 * folder (data/tenants/lam-dong/tiles), so nothing here reaches the internet.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineAreaManifest } from '$lib/domain/offline-area';
import { TILES_PER_REQUEST } from '$lib/domain/offline-area-parts';
import { call, startServer, type TestServer } from './harness';

const WARD = '24778';
/** Another ward of the demo tenant, with no zoning plan. */
const PLAIN_WARD = '24781';

let srv: TestServer;
beforeAll(async () => {
	srv = await startServer();
});
afterAll(async () => srv?.close());

const manifestOf = async (code: string) => {
	const res = await fetch(`${srv.url}/api/offline-areas/${code}`);
	expect(res.status).toBe(200);
	return { res, m: OfflineAreaManifest.parse(await res.json()) };
};

describe('offline areas', () => {
	it('lists the demo ward’s tiles with the sizes and hashes /api/tiles serves, its zoning, boundary and office', async () => {
		const { m } = await manifestOf(WARD);
		expect(m).toMatchObject({ wardCode: WARD, nameVi: 'Phường Lâm Viên - Đà Lạt', nameEn: 'Lam Vien - Da Lat Ward', tileUrl: '/api/tiles/{z}/{x}/{y}.png' });
		expect(m.boundary.properties.code).toBe(WARD);
		expect(m.offices.length).toBeGreaterThan(0);
		expect(m.offices.every((o) => o.wardCode === WARD)).toBe(true);
		// The demo tile set is the demo ward's: every one of its 307 tiles, every zoom of the tenant's list.
		expect(m.tiles.length).toBe(307);
		expect([...new Set(m.tiles.map((t) => t.z))].sort()).toEqual([12, 13, 14, 15, 16]);
		for (const t of [m.tiles[0], m.tiles[150], m.tiles.at(-1)!]) {
			const res = await fetch(`${srv.url}/api/tiles/${t.z}/${t.x}/${t.y}.png`);
			const body = new Uint8Array(await res.arrayBuffer());
			expect(body.byteLength).toBe(t.bytes);
			expect(createHash('sha256').update(body).digest('base64url').slice(0, 27)).toBe(t.hash);
		}
		// The zoning part: its URL answers the package whose ETag is the part's hash, at about its compressed size.
		expect(m.zoning).toBeDefined();
		const z = await fetch(`${srv.url}${m.zoning!.url}`, { headers: { 'accept-encoding': 'br' } });
		expect(z.headers.get('etag')).toBe(`"${m.zoning!.hash}"`);
		expect((await z.json()).wardCode).toBe(WARD);
	});

	it('answers 304 to a device holding this version, and the same version twice', async () => {
		const { res, m } = await manifestOf(WARD);
		expect(res.headers.get('etag')).toBe(`"${m.version}"`);
		const again = await fetch(`${srv.url}/api/offline-areas/${WARD}`, { headers: { 'if-none-match': `"${m.version}"` } });
		expect(again.status).toBe(304);
		expect((await manifestOf(WARD)).m.version).toBe(m.version);
	});

	it('a ward without zoning has no zoning part, and no tiles where the set has none', async () => {
		const { m } = await manifestOf(PLAIN_WARD);
		expect(m.wardCode).toBe(PLAIN_WARD);
		expect(m.zoning).toBeUndefined();
		expect(m.boundary.properties.code).toBe(PLAIN_WARD);
	});

	it('a tenant whose base map is an external server lists no tiles (no bulk download), but still zoning, boundary and offices', async () => {
		const ext = await startServer({ tenant: (t) => ({ ...t, map: { ...t.map!, tileUrl: 'https://tile.example.org/{z}/{x}/{y}.png' } }) });
		try {
			const res = await fetch(`${ext.url}/api/offline-areas/${WARD}`);
			const m = OfflineAreaManifest.parse(await res.json());
			expect(m.tiles).toEqual([]);
			expect(m.tileUrl).toBeUndefined();
			expect(m.zoning).toBeDefined();
			expect(m.offices.length).toBeGreaterThan(0);
		} finally {
			await ext.close();
		}
	});

	it('sends many tiles in one answer, each its length then the bytes /api/tiles serves; refuses more than a batch or a bad address', async () => {
		const { m } = await manifestOf(WARD);
		expect(m.tilesUrl).toBe(`/api/offline-areas/${WARD}/tiles`);
		const asked = m.tiles.slice(0, TILES_PER_REQUEST);
		const res = await fetch(`${srv.url}${m.tilesUrl}?t=${asked.map((t) => `${t.z}/${t.x}/${t.y}`).join(',')}`);
		expect(res.status).toBe(200);
		// Images, never a document: no CSP listing the app's scripts on each answer.
		expect(res.headers.get('content-security-policy')).toBeNull();
		const body = Buffer.from(await res.arrayBuffer());
		expect(body.length).toBe(asked.reduce((n, t) => n + 4 + t.bytes, 0));
		let at = 0;
		for (const t of asked) {
			const len = body.readUInt32BE(at);
			expect(len).toBe(t.bytes);
			const one = Buffer.from(await (await fetch(`${srv.url}/api/tiles/${t.z}/${t.x}/${t.y}.png`)).arrayBuffer());
			expect(body.subarray(at + 4, at + 4 + len).equals(one)).toBe(true);
			at += 4 + len;
		}
		const tooMany = m.tiles.slice(0, TILES_PER_REQUEST + 1).map((t) => `${t.z}/${t.x}/${t.y}`).join(',');
		expect((await fetch(`${srv.url}${m.tilesUrl}?t=${tooMany}`)).status).toBe(400);
		for (const bad of ['../../etc/1', '14/1', '30/0/0', '14/99999999/1'])
			expect((await fetch(`${srv.url}${m.tilesUrl}?t=${encodeURIComponent(bad)}`)).status, bad).toBe(400);
	});

	it('an unknown ward answers 404 with its words; a malformed code 400', async () => {
		const res = await call<{ error: { code: string; message: string } }>(`${srv.url}/api/offline-areas/99999`);
		expect(res.status).toBe(404);
		expect(res.body.error.code).toBe('unknown_ward');
		expect(res.body.error.message).toMatch(/phường\/xã/);
		expect((await fetch(`${srv.url}/api/offline-areas/..%2Fetc`)).status).toBe(400);
	});
});
