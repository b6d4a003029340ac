import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { matchTenantPath, prefixLocations } from './tenant-paths';

const IDS = new Set(['lam-dong', 'dak-lak']);

describe('a province under a path of one host', () => {
	it('takes the prefix off API calls only; pages and assets keep it (their build is made for it)', () => {
		expect(matchTenantPath('/dak-lak/api/sync/reports/pull?limit=1', IDS)).toEqual({ tenantId: 'dak-lak', base: '/dak-lak', url: '/api/sync/reports/pull?limit=1' });
		expect(matchTenantPath('/dak-lak/api', IDS)?.url).toBe('/api');
		expect(matchTenantPath('/dak-lak/report', IDS)?.url).toBe('/dak-lak/report');
		expect(matchTenantPath('/dak-lak/_app/immutable/x.js', IDS)?.url).toBe('/dak-lak/_app/immutable/x.js');
		expect(matchTenantPath('/dak-lak', IDS)?.tenantId).toBe('dak-lak');
		expect(matchTenantPath('/dak-lak?x=1', IDS)?.tenantId).toBe('dak-lak');
	});

	it('names no province for other paths, or a segment that only starts like one', () => {
		for (const url of ['/', '/report', '/api/tenant', '/dak-lakx/api/tenant', '/ha-noi/api/tenant', '/DAK-LAK/api/tenant'])
			expect(matchTenantPath(url, IDS)).toBeNull();
	});

	it('puts the prefix back on the Location of an answer (tus upload URLs)', async () => {
		const server = createServer((req, res) => {
			prefixLocations(res, '/dak-lak');
			if (req.url === '/a') res.writeHead(201, { Location: '/api/media/uploads/x' }).end();
			else {
				res.setHeader('location', '/api/media/uploads/y');
				res.setHeader('x-other', '/kept');
				res.end();
			}
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		const port = (server.address() as AddressInfo).port;
		const get = (path: string) =>
			new Promise<Record<string, unknown>>((resolve, reject) =>
				request({ host: '127.0.0.1', port, path }, (res) => {
					res.resume();
					resolve(res.headers);
				})
					.on('error', reject)
					.end()
			);
		try {
			expect((await get('/a')).location).toBe('/dak-lak/api/media/uploads/x');
			const b = await get('/b');
			expect([b.location, b['x-other']]).toEqual(['/dak-lak/api/media/uploads/y', '/kept']);
		} finally {
			server.close();
		}
	});
});
