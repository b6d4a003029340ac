/** The server as a whole: health, tenant reference data, serving the built PWA, error shape. */
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { brotliCompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBoundaries, isCompactBoundaries, type CompactBoundaries } from '$lib/domain/boundary-codec';
import { TenantConfig } from '$lib/domain/tenant';
import { call, deviceSession, makeReport, push, STORAGE_MODE, startServer, type TestServer } from './harness';

/** The bytes as sent (fetch would decompress them). */
function rawBytes(url: string, headers: Record<string, string>): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		http.get(url, { headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve(Buffer.concat(chunks as unknown as Uint8Array[])));
		}).on('error', reject);
	});
}

let srv: TestServer;
let appDir: string;
const INLINE = `{ __sveltekit_x = { base: "" }; import("/_app/immutable/entry/start.abc.js"); }`;
const SHELL = `<!doctype html><html><head><title>Cầu Nối</title></head><body><script>${INLINE}</script></body></html>`;
const SCRIPT = 'console.log("app");'.repeat(50);
/** A prerendered page: its own HTML, painted before the app starts. */
const PRERENDERED = `<!doctype html><html><head><title>Gửi phản ánh</title></head><body><h1>Gửi phản ánh</h1><script>${INLINE}</script></body></html>`;

beforeAll(async () => {
	// A stand-in for adapter-static's output, precompressed like `precompress: true` makes it.
	appDir = path.join(await import('node:os').then((os) => os.tmpdir()), `caunoi-app-${process.pid}-${Date.now()}`);
	await mkdir(path.join(appDir, '_app/immutable/entry'), { recursive: true });
	await mkdir(path.join(appDir, 'dossier'), { recursive: true });
	const files: Record<string, string> = {
		'200.html': SHELL,
		'index.html': SHELL,
		'report.html': PRERENDERED,
		// A prerendered page with another prerendered page under it: a folder of the same name sits beside it.
		'dossier.html': PRERENDERED.replaceAll('Gửi phản ánh', 'Tra cứu hồ sơ'),
		'dossier/file.html': PRERENDERED.replaceAll('Gửi phản ánh', 'Nộp hồ sơ trực tuyến'),
		'service-worker.js': 'self.addEventListener("fetch", () => {});',
		'manifest.webmanifest': '{"name":"Cầu Nối"}',
		'_app/immutable/entry/start.abc.js': SCRIPT
	};
	for (const [name, body] of Object.entries(files)) {
		await writeFile(path.join(appDir, name), body);
		await writeFile(path.join(appDir, name + '.br'), new Uint8Array(brotliCompressSync(body)));
		await writeFile(path.join(appDir, name + '.gz'), new Uint8Array(gzipSync(body)));
	}
	srv = await startServer({ staticDir: appDir });
});
afterAll(async () => {
	await srv?.close();
	const { rm } = await import('node:fs/promises');
	await rm(appDir, { recursive: true, force: true });
});

describe('health', () => {
	it('reports the storage in use and document counts', async () => {
		const r = await call<{ ok: boolean; storage: string; docs: Record<string, number> }>(`${srv.url}/api/health`);
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			ok: true,
			tenant: 'lam-dong',
			storage: STORAGE_MODE === 'couch' ? 'couchdb' : 'leveldb',
			docs: { reports: 0, contacts: 0, events: 0, media: 0 }
		});
	});
});

