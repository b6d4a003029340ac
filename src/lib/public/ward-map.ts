import type { BoundaryFeature } from '../domain/geo';
import type { Location } from '../domain/report';

/**
 * A ward's boundary and report markers as SVG coordinates, with no tile server: an equirectangular
 * projection scaled by cos(latitude), which at a ward's size (a few km) is true to within a pixel.
 */

export const MAP_WIDTH = 1000;
const PAD = 0.04;

export interface WardProjection {
	width: number;
	height: number;
	/** `d` of one <path> holding every ring (fill-rule evenodd punches the holes). */
	path: string;
	project(lat: number, lng: number): { x: number; y: number };
	/** Whether a point falls on the drawn map. */
	inView(lat: number, lng: number): boolean;
	/** A length on the ground in the map's units. */
	metresToPx(m: number): number;
}

type Ring = number[][];
const ringsOf = (f: BoundaryFeature): Ring[] =>
	f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();

export function projectWard(feature: BoundaryFeature, points: { lat: number; lng: number }[] = []): WardProjection {
	const rings = ringsOf(feature);
	let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
	const extend = (x: number, y: number) => {
		if (x < minX) minX = x;
		if (x > maxX) maxX = x;
		if (y < minY) minY = y;
		if (y > maxY) maxY = y;
	};
	for (const ring of rings) for (const [x, y] of ring) extend(x, y);
	// A marker a little outside the line (a GPS fix at the border) still shows; one far away (a wrong
	// fix) does not stretch the whole map: it is left off (`inView`).
	const [mx, my] = [(maxX - minX) * 0.25, (maxY - minY) * 0.25];
	const [bx0, by0, bx1, by1] = [minX - mx, minY - my, maxX + mx, maxY + my];
	for (const p of points) if (p.lng >= bx0 && p.lng <= bx1 && p.lat >= by0 && p.lat <= by1) extend(p.lng, p.lat);
	const kx = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
	const spanX = Math.max((maxX - minX) * kx, 1e-9);
	const spanY = Math.max(maxY - minY, 1e-9);
	const inner = MAP_WIDTH * (1 - 2 * PAD);
	const scale = inner / spanX;
	const height = Math.min(Math.round(spanY * scale + MAP_WIDTH * 2 * PAD), MAP_WIDTH * 1.6);
	const s = Math.min(scale, (height - MAP_WIDTH * 2 * PAD) / spanY);
	const offX = (MAP_WIDTH - spanX * s) / 2;
	const offY = (height - spanY * s) / 2;
	const project = (lat: number, lng: number) => ({
		x: Math.round((offX + (lng - minX) * kx * s) * 10) / 10,
		y: Math.round((offY + (maxY - lat) * s) * 10) / 10
	});
	const path = rings
		.map((ring) => ring.map(([lng, lat], i) => {
			const { x, y } = project(lat, lng);
			return `${i ? 'L' : 'M'}${x} ${y}`;
		}).join('') + 'Z')
		.join('');
	const inView = (lat: number, lng: number) => {
		const { x, y } = project(lat, lng);
		return x >= 0 && x <= MAP_WIDTH && y >= 0 && y <= height;
	};
	// A distance on the ground as drawn (a blurred report's approximate area): 1° of latitude ≈ 110.6 km.
	const metresToPx = (m: number) => Math.round(((m / 110_574) * s) * 10) / 10;
	return { width: MAP_WIDTH, height, path, project, inView, metresToPx };
}

/** Coordinates of a report's location, or null when only its ward was picked (listed, not plotted). */
export function pointOf(location: Location): { lat: number; lng: number } | null {
	return location.source === 'ward' ? null : { lat: location.lat, lng: location.lng };
}
