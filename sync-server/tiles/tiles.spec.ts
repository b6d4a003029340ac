import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTiles, tileAddress } from './tiles.module';

/** A Fastify app that reads route schemas as zod's, as the server does (http.module.ts). */
const zodFastify = () => Fastify().setValidatorCompiler(validatorCompiler).setSerializerCompiler(serializerCompiler);

describe('tileAddress', () => {
	it('reads z/x/y.png within the zoom\'s grid', () => {
		expect(tileAddress('14', '13128', '7642.png')).toEqual({ z: 14, x: 13128, y: 7642 });
		expect(tileAddress('0', '0', '0.png')).toEqual({ z: 0, x: 0, y: 0 });
	});
	it('refuses anything else, so no path is built from it', () => {
		for (const [z, x, f] of [
			['..', '..', 'tenant.json'],
			['14', '..', '1.png'],
			['14', '13128', '../../../tenant.json'],
			['14', '13128', '7642.jpg'],
			['14', '-1', '1.png'],
			['1', '2', '0.png'], // x beyond 2^1
			['23', '0', '0.png'],
			['1e1', '0', '0.png'],
			['14', '0x1', '1.png']
		])
			expect(tileAddress(z, x, f), `${z}/${x}/${f}`).toBeNull();
	});
});

describe('GET /api/tiles/{z}/{x}/{y}.png', () => {
	let dir: string;
	let app: FastifyInstance;
	let tile: Buffer;
	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'tiles-'));
		tile = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#eef2e2' } }).png().toBuffer();
		await mkdir(path.join(dir, 'tiles', '14', '13128'), { recursive: true });
		await writeFile(path.join(dir, 'tiles', '14', '13128', '7642.png'), tile);
		await writeFile(path.join(dir, 'secret.png'), 'not a tile');
		app = zodFastify();
		await writeFile(path.join(dir, 'map-poster.png'), tile);
		setupTiles(app, { dir: path.join(dir, 'tiles'), poster: path.join(dir, 'map-poster.png') });
		await app.ready();
	});
	afterAll(async () => {
		await app.close();
		await rm(dir, { recursive: true, force: true });
	});

	it('serves a tile of the set, cached for good', async () => {
		const res = await app.inject('/api/tiles/14/13128/7642.png');
		expect(res.statusCode).toBe(200);
		expect(res.headers['content-type']).toBe('image/png');
		expect(res.headers['cache-control']).toContain('immutable');
		expect(res.rawPayload.equals(tile)).toBe(true);
	});

	it('answers a tile outside the set with a transparent one, cached briefly', async () => {
		const res = await app.inject('/api/tiles/14/13128/7643.png');
		expect(res.statusCode).toBe(200);
		expect(res.headers['cache-control']).not.toContain('immutable');
		const { data, info } = await sharp(res.rawPayload).raw().toBuffer({ resolveWithObject: true });
		expect(info.channels).toBe(4);
		expect(data[3]).toBe(0);
	});

	it('never reads outside the tile folder', async () => {
		for (const url of ['/api/tiles/../secret.png', '/api/tiles/%2e%2e/%2e%2e/secret.png', '/api/tiles/14/..%2f..%2f/secret.png', '/api/tiles/14/13128/..%2f..%2f..%2fsecret.png']) {
			const res = await app.inject(url);
			expect(res.body, url).not.toContain('not a tile');
			expect(res.statusCode, url).not.toBe(500);
		}
	});

	it('serves the map poster when the tenant has one, and 404 (nothing drawn) when not', async () => {
		const res = await app.inject('/api/map/poster.png');
		expect(res.statusCode).toBe(200);
		expect(res.headers['content-type']).toBe('image/png');
		expect(res.rawPayload.equals(tile)).toBe(true);
		const bare = zodFastify();
		setupTiles(bare, { dir: path.join(dir, 'tiles'), poster: path.join(dir, 'no-poster.png') });
		expect((await bare.inject('/api/map/poster.png')).statusCode).toBe(404);
		await bare.close();
	});
});
