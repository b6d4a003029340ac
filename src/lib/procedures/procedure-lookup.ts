import type { OnlineLevel, Procedure, ProcedureCatalogue, ProcedureLevel } from '../domain/procedure';
import { localDb } from '../sync/local-db';
import { createProcedureSearch, type ProcedureSearch } from './procedure-search';

/**
 * The procedure catalogue as the procedure worker (procedure.worker.ts) holds it: fetched once,
 * stored on the device (the `tenant` table), searched there — so a page's main thread never parses
 * the catalogue nor builds its index, and the search works offline after one visit. Each load
 * answers from the stored copy when there is one and asks the server behind it (ETag: a 304 costs
 * a few bytes); a newer catalogue replaces the index for the next question.
 */

export const PROCEDURES_KEY = 'procedures';

/** What a list shows of a procedure. */
export interface ProcedureSummary {
	code: string;
	nameVi: string;
	nameEn: string;
	fieldVi: string;
	fieldEn: string;
	level: ProcedureLevel;
	online: OnlineLevel;
	processingDays: number;
	feeVnd: number;
}

export type ProcedureRequest =
	| { op: 'all' }
	| { op: 'search'; query: string; limit?: number }
	| { op: 'get'; code: string };

/** Where the answer's catalogue came from: the device's copy, or the server just now; none: never fetched. */
export type CatalogueState = { source: 'device' | 'network'; fetchedAt: number; count: number } | { source: 'none' };

interface Stored {
	catalogue: ProcedureCatalogue;
	etag: string | null;
}

const summary = (p: Procedure): ProcedureSummary => ({
	code: p.code,
	nameVi: p.nameVi,
	nameEn: p.nameEn,
	fieldVi: p.fieldVi,
	fieldEn: p.fieldEn,
	level: p.level,
	online: p.online,
	processingDays: p.processingDays,
	feeVnd: p.feeVnd
});

async function fetchCatalogue(origin: string, etag: string | null): Promise<Stored | 'same' | null> {
	try {
		const res = await fetch(`${origin}/api/tenant/procedures`, { headers: etag ? { 'if-none-match': etag } : {}, signal: AbortSignal.timeout(60_000) });
		if (res.status === 304) return 'same';
		if (!res.ok) return null;
		const catalogue = (await res.json()) as ProcedureCatalogue;
		if (!catalogue || !Array.isArray(catalogue.procedures)) return null;
		return { catalogue, etag: res.headers.get('etag') };
	} catch {
		return null;
	}
}

export function createProcedureLookup() {
	let loaded: Promise<{ byCode: Map<string, Procedure>; search: ProcedureSearch; state: CatalogueState } | null> | null = null;

	function use(stored: Stored, state: CatalogueState) {
		const procedures = stored.catalogue.procedures;
		return { byCode: new Map(procedures.map((p) => [p.code, p])), search: createProcedureSearch(procedures), state };
	}

	async function load(origin: string) {
		const row = await localDb.tenant.get(PROCEDURES_KEY).catch(() => undefined);
		const kept = (row?.value as Stored | undefined) ?? null;
		const refresh = fetchCatalogue(origin, kept?.etag ?? null).then(async (fresh) => {
			if (!fresh || fresh === 'same') return fresh;
			await localDb.tenant.put({ key: PROCEDURES_KEY, value: fresh, fetchedAt: Date.now() }).catch(() => undefined);
			return fresh;
		});
		if (kept && row) {
			// The device's copy now; a newer one from the server replaces it for the next question.
			void refresh.then((fresh) => {
				if (fresh && fresh !== 'same') loaded = Promise.resolve(use(fresh, { source: 'network', fetchedAt: Date.now(), count: fresh.catalogue.procedures.length }));
			});
			return use(kept, { source: 'device', fetchedAt: row.fetchedAt, count: kept.catalogue.procedures.length });
		}
		const fresh = await refresh;
		if (!fresh || fresh === 'same') {
			loaded = null; // asked again next time (the link may be back)
			return null;
		}
		return use(fresh, { source: 'network', fetchedAt: Date.now(), count: fresh.catalogue.procedures.length });
	}

	return {
		async handle(origin: string, req: ProcedureRequest): Promise<unknown> {
			const data = await (loaded ??= load(origin));
			if (!data) return req.op === 'all' ? { state: { source: 'none' }, procedures: [] } : null;
			if (req.op === 'all') return { state: data.state, procedures: [...data.byCode.values()].map(summary) };
			if (req.op === 'get') return data.byCode.get(req.code) ?? null;
			return data.search.search(req.query, req.limit).flatMap((code) => {
				const p = data.byCode.get(code);
				return p ? [summary(p)] : [];
			});
		}
	};
}
