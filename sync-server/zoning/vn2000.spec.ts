import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { fromWgs84, meridianFromDegMin, toWgs84, vn2000Converter, vn2000Definition } from './vn2000';

/**
 * Control pairs. No national geodetic point with both coordinate sets is published in a form we could
 * reach, so these are the worked examples published with two independent open-source converters
 * (each computed by its own code, not by proj4):
 * - Đồng Tháp (central meridian 105°): README and test of the npm package vn2000-converter
 *   (github.com/namlunkaka/vn2000-converter, "based on tool-online.com"): E 557975.802,
 *   N 1142228.861 ↔ 105.53115606° E, 10.32843706° N.
 * - TP. Hồ Chí Minh (105°45′): example of the Dart package dart_vn2000 (github.com/ankiimation/dart_vn2000):
 *   E 600997, N 1189964 ↔ 106.67523783° E, 10.75909134° N.
 * The Lâm Đồng pair (107°45′) is derived here: proj4's plain transverse Mercator (no datum) plus the
 * Helmert of Decision 05/2007/QĐ-BTNMT written out below, so a wrong sign or unit in the towgs84 wiring
 * would show.
 */

/** Metres between two lng/lat points (equirectangular: exact enough at these distances). */
function metres(a: [number, number], b: [number, number]): number {
	const lat = ((a[1] + b[1]) / 2) * (Math.PI / 180);
	const dx = (a[0] - b[0]) * 111_320 * Math.cos(lat);
	const dy = (a[1] - b[1]) * 110_574;
	return Math.hypot(dx, dy);
}

const published = [
	{ place: 'Đồng Tháp', meridian: 105, en: [557975.802, 1142228.861] as [number, number], wgs: [105.53115606, 10.32843706] as [number, number] },
	{ place: 'TP. Hồ Chí Minh', meridian: meridianFromDegMin(105, 45), en: [600997, 1189964] as [number, number], wgs: [106.67523783, 10.75909134] as [number, number] }
];

describe('VN-2000 ↔ WGS 84', () => {
	for (const p of published) {
		it(`matches the published pair for ${p.place} within 1 m, both ways`, () => {
			// The budget is 1 m; the pairs actually agree to millimetres, and 10 cm is what catches
			// the common copy with flipped rotation signs (~0.5 m off), so assert that too.
			expect(metres(toWgs84(p.en, p.meridian), p.wgs)).toBeLessThan(0.1);
			const back = fromWgs84(p.wgs, p.meridian);
			expect(Math.hypot(back[0] - p.en[0], back[1] - p.en[1])).toBeLessThan(0.1);
		});
	}

	it('the national shift is applied: a WGS 84 point is ~hundreds of metres from the same numbers read as VN-2000 geographic', () => {
		// Without the datum shift VN-2000 and WGS 84 geographic coordinates would coincide; the published
		// shift moves points in the south by a few hundred metres. A missing towgs84 would pass the
		// projection but fail this.
		const [lng, lat] = [108.4419, 11.9404]; // Đà Lạt, Lâm Đồng
		const plainTm = vn2000Definition(107.75).replace(/\+towgs84=[^ ]+ /, '');
		const { fromWgs84: shifted } = vn2000Converter(107.75);
		const [x1, y1] = shifted([lng, lat]);
		const [x0, y0] = toTmWithoutDatum(plainTm, [lng, lat]);
		const d = Math.hypot(x1 - x0, y1 - y0);
		expect(d).toBeGreaterThan(100);
		expect(d).toBeLessThan(600);
	});

	it('matches a Lâm Đồng pair derived from the Decision 05/2007 Helmert, within 1 m', () => {
		const meridian = meridianFromDegMin(107, 45);
		const wgs: [number, number] = [108.4419, 11.9404];
		// WGS 84 → VN-2000 geographic by the inverse Helmert (decision's parameters, position-vector form).
		const vnGeo = helmertWgsToVn(wgs);
		const plainTm = vn2000Definition(meridian).replace(/\+towgs84=[^ ]+ /, '');
		const expected = toTmWithoutDatum(plainTm, vnGeo);
		const got = fromWgs84(wgs, meridian);
		// Same model both sides, so centimetres; flipped rotation signs would be ~0.5 m off.
		expect(Math.hypot(got[0] - expected[0], got[1] - expected[1])).toBeLessThan(0.05);
		expect(metres(toWgs84(expected, meridian), wgs)).toBeLessThan(0.05);
	});

	it('round-trips within 1 cm across the province', () => {
		const conv = vn2000Converter(meridianFromDegMin(107, 45));
		for (const [e, n] of [
			[500000, 1320000],
			[575165.913, 1320566.968],
			[430000, 1250000],
			[620000, 1370000]
		] as [number, number][]) {
			const [e2, n2] = conv.fromWgs84(conv.toWgs84([e, n]));
			expect(Math.hypot(e2 - e, n2 - n)).toBeLessThan(0.01);
		}
	});

	it('a wrong central meridian puts the point far away (what the importer’s province check relies on)', () => {
		const en: [number, number] = [575165.913, 1320566.968];
		expect(metres(toWgs84(en, 107.75), toWgs84(en, 105))).toBeGreaterThan(250_000);
	});

	it('refuses a central meridian outside Vietnam’s zones and an unknown scale factor', () => {
		expect(() => vn2000Definition(0)).toThrow(RangeError);
		expect(() => vn2000Definition(Number.NaN)).toThrow(RangeError);
		expect(() => vn2000Definition(107.75, 1)).toThrow(RangeError);
		expect(vn2000Definition(107.75, 0.9996)).toContain('+k=0.9996');
	});
});

