import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeBoundaries } from '../domain/boundary-codec';
import type { BoundaryCollection, BoundaryFeature } from '../domain/geo';
import { localDb } from '../sync/local-db';
import { detectWard, distancesToWards, resetWardDetector, wardAgrees, wardFeature } from './ward-detect';
import { BOUNDARIES_KEY, createWardLookup, type WardCall, type WardReply } from './ward-lookup';

const boundaries: BoundaryCollection = JSON.parse(
	readFileSync(new URL('../../../data/tenants/lam-dong/boundaries.geojson', import.meta.url), 'utf8')
);

const DA_LAT_WARDS = {
	'24778': 'Phường Lâm Viên - Đà Lạt',
	'24781': 'Phường Xuân Hương - Đà Lạt',
	'24787': 'Phường Cam Ly - Đà Lạt',
	'24805': 'Phường Xuân Trường - Đà Lạt',
	'24846': 'Phường Lang Biang - Đà Lạt'
};

/**
 * A point inside a feature, found independently of the locator under test: cross the largest
 * polygon with a horizontal line through the middle of its box, sort where the line crosses the
 * rings (outer and holes), and take the middle of the first inside stretch.
 */
function interiorPoint(f: BoundaryFeature): { lat: number; lng: number } {
	const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
	const largest = polys.reduce((a, b) => (b[0].length > a[0].length ? b : a));
	const lats = largest[0].map((p) => p[1]);
	const lat = (Math.min(...lats) + Math.max(...lats)) / 2 + 1e-7;
	const xs: number[] = [];
	for (const ring of largest) {
		for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
			const [x1, y1] = ring[j];
			const [x2, y2] = ring[i];
			if (y1 > lat !== y2 > lat) xs.push(x1 + ((lat - y1) * (x2 - x1)) / (y2 - y1));
		}
	}
	xs.sort((a, b) => a - b);
	// The widest inside stretch [xs[2k], xs[2k+1]] keeps the point away from the border.
	let best = 0;
	for (let k = 0; k + 1 < xs.length; k += 2) if (xs[k + 1] - xs[k] > xs[best + 1] - xs[best]) best = k;
	return { lat, lng: (xs[best] + xs[best + 1]) / 2 };
}

describe('ward detection from the cached boundaries (offline)', () => {
	beforeAll(async () => {
		await localDb.tenant.put({ key: BOUNDARIES_KEY, value: encodeBoundaries(boundaries), fetchedAt: Date.now() });
		resetWardDetector();
		// Offline: any network call would be a bug here.
		vi.stubGlobal('fetch', () => Promise.reject(new TypeError('offline')));
	});
	afterAll(() => vi.unstubAllGlobals());

	for (const [code, name] of Object.entries(DA_LAT_WARDS)) {
		it(`finds ${name} (${code}) from a point inside it`, async () => {
			const feature = boundaries.features.find((f) => f.properties.code === code);
			expect(feature?.properties.name).toBe(name);
			const p = interiorPoint(feature!);
			const ward = await detectWard(p.lat, p.lng);
			expect(ward?.code).toBe(code);
			expect(ward?.name).toBe(name);
		});
	}

	it('answers null for a point outside the province (Hà Nội)', async () => {
		expect(await detectWard(21.0285, 105.8542)).toBeNull();
	});

	it('measures every ward from a point: 0 for the ward it is in, its neighbours next, far ones far', async () => {
		const p = interiorPoint(boundaries.features.find((f) => f.properties.code === '24778')!);
		const d = (await distancesToWards(p.lat, p.lng))!;
		expect(d.size).toBe(boundaries.features.length);
		expect(d.get('24778')).toBe(0);
		const nearest = [...d].sort((a, b) => a[1] - b[1]).slice(1, 5).map(([c]) => c);
		// Other Đà Lạt wards lie a few km from a point in the middle of Lâm Viên; the coast, far away.
		for (const code of ['24781', '24787']) expect(d.get(code)!).toBeLessThan(8_000);
		expect(nearest.every((c) => d.get(c)! < 10_000)).toBe(true);
		expect(d.get('22918')!).toBeGreaterThan(100_000); // Mũi Né, on the coast
	});

	it('answers null offline when no boundaries were ever cached', async () => {
		await localDb.tenant.delete(BOUNDARIES_KEY);
		resetWardDetector();
		expect(await detectWard(11.94, 108.44)).toBeNull();
	});
});

/** A stand-in for the browser's Worker running the real lookups, answering in the reverse order of the questions. */
class ReorderingWorker {
	static started = 0;
	onmessage: ((e: { data: WardReply }) => void) | null = null;
	onerror: ((e: { preventDefault(): void }) => void) | null = null;
	private lookup = createWardLookup();
	private queue: WardCall[] = [];
	constructor() {
		ReorderingWorker.started++;
		setTimeout(() => this.onmessage?.({ data: { ready: true } }));
	}
	postMessage(call: WardCall) {
		this.queue.push(call);
		if (this.queue.length === 1) setTimeout(() => this.flush(), 5);
	}
	private async flush() {
		const calls = this.queue.splice(0).reverse();
		for (const c of calls) this.onmessage?.({ data: { id: c.id, ok: true, value: await this.lookup.handle(c.origin, c.req) } });
	}
	terminate() {}
}

/** A worker that never starts (module workers unsupported, its script missing). */
class BrokenWorker {
	onerror: ((e: { preventDefault(): void }) => void) | null = null;
	constructor() {
		setTimeout(() => this.onerror?.({ preventDefault() {} }));
	}
	postMessage() {
		throw new Error('not started');
	}
	terminate() {}
}

describe('the page asks the ward worker', () => {
	const xuanHuong = interiorPoint(boundaries.features.find((f) => f.properties.code === '24781')!);
	const lamVien = interiorPoint(boundaries.features.find((f) => f.properties.code === '24778')!);
	beforeAll(async () => {
		await localDb.tenant.put({ key: BOUNDARIES_KEY, value: encodeBoundaries(boundaries), fetchedAt: Date.now() });
		vi.stubGlobal('fetch', () => Promise.reject(new TypeError('offline')));
	});
	afterEach(() => {
		resetWardDetector();
		vi.unstubAllGlobals();
		vi.stubGlobal('fetch', () => Promise.reject(new TypeError('offline')));
	});
	afterAll(() => vi.unstubAllGlobals());

	it('matches each answer to its question when they come back out of order, with one worker for the page', async () => {
		vi.stubGlobal('Worker', ReorderingWorker);
		ReorderingWorker.started = 0;
		resetWardDetector();
		const [a, b, agrees, feature] = await Promise.all([
			detectWard(xuanHuong.lat, xuanHuong.lng),
			detectWard(lamVien.lat, lamVien.lng),
			wardAgrees('24778', xuanHuong.lat, xuanHuong.lng),
			wardFeature('24781')
		]);
		expect([a?.code, b?.code, agrees]).toEqual(['24781', '24778', false]);
		expect(feature).toEqual(boundaries.features.find((f) => f.properties.code === '24781'));
		expect(ReorderingWorker.started).toBe(1);
	});

	it('does the lookups on the page when the worker cannot start: the resident still gets the ward', async () => {
		vi.stubGlobal('Worker', BrokenWorker);
		resetWardDetector();
		expect((await detectWard(xuanHuong.lat, xuanHuong.lng))?.code).toBe('24781');
		expect((await distancesToWards(xuanHuong.lat, xuanHuong.lng))?.get('24781')).toBe(0);
	});
});
