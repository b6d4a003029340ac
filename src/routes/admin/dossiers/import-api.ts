import { ApiFailure, apiFetch, resolveOrigin } from '$lib/sync/api';
import { isErrorCode } from '$lib/domain/errors';

/**
 * The admin page's calls: a dossier file sent as it is (sync-server/dossiers/dossiers.routes.ts),
 * the API keys (sync-server/api-keys/api-keys.routes.ts), and the CSV template.
 */

export interface ImportReport {
	imported: number;
	unchanged: number;
	rejected: { row: number; code?: string; reason: string }[];
}

/** What a key may do (sync-server/api-keys API_KEY_SCOPES): the one-stop system's dossier feed, or Open311 GeoReport v2. */
export const KEY_SCOPES = ['dossiers:import', 'open311:requests'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export interface ApiKeyView {
	id: string;
	name: string;
	scopes: string[];
	createdAt: string;
	createdBy: string;
	lastUsedAt: string | null;
	uses: number;
	revokedAt: string | null;
}

/** The server's import limit (IMPORT_BODY_LIMIT): a larger file is told before it is sent. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** The CSV's columns, as the server reads them (dossier-import.ts CSV_COLUMNS and the optional ones). */
export const TEMPLATE_REQUIRED = ['code', 'procedureCode', 'applicantName', 'receivedAt', 'status', 'at'] as const;
export const TEMPLATE_OPTIONAL = ['applicantPhone', 'dueAt', 'noteVi', 'noteEn'] as const;
const TEMPLATE_HEADER = ['code', 'procedureCode', 'applicantName', 'applicantPhone', 'receivedAt', 'dueAt', 'status', 'at', 'noteVi', 'noteEn'];
/** One dossier of two steps: received, then in processing (procedure 1.001193: birth registration, a national code). */
const TEMPLATE_ROWS = [
	['HS-261207-0001', '1.001193', 'Nguyễn Văn An', '0912345678', '07/12/2026 08:30', '', 'submitted', '07/12/2026 08:30', 'Đã tiếp nhận', 'Received'],
	['HS-261207-0001', '1.001193', 'Nguyễn Văn An', '0912345678', '07/12/2026 08:30', '', 'processing', '07/12/2026 14:00', 'Đang xử lý, chờ ký', 'In processing, awaiting signature']
];

const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
export function templateCsv(): string {
	return [TEMPLATE_HEADER, ...TEMPLATE_ROWS].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
/** A link the browser downloads; the BOM lets spreadsheet programs read the Vietnamese letters as UTF-8. */
export const templateHref = () => `data:text/csv;charset=utf-8,${encodeURIComponent('\uFEFF' + templateCsv())}`;

/** Whether a chosen file is sent as CSV or JSON (by its name, then its type); null: neither. */
export function fileKind(file: { name: string; type: string }): 'csv' | 'json' | null {
	const name = file.name.toLowerCase();
	if (name.endsWith('.csv') || file.type === 'text/csv') return 'csv';
	if (name.endsWith('.json') || file.type === 'application/json') return 'json';
	return null;
}

/** Sends the file's bytes unchanged: the server reads and checks them (a JSON file is not parsed here). */
export async function importFile(token: string, file: File): Promise<ImportReport> {
	const kind = fileKind(file);
	let res: Response;
	try {
		res = await fetch(`${resolveOrigin()}/api/dossiers/import`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': kind === 'json' ? 'application/json' : 'text/csv', accept: 'application/json' },
			body: await file.text(),
			signal: AbortSignal.timeout?.(120_000)
		});
	} catch (e) {
		throw new ApiFailure('network', 0, e instanceof Error ? e.message : String(e));
	}
	const body = (await res.json().catch(() => undefined)) as (ImportReport & { error?: { code?: unknown; message?: string } }) | undefined;
	if (!res.ok || !body) {
		const code = isErrorCode(body?.error?.code) ? body.error.code : res.status === 413 ? 'media_too_large' : res.status === 401 ? 'unauthenticated' : 'server_error';
		throw new ApiFailure(code, res.status, body?.error?.message ?? `HTTP ${res.status}`);
	}
	return body;
}

const keysUrl = () => `${resolveOrigin()}/api/admin/api-keys`;
export const keysApi = {
	list: (token: string) => apiFetch<{ keys: ApiKeyView[] }>(keysUrl(), { token, timeoutMs: 20_000 }),
	create: (token: string, name: string, scopes: KeyScope[]) => apiFetch<ApiKeyView & { key: string }>(keysUrl(), { token, body: { name, scopes } }),
	revoke: (token: string, id: string) => apiFetch<ApiKeyView>(`${keysUrl()}/${encodeURIComponent(id)}`, { method: 'DELETE', token })
};
