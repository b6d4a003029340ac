/**
 * Makes a DEMO zoning plan for one ward: made-up but plausible zones tiling the ward (denser housing
 * near the town centre, commerce, public land, green and protected land, one planned road) and land
 * parcels named by map sheet and number. Deterministic (seeded): the same files give the same plan.
 * The plan is labelled demo (plan.demo = true, "dữ liệu demo" in its name): it is no real plan.
 *
 *   node scripts/make-demo-zoning.mjs [tenantDir=data/tenants/lam-dong] [wardCode=24778] [seed=1]
 *
 * Writes <tenantDir>/zoning/demo-plan.json (domain/zoning.ts ZoningPlanFile).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const tenantDir = process.argv[2] ?? 'data/tenants/lam-dong';
const wardCode = process.argv[3] ?? '24778';
// Seed 1: its clipped cells are all simple polygons (Sutherland–Hodgman on a concave ward can fold a cell back
// along the cut; zoning-check.spec.ts runs the import's own validator over the result).
const seed = Number(process.argv[4] ?? 1);

const tenant = JSON.parse(readFileSync(join(tenantDir, 'tenant.json'), 'utf8'));
const boundaries = JSON.parse(readFileSync(join(tenantDir, tenant.boundaries), 'utf8'));
const ward = boundaries.features.find((f) => f.properties.code === wardCode);
if (!ward) throw new Error(`no ward ${wardCode} in ${tenant.boundaries}`);
if (ward.geometry.type !== 'Polygon') throw new Error('the demo needs a ward drawn as one polygon');
const wardRing = ward.geometry.coordinates[0];
const wardName = ward.properties.name;
const wardNameEn = ward.properties.nameEn ?? wardName;

/** mulberry32: small, seeded, the same sequence on every machine. */
function rng(s) {
	return () => {
		s = (s + 0x6d2b79f5) | 0;
		let t = Math.imul(s ^ (s >>> 15), 1 | s);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const rand = rng(seed);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const r6 = (x) => Math.round(x * 1e6) / 1e6;
const round = (ring) => ring.map(([x, y]) => [r6(x), r6(y)]);

function inRing(x, y, ring) {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i], [xj, yj] = ring[j];
		if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}
function ringArea(ring) {
	let a = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
	return a / 2;
}

/** Sutherland–Hodgman: the ward's ring cut to an axis-aligned box (the box is convex, the ward need not be). */
function clipToBox(ring, [x0, y0, x1, y1]) {
	const edges = [
		[(p) => p[0] >= x0, (a, b) => [x0, a[1] + ((b[1] - a[1]) * (x0 - a[0])) / (b[0] - a[0])]],
		[(p) => p[0] <= x1, (a, b) => [x1, a[1] + ((b[1] - a[1]) * (x1 - a[0])) / (b[0] - a[0])]],
		[(p) => p[1] >= y0, (a, b) => [a[0] + ((b[0] - a[0]) * (y0 - a[1])) / (b[1] - a[1]), y0]],
		[(p) => p[1] <= y1, (a, b) => [a[0] + ((b[0] - a[0]) * (y1 - a[1])) / (b[1] - a[1]), y1]]
	];
	let out = ring.slice(0, -1);
	for (const [inside, cut] of edges) {
		const input = out;
		out = [];
		for (let i = 0; i < input.length; i++) {
			const a = input[(i + input.length - 1) % input.length], b = input[i];
			if (inside(b)) {
				if (!inside(a)) out.push(cut(a, b));
				out.push(b);
			} else if (inside(a)) out.push(cut(a, b));
		}
		if (!out.length) return null;
	}
	// Rounded, without repeated points, closed.
	const pts = round(out).filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]);
	if (pts.length < 3) return null;
	return [...pts, pts[0]];
}

