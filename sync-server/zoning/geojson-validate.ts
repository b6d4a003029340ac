import { DEFAULT_COMPARISONS, polygonProblem, ringShapeProblem, type PolygonProblem, type Ring } from './polygon-validity';
import { vn2000Converter } from './vn2000';

/**
 * Validation of an admin's zoning upload, feature by feature: what passes is converted to WGS 84 and
 * returned ready to store; what fails is listed with its index, id and a reason in Vietnamese and
 * English, so the admin can fix their file. The whole file is refused (nothing accepted) only when it
 * is not a FeatureCollection or exceeds the size caps — then it is the file, not a feature, at fault.
 *
 * Pure: no storage, no zoning schema. The caller passes the tenant's bounding box, its central
 * meridian when the file is in VN-2000, and `isKnownLandUse` (the land-use code list). Attribute names
 * follow the issue: landUseCode (required), maxFloors, maxHeightM, densityPct (numbers when present).
 */

export type LngLat = [number, number];
export interface PolygonGeometry {
	type: 'Polygon';
	coordinates: LngLat[][];
}
export interface MultiPolygonGeometry {
	type: 'MultiPolygon';
	coordinates: LngLat[][][];
}
/** A plain GeoJSON Feature, in WGS 84 [lng, lat], 2D. */
export interface ImportFeature {
	type: 'Feature';
	id?: string | number;
	properties: Record<string, unknown>;
	geometry: PolygonGeometry | MultiPolygonGeometry;
}

export type SourceCrs = { kind: 'wgs84' } | { kind: 'vn2000'; centralMeridianDeg: number; scale?: number };

export const IMPORT_LIMITS = {
	maxFeatures: 20_000,
	maxVertices: 2_000_000,
	/** Properties are flat attributes; a little nesting is tolerated, a deep tree is not plan data. */
	maxPropertyDepth: 4,
	/** Raw JSON nesting (a FeatureCollection of MultiPolygons is 8 deep); checked before parsing. */
	maxJsonDepth: 32,
	/** Segment comparisons for the whole file's intersection checks (see polygon-validity.ts). */
	maxComparisons: DEFAULT_COMPARISONS
};
export type ImportLimits = typeof IMPORT_LIMITS;

export interface ValidateOptions {
	crs: SourceCrs;
	/** The tenant's extent in WGS 84: [west, south, east, north]. */
	bbox: [number, number, number, number];
	isKnownLandUse: (code: string) => boolean;
	/** Attributes required besides landUseCode (e.g. the plan's own identifiers). */
	requiredProperties?: string[];
	limits?: Partial<ImportLimits>;
}

export type RejectCode =
	| 'not-feature'
	| 'geometry-type'
	| 'coordinates-invalid'
	| PolygonProblem
	| 'outside-province'
	| 'land-use-missing'
	| 'land-use-unknown'
	| 'attribute-missing'
	| 'attribute-invalid'
	| 'properties-too-deep';
export type RefuseCode = 'not-collection' | 'empty' | 'too-many-features' | 'too-many-vertices' | 'too-deep';

export interface Rejection {
	index: number;
	id?: string | number;
	code: RejectCode;
	/** "Vietnamese / English", shown as is in the import report. */
	reason: string;
}
export interface Refusal {
	code: RefuseCode;
	reason: string;
}
export interface ValidationResult {
	accepted: ImportFeature[];
	rejected: Rejection[];
	/** Set when the whole file is refused; accepted is then empty, so nothing is half-imported. */
	refused: Refusal | null;
}

const both = (vi: string, en: string) => `${vi} / ${en}`;

const GEOMETRY_REASONS: Record<PolygonProblem, string> = {
	'ring-too-short': both('vòng ranh giới cần ít nhất 4 điểm (3 đỉnh khác nhau)', 'a ring needs at least 4 positions (3 distinct corners)'),
	'ring-not-closed': both('vòng ranh giới không khép kín (điểm đầu khác điểm cuối)', 'a ring is not closed (its first position differs from its last)'),
	'self-intersection': both('ranh giới tự cắt nhau', 'the boundary intersects itself'),
	'hole-outside-shell': both('lỗ thủng nằm ngoài ranh giới ngoài', 'a hole lies outside its outer ring'),
	'hole-in-hole': both('lỗ thủng nằm trong một lỗ thủng khác', 'a hole lies inside another hole'),
	'too-complex': both('ranh giới quá phức tạp để kiểm tra, hãy đơn giản hoá', 'the boundary is too complex to check; simplify it')
};

function outsideReason(crs: SourceCrs): string {
	return crs.kind === 'vn2000'
		? both('ngoài phạm vi tỉnh (kiểm tra kinh tuyến trục)', 'outside the province (check the central meridian)')
		: both('ngoài phạm vi tỉnh (kiểm tra hệ toạ độ)', 'outside the province (check the coordinate system)');
}

