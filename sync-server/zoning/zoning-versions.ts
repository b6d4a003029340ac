import type { BoundaryCollection } from '$lib/domain/geo';
import type { ZoningAnswer, ZoningPlan, ZoningPlanFile } from '$lib/domain/zoning';
import { createZoningService, type ZoningService } from './zoning.service';
import { isHeaderId, type PlanHeaderDoc, type ZoningPlanStore } from './zoning-store';

/** A plan version as listed: what it is and how big, without its shapes. */
export interface PlanVersion {
	plan: ZoningPlan;
	zones: number;
	parcels: number;
	/** 'tenant': the tenant folder's file (e.g. the demo); 'imported': an admin's import. */
	source: 'tenant' | 'imported';
}

/** Older versions kept indexed at once for dated look-ups (each can be tens of MB in memory). */
const OLD_KEPT = 2;

/**
 * The plan versions of a tenant: the tenant folder's file and every stored import. The newest stored
 * one is current (`service.use`), so after a restart the last import wins over the folder's demo; an
 * older one answers a look-up dated in its period. Follows the store, so an import on another
 * instance becomes current here too.
 */
export async function createZoningVersions(deps: { service: ZoningService; tenantFile: ZoningPlanFile | null; boundaries: BoundaryCollection; store: ZoningPlanStore; log?: { warn(o: unknown, m: string): void } }) {
	const { service, store } = deps;
	let headers: PlanHeaderDoc[] = [];
	let currentVersion = deps.tenantFile?.plan.version ?? 0;
	const old = new Map<number, ZoningService>();

	/** Makes the newest complete stored version current, when newer than the one served. */
	async function refresh() {
		headers = await store.headers();
		for (const h of [...headers].reverse()) {
			if (h.plan.version <= currentVersion) break;
			const file = await store.load(h);
			if (!file) {
				deps.log?.warn({ version: h.plan.version }, 'zoning version skipped: incomplete or invalid in storage');
				continue;
			}
			currentVersion = h.plan.version;
			service.use(file);
			break;
		}
	}
	await refresh();
	let pending: Promise<void> = Promise.resolve();
	const unsubscribe = store.subscribe((id) => {
		if (isHeaderId(id)) pending = pending.then(refresh).catch((e) => deps.log?.warn({ err: e }, 'zoning versions not refreshed'));
	});

	const list = (): PlanVersion[] => [
		...(deps.tenantFile ? [{ plan: deps.tenantFile.plan, zones: deps.tenantFile.zones.length, parcels: deps.tenantFile.parcels.length, source: 'tenant' as const }] : []),
		...headers.map((h) => ({ plan: h.plan, zones: h.zones, parcels: h.parcels, source: 'imported' as const }))
	];

	async function serviceOf(version: number): Promise<ZoningService | null> {
		if (version === currentVersion) return service;
		const kept = old.get(version);
		if (kept) return kept;
		const h = headers.find((x) => x.plan.version === version);
		const file = h ? await store.load(h) : deps.tenantFile?.plan.version === version ? deps.tenantFile : null;
		if (!file) return null;
		const s = createZoningService({ zoning: file, boundaries: deps.boundaries });
		if (old.size >= OLD_KEPT) old.delete(old.keys().next().value!);
		old.set(version, s);
		return s;
	}

	return {
		list,
		current: () => currentVersion,
		/** Adopts a version just stored here (the store's feed would too, a moment later). */
		adopt: async () => {
			await (pending = pending.then(refresh));
		},
		/**
		 * The answer at a point from the version whose period covers `date` (YYYY-MM-DD); when several
		 * do, the newest. Null: no version covers the date, or no zone there.
		 */
		async atDate(date: string, lat: number, lng: number): Promise<ZoningAnswer | null> {
			const covering = list()
				.filter((v) => v.plan.periodFrom <= date && (!v.plan.periodTo || date <= v.plan.periodTo) && v.plan.version <= currentVersion)
				.sort((a, b) => b.plan.version - a.plan.version);
			for (const v of covering) {
				const s = await serviceOf(v.plan.version);
				if (s) return s.at(lat, lng);
			}
			return null;
		},
		close: () => unsubscribe()
	};
}
export type ZoningVersions = Awaited<ReturnType<typeof createZoningVersions>>;