describe('tenant reference data', () => {
	it('serves the Lâm Đồng configuration, valid against the shared schema, with an ETag', async () => {
		const r = await call<TenantConfig>(`${srv.url}/api/tenant`);
		expect(r.status).toBe(200);
		const config = TenantConfig.parse(r.body);
		expect(config.adminUnits).toHaveLength(124);
		expect(config.categories.map((c) => c.code)).toContain('environment');
		for (const c of config.categories) expect(c.icon).not.toBe('');
		expect(config.units.find((u) => u.id === 'ubnd-lam-vien')?.wardCodes).toEqual(['24778']);
		expect(config.sla.default).toMatchObject({ onSite: 2, report: 6 });
		const etag = r.headers.get('etag')!;
		expect(etag).toBeTruthy();
		const again = await call(`${srv.url}/api/tenant`, { headers: { 'if-none-match': etag } });
		expect(again.status).toBe(304);
	});

	it('serves the ward boundaries compressed, cacheable, with an ETag', async () => {
		const res = await fetch(`${srv.url}/api/tenant/boundaries`, { headers: { 'accept-encoding': 'gzip' } });
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).toContain('max-age=');
		expect(res.headers.get('etag')).toBeTruthy();
		const geo = (await res.json()) as { features: unknown[] };
		expect(geo.features).toHaveLength(124);
		// Over the wire it is a fraction of the 1.3 MB file.
		const wire = await rawBytes(`${srv.url}/api/tenant/boundaries`, { 'accept-encoding': 'gzip' });
		expect(wire.length).toBeLessThan(600_000);
		expect(gunzipSync(new Uint8Array(wire)).length).toBeGreaterThan(1_000_000);
	});

	it('serves the same boundaries compact for the devices: a third of the bytes, decoded to the GeoJSON exactly', async () => {
		const url = `${srv.url}/api/tenant/boundaries.compact`;
		const res = await fetch(url, { headers: { 'accept-encoding': 'br' } });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-encoding')).toBe('br');
		expect(res.headers.get('cache-control')).toContain('max-age=');
		const etag = res.headers.get('etag')!;
		expect(etag).toBeTruthy();
		const compact = await res.json();
		expect(isCompactBoundaries(compact)).toBe(true);
		const geo = await (await fetch(`${srv.url}/api/tenant/boundaries`)).json();
		expect(decodeBoundaries(compact as CompactBoundaries)).toEqual(geo);
		const [wire, geoWire] = await Promise.all([rawBytes(url, { 'accept-encoding': 'br' }), rawBytes(`${srv.url}/api/tenant/boundaries`, { 'accept-encoding': 'br' })]);
		expect(wire.length).toBeLessThan(geoWire.length / 2);
		expect((await call(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
	});

	it("serves the province's procedure catalogue whole, compressed, revalidated by its ETag", async () => {
		const url = `${srv.url}/api/tenant/procedures`;
		const res = await fetch(url, { headers: { 'accept-encoding': 'br' } });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-encoding')).toBe('br');
		const etag = res.headers.get('etag')!;
		const catalogue = (await res.json()) as { procedures: { code: string; nameVi: string }[] };
		expect(catalogue.procedures.length).toBeGreaterThanOrEqual(40);
		expect(catalogue.procedures.some((p) => /khai sinh/i.test(p.nameVi))).toBe(true);
		expect((await call(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
	});

	it('compresses sync pulls for a weak link, and leaves small answers alone', async () => {
		const resident = await deviceSession(srv.url);
		const reports = Array.from({ length: 20 }, () => makeReport(resident.user.sub));
		expect((await push(srv.url, resident.token, 'reports', reports)).body.rejected).toEqual([]);
		const url = `${srv.url}/api/sync/reports/pull?limit=100`;
		const res = await fetch(url, { headers: { authorization: `Bearer ${resident.token}`, 'accept-encoding': 'br, gzip' } });
		expect(res.headers.get('content-encoding')).toBe('br');
		expect(((await res.json()) as { documents: unknown[] }).documents).toHaveLength(20);
		const plain = await fetch(url, { headers: { authorization: `Bearer ${resident.token}`, 'accept-encoding': 'identity' } });
		const raw = (await plain.arrayBuffer()).byteLength;
		const wire = await rawBytes(url, { authorization: `Bearer ${resident.token}`, 'accept-encoding': 'gzip' });
		expect(wire.length).toBeLessThan(raw / 3);
		const health = await fetch(`${srv.url}/api/health`, { headers: { 'accept-encoding': 'gzip' } });
		expect(health.headers.get('content-encoding')).toBeNull();
	});
});

describe('the built PWA', () => {
	it('serves hashed assets precompressed and immutable', async () => {
		for (const [accept, encoding] of [['br, gzip', 'br'], ['gzip', 'gzip']] as const) {
			const res = await fetch(`${srv.url}/_app/immutable/entry/start.abc.js`, { headers: { 'accept-encoding': accept } });
			expect(res.status).toBe(200);
			expect(res.headers.get('content-encoding')).toBe(encoding);
			expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
			expect(res.headers.get('content-type')).toContain('javascript');
			// Document-only headers are not repeated on every asset of a first visit; nosniff stays.
			expect(res.headers.get('content-security-policy')).toBeNull();
			expect(res.headers.get('x-frame-options')).toBeNull();
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
			expect(await res.text()).toBe(SCRIPT);
		}
		// Nor on each map tile: a commune downloaded for offline use is ~300 of them on a weak link.
		const tile = await fetch(`${srv.url}/api/tiles/13/6564/3821.png`);
		expect(tile.headers.get('content-type')).toBe('image/png');
		expect(tile.headers.get('content-security-policy')).toBeNull();
		expect(tile.headers.get('x-content-type-options')).toBe('nosniff');
	});

	it('revalidates HTML, the service worker and the manifest on every load', async () => {
		for (const p of ['/', '/service-worker.js', '/manifest.webmanifest']) {
			const res = await fetch(`${srv.url}${p}`);
			expect(res.status, p).toBe(200);
			expect(res.headers.get('cache-control'), p).toBe('no-cache');
		}
	});

	it('answers client-side routes with 200.html, but a missing asset or API path with a 404', async () => {
		const page = await fetch(`${srv.url}/report/new`);
		expect(page.status).toBe(200);
		expect(await page.text()).toBe(SHELL);
		expect(page.headers.get('cache-control')).toBe('no-cache');
		const asset = await call(`${srv.url}/_app/immutable/entry/missing.js`);
		expect(asset.status).toBe(404);
		const api = await call(`${srv.url}/api/nothing-here`);
		expect(api.status).toBe(404);
		expect(api.body).toMatchObject({ error: { code: 'not_found' } });
	});

	it('answers a prerendered page with its own HTML (compressed, revalidated), not the shell', async () => {
		const page = await fetch(`${srv.url}/report`, { headers: { 'accept-encoding': 'br' } });
		expect(page.status).toBe(200);
		expect(page.headers.get('content-encoding')).toBe('br');
		expect(page.headers.get('cache-control')).toBe('no-cache');
		expect(await page.text()).toBe(PRERENDERED);
		// Below it, a client-side route still gets the shell.
		expect(await (await fetch(`${srv.url}/report/new`)).text()).toBe(SHELL);
	});

	it('answers a prerendered page that has pages under it with its own HTML, and each page under it with its own', async () => {
		const page = await fetch(`${srv.url}/dossier`, { headers: { 'accept-encoding': 'br' } });
		expect(page.status).toBe(200);
		expect(page.headers.get('content-encoding')).toBe('br');
		expect(page.headers.get('cache-control')).toBe('no-cache');
		expect(await page.text()).toContain('<h1>Tra cứu hồ sơ</h1>');
		expect(await (await fetch(`${srv.url}/dossier/file`)).text()).toContain('<h1>Nộp hồ sơ trực tuyến</h1>');
		// Nothing outside the build is reached by climbing, and a client-side route below still gets the shell.
		expect(await (await fetch(`${srv.url}/dossier/%2e%2e/%2e%2e/etc/passwd`)).text()).toBe(SHELL);
		expect(await (await fetch(`${srv.url}/dossier/view`)).text()).toBe(SHELL);
	});

	it('allows exactly the inline boot script in its Content-Security-Policy', async () => {
		const res = await fetch(`${srv.url}/`);
		expect(res.headers.get('x-frame-options')).toBeTruthy();
		const csp = res.headers.get('content-security-policy')!;
		const { createHash } = await import('node:crypto');
		const hash = createHash('sha256').update(INLINE).digest('base64');
		expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
		expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
		expect(csp).toMatch(/img-src[^;]*blob:/);
	});
});

describe('errors', () => {
	it('answers a malformed body with an error code, not a stack trace', async () => {
		const res = await fetch(`${srv.url}/api/auth/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"username":'
		});
		expect(res.status).toBe(400);
		const body = (await res.json()) as { error: { code: string; message: string } };
		expect(body.error.code).toBe('validation_failed');
		expect(JSON.stringify(body)).not.toContain('at ');
	});
});
