import type { PublicDossier } from '$lib/domain/dossier';
import type { ErrorCode } from '$lib/domain/errors';
import { storageName } from '$lib/pwa/namespace';
import { ApiFailure, apiFetch, errorCodeOf, resolveOrigin } from '$lib/sync/api';

/**
 * A dossier looked up by its code, and the device's copy of the last one found: shown offline or
 * when the network fails. Only the public view is kept (already masked by the server, field by
 * field below): a shared phone keeps nothing the look-up page did not show.
 */

const LAST_KEY = storageName('cau-noi.dossier.last');

export interface SavedDossier {
	dossier: PublicDossier;
	/** ms since epoch: when the server answered. */
	fetchedAt: number;
}

/** Why the device's copy is shown rather than the server's answer. */
export type Stale = 'offline' | 'failed' | 'checking';

export type LookupResult = { ok: true; saved: SavedDossier } | { ok: false; code: ErrorCode };

/** Exactly the PublicDossier's fields: whatever else a server might add is not kept. */
function publicOnly(d: PublicDossier): PublicDossier {
	return {
		code: d.code,
		procedureCode: d.procedureCode,
		applicant: d.applicant,
		receivedAt: d.receivedAt,
		dueAt: d.dueAt,
		status: d.status,
		timeliness: d.timeliness,
		steps: d.steps.map((s) => ({
			at: s.at,
			status: s.status,
			...(s.noteVi ? { noteVi: s.noteVi } : {}),
			...(s.noteEn ? { noteEn: s.noteEn } : {})
		}))
	};
}

export function lastDossier(): SavedDossier | null {
	try {
		const saved = JSON.parse(localStorage.getItem(LAST_KEY) ?? 'null') as SavedDossier | null;
		return saved && typeof saved.fetchedAt === 'number' && typeof saved.dossier?.code === 'string' && Array.isArray(saved.dossier.steps)
			? saved
			: null;
	} catch {
		// A damaged or blocked storage: as if nothing was kept.
		return null;
	}
}

function keep(saved: SavedDossier): void {
	try {
		localStorage.setItem(LAST_KEY, JSON.stringify(saved));
	} catch {
		// Full or blocked storage: the result still shows, only offline loses it.
	}
}

function forget(code: string): void {
	try {
		if (lastDossier()?.dossier.code === code) localStorage.removeItem(LAST_KEY);
	} catch {
		// Nothing to do.
	}
}

/**
 * Asks the server for a dossier by its code (normalised form). A found one becomes the device's
 * last result; a code no dossier holds (404) drops a copy kept of it. The failure comes back as its code.
 */
export async function fetchDossier(code: string, opts: { origin?: string; signal?: AbortSignal } = {}): Promise<LookupResult> {
	try {
		const answer = await apiFetch<PublicDossier>(`${resolveOrigin(opts.origin)}/api/public/dossiers/${encodeURIComponent(code)}`, {
			timeoutMs: 30_000,
			signal: opts.signal
		});
		const saved: SavedDossier = { dossier: publicOnly(answer), fetchedAt: Date.now() };
		keep(saved);
		return { ok: true, saved };
	} catch (e) {
		if (e instanceof ApiFailure && e.status === 404) forget(code);
		return { ok: false, code: errorCodeOf(e) };
	}
}