/** Echo user text back briefly: enough to find it, never a wall of junk in the report. */
const short = (s: string) => (s.length > 24 ? `${s.slice(0, 24)}…` : s);

/** Numeric attributes and the range a plan can state. */
const NUMERIC: Record<string, { min: number; max: number; integer?: boolean; vi: string; en: string }> = {
	maxFloors: { min: 0, max: 200, integer: true, vi: 'số nguyên từ 0 đến 200', en: 'a whole number from 0 to 200' },
	maxHeightM: { min: 0, max: 1000, vi: 'số từ 0 đến 1000 (mét)', en: 'a number from 0 to 1000 (metres)' },
	densityPct: { min: 0, max: 100, vi: 'số từ 0 đến 100 (%)', en: 'a number from 0 to 100 (%)' }
};

/**
 * Depth of the raw JSON text, counted before JSON.parse so a hostile file of a million nested
 * brackets costs one linear scan, not a deep parse. Returns a refusal or null.
 */
export function checkJsonNesting(text: string, maxDepth = IMPORT_LIMITS.maxJsonDepth): Refusal | null {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 92 /* \ */) i++;
			else if (c === 34 /* " */) inString = false;
		} else if (c === 34) inString = true;
		else if (c === 91 || c === 123 /* [ { */) {
			if (++depth > maxDepth) return { code: 'too-deep', reason: both('tệp lồng nhau quá sâu', 'the file is nested too deeply') };
		} else if (c === 93 || c === 125) depth--;
	}
	return null;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Positions in a Polygon / MultiPolygon, counted without trusting the shape (for the cap). */
function countVertices(g: unknown): number {
	if (!isObj(g) || !Array.isArray(g.coordinates)) return 0;
	const polys = g.type === 'MultiPolygon' ? g.coordinates : [g.coordinates];
	let n = 0;
	for (const p of polys) if (Array.isArray(p)) for (const r of p) if (Array.isArray(r)) n += r.length;
	return n;
}

function depthWithin(v: unknown, max: number): boolean {
	const stack: [unknown, number][] = [[v, 0]];
	while (stack.length) {
		const [x, d] = stack.pop()!;
		if (typeof x !== 'object' || x === null) continue;
		if (d > max) return false;
		for (const y of Object.values(x)) stack.push([y, d + 1]);
	}
	return true;
}

/** Rings as [x, y] pairs if every position is two or three finite numbers; null otherwise. */
function readRings(rings: unknown): Ring[] | null {
	if (!Array.isArray(rings) || rings.length === 0) return null;
	const out: Ring[] = [];
	for (const r of rings) {
		if (!Array.isArray(r)) return null;
		const ring: [number, number][] = [];
		for (const p of r) {
			if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((c) => typeof c === 'number' && Number.isFinite(c))) return null;
			ring.push([p[0], p[1]]);
		}
		out.push(ring);
	}
	return out;
}

function featureId(f: Record<string, unknown>): string | number | undefined {
	const props = isObj(f.properties) ? f.properties : {};
	for (const v of [f.id, props.id]) if ((typeof v === 'string' && v.length <= 200) || (typeof v === 'number' && Number.isFinite(v))) return v;
	return undefined;
}

function propertiesProblem(props: Record<string, unknown>, opts: ValidateOptions, maxDepth: number): [RejectCode, string] | null {
	if (!depthWithin(props, maxDepth)) return ['properties-too-deep', both('thuộc tính lồng nhau quá sâu', 'the properties are nested too deeply')];
	const code = props.landUseCode;
	if (code === undefined || code === null || code === '')
		return ['land-use-missing', both('thiếu mã loại đất (landUseCode)', 'the land-use code (landUseCode) is missing')];
	if (typeof code !== 'string' || !opts.isKnownLandUse(code)) {
		const shown = short(String(code));
		return ['land-use-unknown', both(`mã loại đất không có trong danh mục: ${shown}`, `unknown land-use code: ${shown}`)];
	}
	for (const name of opts.requiredProperties ?? [])
		if (props[name] === undefined || props[name] === null || props[name] === '')
			return ['attribute-missing', both(`thiếu thuộc tính bắt buộc: ${name}`, `required attribute missing: ${name}`)];
	for (const [name, rule] of Object.entries(NUMERIC)) {
		const v = props[name];
		if (v === undefined || v === null) continue;
		const ok = typeof v === 'number' && Number.isFinite(v) && v >= rule.min && v <= rule.max && (!rule.integer || Number.isInteger(v));
		if (!ok) return ['attribute-invalid', both(`${name} phải là ${rule.vi}`, `${name} must be ${rule.en}`)];
	}
	return null;
}