// --- The grid the zones are cut from: columns and rows with a little jitter, plus a road strip ---
const xs = wardRing.map((p) => p[0]), ys = wardRing.map((p) => p[1]);
const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
const M_LAT = 110_574, M_LNG = 111_320 * Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
const COLS = 6, ROWS = 6;
const splits = (lo, hi, n) => Array.from({ length: n + 1 }, (_, i) => (i === 0 || i === n ? [lo, hi][i ? 1 : 0] : lo + ((hi - lo) * (i + (rand() - 0.5) * 0.4)) / n));
const colX = splits(minX, maxX, COLS);
const rowY = splits(minY, maxY, ROWS);
// A planned road (đường quy hoạch) 30 m wide across the ward, cut out of the middle row.
const roadHalf = 15 / M_LAT;
const roadY = (rowY[3] + rowY[4]) / 2;
const bands = [];
for (let r = 0; r < ROWS; r++) {
	if (r === 3) bands.push([rowY[3], roadY - roadHalf], [roadY + roadHalf, rowY[4]]);
	else bands.push([rowY[r], rowY[r + 1]]);
}

const centre = [tenant.center.lng, tenant.center.lat];
const metres = ([x, y], [u, v]) => Math.hypot((x - u) * M_LNG, (y - v) * M_LAT);

const PLAN_ID = `${tenant.id}-demo-${wardCode}-v1`;
const zones = [];
const cells = [];
for (const [y0, y1] of bands)
	for (let c = 0; c < COLS; c++) {
		const ring = clipToBox(wardRing, [colX[c], y0, colX[c + 1], y1]);
		if (ring && Math.abs(ringArea(ring)) * M_LAT * M_LNG > 2000) cells.push({ ring, mid: [(colX[c] + colX[c + 1]) / 2, (y0 + y1) / 2] });
		else if (ring) cells.push({ ring, mid: [(colX[c] + colX[c + 1]) / 2, (y0 + y1) / 2], sliver: true });
	}
// Nearest the town centre first: that is where the plan allows the most floors.
const byDistance = [...cells].sort((a, b) => metres(a.mid, centre) - metres(b.mid, centre));
byDistance.forEach((cell, rank) => {
	const share = rank / byDistance.length;
	const z = { landUseCode: 'ODT', onPlannedRoad: false, protectedArea: false };
	if (cell.sliver) Object.assign(z, { landUseCode: 'DKV', maxFloors: 1, densityPct: 5 });
	else if (share < 0.12) Object.assign(z, rank % 3 === 1 ? { landUseCode: 'TMD', maxFloors: 7, maxHeightM: 28, densityPct: 60 } : { landUseCode: 'ODT', maxFloors: 5, maxHeightM: 20, densityPct: 70 });
	else if (share < 0.45) {
		const roll = rand();
		if (roll < 0.12) Object.assign(z, { landUseCode: 'DGD', maxFloors: 4, maxHeightM: 16, densityPct: 40 });
		else if (roll < 0.2) Object.assign(z, { landUseCode: 'TMD', maxFloors: 5, maxHeightM: 20, densityPct: 50 });
		else Object.assign(z, { landUseCode: 'ODT', maxFloors: roll < 0.6 ? 4 : 3, maxHeightM: roll < 0.6 ? 16 : 12, densityPct: roll < 0.6 ? 60 : 50 });
	} else if (share < 0.7) {
		const roll = rand();
		if (roll < 0.1) Object.assign(z, { landUseCode: 'CQP' });
		else if (roll < 0.45) Object.assign(z, { landUseCode: 'HNK' });
		else Object.assign(z, { landUseCode: 'ODT', maxFloors: 3, maxHeightM: 12, densityPct: 40 });
	} else Object.assign(z, rand() < 0.5 ? { landUseCode: 'RPH', protectedArea: true } : { landUseCode: 'RDD', protectedArea: true });
	cell.zone = z;
});
// Two green squares inside central housing: holes in their zone, zones of their own (one protected).
const parks = [];
for (const cell of byDistance.filter((c) => !c.sliver && c.zone.landUseCode === 'ODT')) {
	if (parks.length === 2) break;
	const [x, y] = cell.mid, hw = 90 / M_LNG, hh = 70 / M_LAT;
	const hole = round([[x - hw, y - hh], [x - hw, y + hh], [x + hw, y + hh], [x + hw, y - hh], [x - hw, y - hh]]);
	if (!hole.every(([hx, hy]) => inRing(hx, hy, cell.ring))) continue;
	cell.hole = hole;
	parks.push({ ring: [...hole].reverse(), zone: parks.length ? { landUseCode: 'DKV', maxFloors: 1, densityPct: 5, onPlannedRoad: false, protectedArea: false } : { landUseCode: 'DDD', onPlannedRoad: false, protectedArea: true } });
}
let n = 0;
const zoneId = () => `z${String(++n).padStart(3, '0')}`;
const withIds = (zone, rings) => ({ id: zoneId(), planId: PLAN_ID, ...zone, wardCodes: [wardCode], geometry: { type: 'Polygon', coordinates: rings } });
for (const cell of cells) zones.push(withIds(cell.zone, cell.hole ? [cell.ring, cell.hole] : [cell.ring]));
for (const park of parks) zones.push(withIds(park.zone, [park.ring]));
const road = clipToBox(wardRing, [minX, roadY - roadHalf, maxX, roadY + roadHalf]);
zones.push(withIds({ landUseCode: 'DGT', maxFloors: 0, onPlannedRoad: true, protectedArea: false }, [road]));