// ---- independent pieces for the derived pair -------------------------------------------------------

function toTmWithoutDatum(def: string, lngLat: [number, number]): [number, number] {
	const [x, y] = proj4('+proj=longlat +ellps=WGS84 +no_defs', def, lngLat);
	return [x, y];
}

const A = 6378137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const SEC = Math.PI / 180 / 3600;

function toEcef([lng, lat]: [number, number]): [number, number, number] {
	const φ = (lat * Math.PI) / 180, λ = (lng * Math.PI) / 180;
	const N = A / Math.sqrt(1 - E2 * Math.sin(φ) ** 2);
	return [N * Math.cos(φ) * Math.cos(λ), N * Math.cos(φ) * Math.sin(λ), N * (1 - E2) * Math.sin(φ)];
}

function fromEcef([x, y, z]: [number, number, number]): [number, number] {
	const p = Math.hypot(x, y);
	let φ = Math.atan2(z, p * (1 - E2));
	for (let i = 0; i < 10; i++) {
		const N = A / Math.sqrt(1 - E2 * Math.sin(φ) ** 2);
		const h = p / Math.cos(φ) - N;
		φ = Math.atan2(z, p * (1 - (E2 * N) / (N + h)));
	}
	return [(Math.atan2(y, x) * 180) / Math.PI, (φ * 180) / Math.PI];
}

/**
 * Decision 05/2007: VN-2000 → WGS 84 is X_wgs = T + (1+k)·R·X_vn with the small-angle position-vector
 * rotation R = [[1, −ε, ψ], [ε, 1, −ω], [−ψ, ω, 1]], T = (Δx0, Δy0, Δz0). Inverted to first order
 * (rotations are 1e-7 rad, scale 2.5e-7: second-order terms are micrometres).
 */
function helmertWgsToVn(wgs: [number, number]): [number, number] {
	const [tx, ty, tz] = [-191.90441429, -39.30318279, -111.45032835];
	const [ω, ψ, ε] = [-0.00928836 * SEC, 0.01975479 * SEC, -0.00427372 * SEC];
	const k = 0.252906278e-6;
	const [X, Y, Z] = toEcef(wgs);
	const [x, y, z] = [X - tx, Y - ty, Z - tz];
	const s = 1 - k;
	// R⁻¹ ≈ Rᵀ for small angles.
	return fromEcef([s * (x + ε * y - ψ * z), s * (-ε * x + y + ω * z), s * (ψ * x - ω * y + z)]);
}