/** Validates and converts one FeatureCollection (already parsed JSON). */
export function validateFeatureCollection(input: unknown, opts: ValidateOptions): ValidationResult {
	const limits = { ...IMPORT_LIMITS, ...opts.limits };
	const refuse = (code: RefuseCode, reason: string): ValidationResult => ({ accepted: [], rejected: [], refused: { code, reason } });

	if (!isObj(input) || input.type !== 'FeatureCollection' || !Array.isArray(input.features))
		return refuse('not-collection', both('tệp không phải GeoJSON FeatureCollection', 'the file is not a GeoJSON FeatureCollection'));
	const features: unknown[] = input.features;
	if (features.length === 0) return refuse('empty', both('tệp không có đối tượng nào', 'the file has no features'));
	if (features.length > limits.maxFeatures)
		return refuse(
			'too-many-features',
			both(`quá nhiều đối tượng: ${features.length} (tối đa ${limits.maxFeatures})`, `too many features: ${features.length} (at most ${limits.maxFeatures})`)
		);
	let vertices = 0;
	for (const f of features) vertices += isObj(f) ? countVertices(f.geometry) : 0;
	if (vertices > limits.maxVertices)
		return refuse(
			'too-many-vertices',
			both(`quá nhiều đỉnh: ${vertices} (tối đa ${limits.maxVertices})`, `too many vertices: ${vertices} (at most ${limits.maxVertices})`)
		);

	// One converter for the whole file (building it parses the projection).
	const convert: (p: readonly [number, number]) => LngLat =
		opts.crs.kind === 'vn2000'
			? (() => {
					const c = vn2000Converter(opts.crs.centralMeridianDeg, opts.crs.scale);
					return (p) => c.toWgs84([p[0], p[1]]);
				})()
			: (p) => [p[0], p[1]];
	const [west, south, east, north] = opts.bbox;
	const inBox = ([lng, lat]: LngLat) => Number.isFinite(lng) && Number.isFinite(lat) && lng >= west && lng <= east && lat >= south && lat <= north;

	const accepted: ImportFeature[] = [];
	const rejected: Rejection[] = [];
	const budget = { comparisons: limits.maxComparisons };
	features.forEach((f, index) => {
		const reject = (code: RejectCode, reason: string, id?: string | number) => rejected.push({ index, ...(id !== undefined ? { id } : {}), code, reason });
		if (!isObj(f) || f.type !== 'Feature' || !isObj(f.geometry))
			return reject('not-feature', both('không phải một đối tượng GeoJSON (Feature) có hình học', 'not a GeoJSON Feature with a geometry'), isObj(f) ? featureId(f) : undefined);
		const id = featureId(f);
		const g = f.geometry;
		if (g.type !== 'Polygon' && g.type !== 'MultiPolygon')
			return reject('geometry-type', both(`hình học phải là Polygon hoặc MultiPolygon (nhận được ${short(String(g.type))})`, `the geometry must be a Polygon or MultiPolygon (got ${short(String(g.type))})`), id);

		const rawPolys: unknown[] = g.type === 'Polygon' ? [g.coordinates] : Array.isArray(g.coordinates) ? g.coordinates : [];
		const polys: Ring[][] = [];
		for (const p of rawPolys) {
			const rings = readRings(p);
			if (!rings) break;
			polys.push(rings);
		}
		if (polys.length === 0 || polys.length !== rawPolys.length)
			return reject('coordinates-invalid', both('toạ độ sai dạng hoặc không phải số hữu hạn', 'the coordinates are malformed or not finite numbers'), id);

		// Ring shape first (an open ring has no meaningful "inside"), then the province, then topology.
		for (const rings of polys)
			for (const r of rings) {
				const shape = ringShapeProblem(r);
				if (shape) return reject(shape, GEOMETRY_REASONS[shape], id);
			}
		const converted = polys.map((rings) => rings.map((r) => r.map(convert)));
		if (!converted.every((rings) => rings.every((r) => r.every(inBox)))) return reject('outside-province', outsideReason(opts.crs), id);
		for (const rings of polys) {
			const problem = polygonProblem(rings, budget);
			if (problem) return reject(problem, GEOMETRY_REASONS[problem], id);
		}

		const props = isObj(f.properties) ? f.properties : {};
		const bad = propertiesProblem(props, opts, limits.maxPropertyDepth);
		if (bad) return reject(bad[0], bad[1], id);

		const geometry: ImportFeature['geometry'] =
			g.type === 'Polygon' ? { type: 'Polygon', coordinates: converted[0] } : { type: 'MultiPolygon', coordinates: converted };
		accepted.push({ type: 'Feature', ...(id !== undefined ? { id } : {}), properties: { ...props }, geometry });
	});
	return { accepted, rejected, refused: null };
}