// --- Parcels: lots on a 55 m lattice inside built-up zones, away from the road and the green squares ---
const zoneOf = (x, y) => zones.find((z) => inRing(x, y, z.geometry.coordinates[0]) && !z.geometry.coordinates.slice(1).some((h) => inRing(x, y, h)));
const BUILT = new Set(['ODT', 'TMD', 'DGD']);
const slots = [];
for (let y = minY; y < maxY; y += 55 / M_LAT)
	for (let x = minX; x < maxX; x += 55 / M_LNG) {
		const w = (12 + rand() * 14) / M_LNG, h = (12 + rand() * 16) / M_LAT;
		const ring = round([[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]);
		const corners = ring.slice(0, 4);
		const zone = zoneOf(x + w / 2, y + h / 2);
		if (!zone || !BUILT.has(zone.landUseCode)) continue;
		if (!corners.every(([cx, cy]) => inRing(cx, cy, wardRing) && zoneOf(cx, cy) === zone)) continue;
		slots.push({ ring, x, y, areaM2: Math.round(w * M_LNG * h * M_LAT * 10) / 10 });
	}
// Near the centre first, then a seeded shuffle keeps the choice spread over the built-up area.
slots.sort((a, b) => metres([a.x, a.y], centre) - metres([b.x, b.y], centre));
const chosen = slots.slice(0, 900).filter(() => rand() < 0.45).slice(0, 400);
// Map sheets (tờ bản đồ) are tiles of the ward: 3 bands north to south, 4 sheets west to east each.
chosen.sort((a, b) => b.y - a.y);
const parcels = [];
const bandSize = Math.ceil(chosen.length / 3);
for (let band = 0; band < 3; band++) {
	const inBand = chosen.slice(band * bandSize, (band + 1) * bandSize).sort((a, b) => a.x - b.x);
	const per = Math.ceil(inBand.length / 4);
	for (let s = 0; s < 4; s++) {
		const onSheet = inBand.slice(s * per, (s + 1) * per).sort((a, b) => b.y - a.y || a.x - b.x);
		onSheet.forEach((slot, i) =>
			parcels.push({
				wardCode,
				sheet: band * 4 + s + 1,
				number: i + 1,
				areaM2: slot.areaM2,
				...(rand() < 0.6 ? { address: `Số ${1 + Math.floor(rand() * 180)}, tổ dân phố ${1 + Math.floor(rand() * 40)}, ${wardName}` } : {}),
				geometry: { type: 'Polygon', coordinates: [slot.ring] }
			})
		);
	}
}

const plan = {
	id: PLAN_ID,
	tenantId: tenant.id,
	nameVi: `Quy hoạch minh họa (dữ liệu demo) ${wardName}`,
	nameEn: `Illustrative zoning plan (demo data), ${wardNameEn}`,
	decision: 'Quyết định số 0000/QĐ-DEMO ngày 01/01/2025 (minh họa, không phải quyết định thật)',
	approvedAt: '2025-01-01',
	periodFrom: '2025-01-01',
	periodTo: '2035-12-31',
	version: 1,
	demo: true
};
const out = join(tenantDir, 'zoning', 'demo-plan.json');
mkdirSync(join(tenantDir, 'zoning'), { recursive: true });
const text = JSON.stringify({ plan, zones, parcels });
writeFileSync(out, text + '\n');
console.log(`${out}: ${zones.length} zones, ${parcels.length} parcels on ${new Set(parcels.map((p) => p.sheet)).size} sheets, ${(text.length / 1024).toFixed(0)} KB`);
