import type { Procedure } from '../domain/procedure';
import { workerBackend, type Ask } from '../pwa/worker-client';
import { resolveOrigin } from '../sync/api';
import type { CatalogueState, ProcedureRequest, ProcedureSummary } from './procedure-lookup';

/**
 * The procedure catalogue for pages: every question goes to the procedure worker
 * (procedure.worker.ts), which holds the catalogue and its index off the main thread.
 */

async function onMainThread(): Promise<Ask<ProcedureRequest>> {
	const { createProcedureLookup } = await import('./procedure-lookup');
	const lookup = createProcedureLookup();
	return (origin, req) => lookup.handle(origin, req);
}

const catalogue = workerBackend<ProcedureRequest>(
	() => new Worker(new URL('./procedure.worker.ts', import.meta.url), { type: 'module', name: 'procedures' }),
	onMainThread
);

const ask = (req: ProcedureRequest, origin?: string) => catalogue.ask(resolveOrigin(origin), req);

/** Every procedure (for browsing by field), and where the catalogue came from. */
export async function allProcedures(opts: { origin?: string } = {}): Promise<{ state: CatalogueState; procedures: ProcedureSummary[] }> {
	return (await ask({ op: 'all' }, opts.origin)) as { state: CatalogueState; procedures: ProcedureSummary[] };
}

/** The best matches for what the resident typed, best first. */
export async function searchProcedures(query: string, opts: { origin?: string; limit?: number } = {}): Promise<ProcedureSummary[]> {
	return ((await ask({ op: 'search', query, limit: opts.limit }, opts.origin)) as ProcedureSummary[] | null) ?? [];
}

/** One procedure in full, or null (unknown code, or no catalogue on the device and no network). */
export async function procedureByCode(code: string, opts: { origin?: string } = {}): Promise<Procedure | null> {
	return ((await ask({ op: 'get', code }, opts.origin)) as Procedure | null) ?? null;
}

/** Forget the worker and its catalogue (tests). */
export function resetProcedures(): void {
	catalogue.reset();
}
