import { describe, expect, it } from 'vitest';
import { clusterPoints, splitZoom, worldPixel } from './cluster';

/** Points around a Đà Lạt ward: three within ~30 m of each other, one 1 km away, one 3 km away. */
const HERE = { lat: 11.9404, lng: 108.4383 };
const pts = [
	{ id: 'a', lat: HERE.lat, lng: HERE.lng },
	{ id: 'b', lat: HERE.lat + 0.0002, lng: HERE.lng },
	{ id: 'c', lat: HERE.lat, lng: HERE.lng + 0.0002 },
	{ id: 'd', lat: HERE.lat + 0.009, lng: HERE.lng },
	{ id: 'e', lat: HERE.lat - 0.027, lng: HERE.lng + 0.01 }
];
const at = (p: { lat: number; lng: number }) => p;
const total = (cs: { count: number }[]) => cs.reduce((s, c) => s + c.count, 0);
const groups = (zoom: number) => clusterPoints(pts, at, zoom).map((c) => c.items.map((i) => i.id).sort().join('')).sort();

describe('clusterPoints', () => {
	it('keeps every point exactly once at every zoom', () => {
		for (let z = 0; z <= 20; z++) {
			const cs = clusterPoints(pts, at, z);
			expect(total(cs)).toBe(pts.length);
			expect(new Set(cs.flatMap((c) => c.items.map((i) => i.id))).size).toBe(pts.length);
			for (const c of cs) expect(c.count).toBe(c.items.length);
		}
	});

	it('groups nearby points when zoomed out and splits them as the map zooms in', () => {
		expect(groups(10)).toEqual(['abcde']);
		expect(groups(14)).toEqual(['abc', 'd', 'e']);
		expect(groups(19)).toEqual(['a', 'b', 'c', 'd', 'e']);
	});

	it('only splits when zooming in: every cluster at z+1 lies inside one cluster at z', () => {
		for (let z = 5; z < 20; z++) {
			const outer = clusterPoints(pts, at, z);
			for (const inner of clusterPoints(pts, at, z + 1)) {
				const ids = inner.items.map((i) => i.id);
				expect(outer.filter((o) => ids.every((id) => o.items.some((i) => i.id === id)))).toHaveLength(1);
			}
		}
	});

	it('is stable: the same points in another order give the same clusters and keys', () => {
		const a = clusterPoints(pts, at, 15).map((c) => [c.key, c.count]).sort();
		const b = clusterPoints([...pts].reverse(), at, 15).map((c) => [c.key, c.count]).sort();
		expect(b).toEqual(a);
	});

	it('places a cluster at its members’ mean and spans their extent', () => {
		const c = clusterPoints(pts.slice(0, 3), at, 12)[0];
		expect(c.count).toBe(3);
		expect(c.lat).toBeCloseTo(HERE.lat + 0.0002 / 3, 9);
		expect(c.lng).toBeCloseTo(HERE.lng + 0.0002 / 3, 9);
		expect([c.south, c.north, c.west, c.east]).toEqual([HERE.lat, HERE.lat + 0.0002, HERE.lng, HERE.lng + 0.0002]);
	});

	it('leaves out a point without finite coordinates', () => {
		expect(total(clusterPoints([...pts, { id: 'x', lat: NaN, lng: 0 }], at, 14))).toBe(pts.length);
	});
});

describe('splitZoom', () => {
	it('is the first zoom at which a cluster’s members part', () => {
		const abc = pts.slice(0, 3);
		const z = splitZoom(abc, 14, 20);
		expect(clusterPoints(abc, at, z).length).toBeGreaterThan(1);
		expect(clusterPoints(abc, at, z - 1)).toHaveLength(1);
	});
	it('is the maximum zoom for reports at the same spot', () => {
		expect(splitZoom([HERE, HERE], 14, 18)).toBe(18);
	});
});

describe('worldPixel', () => {
	it('matches Web Mercator at known points', () => {
		expect(worldPixel({ lat: 0, lng: 0 }, 0)).toEqual({ x: 128, y: 128 });
		const p = worldPixel({ lat: 85.05112878, lng: 180 }, 1);
		expect(p.x).toBeCloseTo(512, 6);
		expect(p.y).toBeCloseTo(0, 3);
	});
});
