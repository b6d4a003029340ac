import { wardMatcher, type BoundaryCollection } from '$lib/domain/geo';
import { ZoningPlanFile } from '$lib/domain/zoning';
import { centroidOf } from '$lib/domain/zoning-geo';
import { landUseCodes } from './land-use-codes';

/** How far a parcel's centre may lie outside its ward's boundary (simplified boundaries, lots on the ward line). */
const PARCEL_WARD_TOLERANCE_M = 50;

/**
 * A tenant's zoning plan file as the tenant loader checks it: its schema, then what the schema cannot
 * say — the plan is this tenant's, every land-use code is a national one, ids and parcel names are
 * unique, and every parcel lies in the ward it names. Problems as `path: reason`, like the loader's.
 */
export function checkZoningFile(raw: unknown, ctx: { tenantId: string; wards: Set<string>; boundaries: BoundaryCollection | null }): { file: ZoningPlanFile | null; problems: string[] } {
	const parsed = ZoningPlanFile.safeParse(raw);
	if (!parsed.success) return { file: null, problems: parsed.error.issues.slice(0, 50).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`) };
	const { plan, zones, parcels } = parsed.data;
	const problems: string[] = [];
	if (plan.tenantId !== ctx.tenantId) problems.push(`plan.tenantId: "${plan.tenantId}" is not this tenant ("${ctx.tenantId}")`);
	if (plan.periodTo && plan.periodTo < plan.periodFrom) problems.push(`plan.periodTo: before periodFrom`);
	const codes = landUseCodes();
	const ids = new Set<string>();
	zones.forEach((z, i) => {
		if (ids.has(z.id)) problems.push(`zones.${i}.id: duplicate "${z.id}"`);
		ids.add(z.id);
		if (z.planId !== plan.id) problems.push(`zones.${i}.planId: "${z.planId}" is not the plan's id "${plan.id}"`);
		if (!codes.has(z.landUseCode)) problems.push(`zones.${i}.landUseCode: unknown land-use code "${z.landUseCode}" (data/land-use-codes.csv)`);
		z.wardCodes?.forEach((w, j) => {
			if (!ctx.wards.has(w)) problems.push(`zones.${i}.wardCodes.${j}: unknown admin unit "${w}"`);
		});
	});
	const matches = ctx.boundaries ? wardMatcher(ctx.boundaries) : null;
	const names = new Set<string>();
	parcels.forEach((p, i) => {
		const name = `${p.wardCode}/${p.sheet}/${p.number}`;
		if (names.has(name)) problems.push(`parcels.${i}: duplicate sheet ${p.sheet} number ${p.number} in ward ${p.wardCode}`);
		names.add(name);
		if (!ctx.wards.has(p.wardCode)) problems.push(`parcels.${i}.wardCode: unknown admin unit "${p.wardCode}"`);
		else if (matches) {
			const [lng, lat] = centroidOf(p.geometry);
			if (matches(p.wardCode, lat, lng, PARCEL_WARD_TOLERANCE_M) === false) problems.push(`parcels.${i}.geometry: not in ward ${p.wardCode}`);
		}
	});
	return { file: problems.length ? null : parsed.data, problems };
}
