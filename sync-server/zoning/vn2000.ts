import proj4 from 'proj4';

/**
 * VN-2000 (Vietnam's national datum) ↔ WGS 84, for zoning plans delivered in the national projected
 * coordinates. The maths is proj4's (transverse Mercator + a 7-parameter Helmert through geocentric
 * coordinates); this file only states the parameters, so a wrong number is the only thing that can
 * be wrong here, and each is sourced below.
 *
 * - Ellipsoid: WGS 84 (a = 6378137, f = 1/298.257223563) — Decision 83/2000/QĐ-TTg.
 * - Projection: transverse Mercator on the tenant's central meridian (kinh tuyến trục, e.g. 107°45′ for
 *   Lâm Đồng), scale 0.9999 for the 3° zones cadastral and planning maps use (0.9996 for 6° zones),
 *   false easting 500 000 m, false northing 0 — Circular 973/2001/TT-TCĐC.
 * - Datum shift: Decision 05/2007/QĐ-BTNMT: Δx0 = −191.90441429 m, Δy0 = −39.30318279 m,
 *   Δz0 = −111.45032835 m; ω0 = −0.00928836″, ψ0 = 0.01975479″, ε0 = −0.00427372″;
 *   k = 1.000000252906278 (0.252906278 ppm). EPSG carries it as transformation 6960 "VN-2000 to
 *   WGS 84 (2)" on CRS 4756, whose TOWGS84 (position-vector convention, the one proj4 reads) is
 *   exactly these numbers with these signs. Several copies in circulation flip the three rotation
 *   signs; that moves a point by ~0.5 m in the south of the country, inside a map's drawing error
 *   but outside the 1 m budget with other errors added, and it disagrees with an independently
 *   computed published pair (see vn2000.spec.ts) — keep the signs as here.
 *
 * Coordinate order: GeoJSON / GIS order, [easting, northing] in metres (what QGIS and GDAL export).
 * Vietnamese survey tables name them the other way round (X = northing, Y = easting); a file with the
 * two swapped lands thousands of kilometres away and the importer's province check refuses it.
 * Heights are ignored (2D): the ellipsoidal height changes the horizontal result by millimetres.
 */

export const VN2000_TOWGS84 = [
	-191.90441429, -39.30318279, -111.45032835, -0.00928836, 0.01975479, -0.00427372, 0.252906278
] as const;

/** Scale factor at the central meridian: 3° zones (local maps) and 6° zones (national series). */
export const VN2000_SCALE = { zone3: 0.9999, zone6: 0.9996 } as const;

/** Central meridians actually used lie between 102° and 109.5°; allow a margin, refuse nonsense. */
const MERIDIAN_RANGE: [number, number] = [100, 112];

export type Position = [number, number];

/** The proj4 definition of VN-2000 / TM on the given central meridian (degrees, decimal). */
export function vn2000Definition(centralMeridianDeg: number, scale: number = VN2000_SCALE.zone3): string {
	if (!Number.isFinite(centralMeridianDeg) || centralMeridianDeg < MERIDIAN_RANGE[0] || centralMeridianDeg > MERIDIAN_RANGE[1])
		throw new RangeError(`VN-2000 central meridian out of range: ${centralMeridianDeg}`);
	if (scale !== VN2000_SCALE.zone3 && scale !== VN2000_SCALE.zone6) throw new RangeError(`VN-2000 scale factor must be 0.9999 or 0.9996: ${scale}`);
	return (
		`+proj=tmerc +lat_0=0 +lon_0=${centralMeridianDeg} +k=${scale} +x_0=500000 +y_0=0 ` +
		`+ellps=WGS84 +towgs84=${VN2000_TOWGS84.join(',')} +units=m +no_defs`
	);
}

/** Degrees and minutes as tenants write them (107°45′ → 107.75). */
export function meridianFromDegMin(deg: number, min = 0): number {
	return deg + min / 60;
}

const WGS84 = '+proj=longlat +datum=WGS84 +no_defs';

export interface Vn2000Converter {
	/** [easting, northing] in VN-2000 metres → [longitude, latitude] WGS 84 degrees. */
	toWgs84(p: Position): Position;
	/** [longitude, latitude] WGS 84 degrees → [easting, northing] VN-2000 metres. */
	fromWgs84(p: Position): Position;
}

/**
 * A converter for one central meridian; build it once per import (proj4 parses the definition on
 * each `proj4(a, b)` call, which would dominate a 2-million-vertex file).
 */
export function vn2000Converter(centralMeridianDeg: number, scale: number = VN2000_SCALE.zone3): Vn2000Converter {
	const conv = proj4(vn2000Definition(centralMeridianDeg, scale), WGS84);
	return {
		toWgs84: ([x, y]) => {
			const [lng, lat] = conv.forward([x, y]);
			return [lng, lat];
		},
		fromWgs84: ([lng, lat]) => {
			const [x, y] = conv.inverse([lng, lat]);
			return [x, y];
		}
	};
}

/** One-off conversions (tests, a single point); importers use vn2000Converter. */
export function toWgs84(p: Position, centralMeridianDeg: number): Position {
	return vn2000Converter(centralMeridianDeg).toWgs84(p);
}

export function fromWgs84(p: Position, centralMeridianDeg: number): Position {
	return vn2000Converter(centralMeridianDeg).fromWgs84(p);
}
