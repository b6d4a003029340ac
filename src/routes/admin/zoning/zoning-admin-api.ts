import { isErrorCode } from '$lib/domain/errors';
import { ZONING_IMPORT_MAX_BYTES } from '$lib/domain/zoning-import-limit';
import { ApiFailure, apiFetch, resolveOrigin } from '$lib/sync/api';

/**
 * The admin zoning page's calls (sync-server/zoning/zoning-import.routes.ts): a plan version sent as
 * { plan, crs, zones, parcels? }, the answer with its accepted count and rejected features, and the
 * versions list. What the form can tell before sending (size, not GeoJSON) is told here, in words.
 */

export { ZONING_IMPORT_MAX_BYTES };

export interface PlanMeta {
	nameVi: string;
	nameEn: string;
	decision: string;
	approvedAt: string;
	periodFrom: string;
	periodTo: string;
}
export type Crs = 'wgs84' | 'vn2000';

export interface Rejected {
	collection: 'zones' | 'parcels';
	index: number;
	id?: string | number;
	code: string;
	/** "Vietnamese / English", as the server words it. */
	reason: string;
}
export interface ImportResult {
	stored: boolean;
	version?: number;
	accepted: { zones: number; parcels: number };
	rejected: Rejected[];
}
export interface PlanVersionView {
	id: string;
	nameVi: string;
	nameEn: string;
	decision: string;
	approvedAt: string;
	periodFrom: string;
	periodTo?: string;
	version: number;
	demo: boolean;
	current: boolean;
	zones: number;
	parcels: number;
}

/** What is wrong with a chosen file before anything is sent; null: it can be sent. */
export type FileProblem = 'too-big' | 'not-json' | 'not-geojson';

/** Reads a chosen file as a GeoJSON FeatureCollection, or says why it is not one. */
export async function readGeoJson(file: { size: number; text(): Promise<string> }): Promise<{ value: unknown } | { problem: FileProblem }> {
	if (file.size > ZONING_IMPORT_MAX_BYTES) return { problem: 'too-big' };
	let value: unknown;
	try {
		value = JSON.parse(await file.text());
	} catch {
		return { problem: 'not-json' };
	}
	const v = value as { type?: unknown; features?: unknown } | null;
	if (!v || typeof v !== 'object' || v.type !== 'FeatureCollection' || !Array.isArray(v.features)) return { problem: 'not-geojson' };
	return { value };
}

/** The request body; null when, with both files, it exceeds the server's limit. */
export function importBody(meta: PlanMeta, crs: Crs, zones: unknown, parcels?: unknown): string | null {
	const plan = {
		nameVi: meta.nameVi.trim(),
		nameEn: meta.nameEn.trim(),
		decision: meta.decision.trim(),
		approvedAt: meta.approvedAt,
		periodFrom: meta.periodFrom,
		...(meta.periodTo ? { periodTo: meta.periodTo } : {})
	};
	const body = JSON.stringify({ plan, crs, zones, ...(parcels !== undefined ? { parcels } : {}) });
	return new Blob([body]).size > ZONING_IMPORT_MAX_BYTES ? null : body;
}

/** A server reason split into its two languages ("vi / en"); one text when it is not split. */
export function reasonParts(reason: string): { vi: string; en: string } {
	const i = reason.indexOf(' / ');
	return i < 0 ? { vi: reason, en: reason } : { vi: reason.slice(0, i), en: reason.slice(i + 3) };
}

/** Every feature lies outside the province: in VN-2000 a wrong meridian, in WGS 84 likely VN-2000 numbers. */
export function allOutside(r: ImportResult): boolean {
	return r.accepted.zones === 0 && r.rejected.length > 0 && r.rejected.every((x) => x.code === 'outside-province');
}

/** Sends a plan version; a 422 with its feature report comes back as a result (nothing stored), not a failure. */
export async function importPlan(token: string, body: string, partial: boolean): Promise<ImportResult> {
	let res: Response;
	try {
		res = await fetch(`${resolveOrigin()}/api/zoning/plans${partial ? '?partial=1' : ''}`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
			body,
			signal: AbortSignal.timeout?.(180_000)
		});
	} catch (e) {
		throw new ApiFailure('network', 0, e instanceof Error ? e.message : String(e));
	}
	type Answer = Partial<ImportResult> & { error?: { code?: unknown; message?: string; details?: Partial<ImportResult> } };
	const answer = (await res.json().catch(() => undefined)) as Answer | undefined;
	if (res.ok && answer?.accepted) return { stored: true, version: answer.version, accepted: answer.accepted, rejected: answer.rejected ?? [] };
	const details = answer?.error?.details;
	if (res.status === 422 && details?.accepted) return { stored: false, accepted: details.accepted, rejected: details.rejected ?? [] };
	const code = isErrorCode(answer?.error?.code) ? answer.error.code : res.status === 413 ? 'media_too_large' : res.status === 401 ? 'unauthenticated' : 'server_error';
	throw new ApiFailure(code, res.status, answer?.error?.message ?? `HTTP ${res.status}`, details);
}

export const listPlans = () => apiFetch<{ plans: PlanVersionView[] }>(`${resolveOrigin()}/api/zoning/plans`, { timeoutMs: 20_000 });
