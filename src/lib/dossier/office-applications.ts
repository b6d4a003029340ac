import type { ApplicationAction, ApplicationStatus } from '../domain/dossier-application';
import type { PublicDossier } from '../domain/dossier';
import { ApiFailure, apiFetch, resolveOrigin } from '../sync/api';
import type { ApplicationView } from './application-view';

/**
 * The one-stop office's side of online applications (/office-dossiers): its queue, one application,
 * what staff do with it, the later steps of an accepted dossier, and the pages' pictures — which
 * need the staff token, so they are fetched as blobs, never put in an <img src> that would go without it.
 */

/** The queue's tabs: what to check, waiting for the resident, accepted, refused. */
export const QUEUE_TABS = ['submitted', 'needs_documents', 'accepted', 'refused'] as const satisfies readonly ApplicationStatus[];
export type QueueTab = (typeof QUEUE_TABS)[number];

/** Steps staff add to an accepted dossier, in their order. */
export const LATER_STEPS = ['processing', 'result_ready', 'returned'] as const;
export type LaterStep = (typeof LATER_STEPS)[number];

const api = (path: string) => `${resolveOrigin()}/api${path}`;
const enc = encodeURIComponent;

export const officeApplications = {
	queue(token: string, officeId: string, status: QueueTab): Promise<{ applications: ApplicationView[] }> {
		return apiFetch(api(`/offices/${enc(officeId)}/dossier-applications?status=${status}`), { token });
	},
	get(token: string, id: string): Promise<ApplicationView> {
		return apiFetch(api(`/dossier-applications/${enc(id)}`), { token });
	},
	act(token: string, id: string, action: ApplicationAction): Promise<ApplicationView> {
		return apiFetch(api(`/dossier-applications/${enc(id)}/actions`), { token, body: action });
	},
	/** Where the accepted dossier is now (its public view): which later step comes next. */
	dossier(code: string): Promise<PublicDossier> {
		return apiFetch(api(`/public/dossiers/${enc(code)}`));
	},
	step(token: string, code: string, status: LaterStep, note?: string): Promise<PublicDossier> {
		return apiFetch(api(`/dossiers/${enc(code)}/steps`), { token, body: note ? { status, note } : { status } });
	}
};

/** A dossier file's address (the PDF opens from it; an image's thumbnail is `/thumb`). */
export const dossierFileUrl = (fileId: string, thumb = false) => api(`/dossier-files/${enc(fileId)}${thumb ? '/thumb' : ''}`);

/** A page's picture (or a PDF) as a blob URL the page can show; the caller revokes it. */
export async function fetchDossierFile(token: string, fileId: string, thumb: boolean, signal?: AbortSignal): Promise<string> {
	let res: Response;
	try {
		res = await fetch(dossierFileUrl(fileId, thumb), { headers: { authorization: `Bearer ${token}` }, signal });
	} catch (e) {
		if (signal?.aborted) throw e;
		throw new ApiFailure('network', 0, e instanceof Error ? e.message : String(e));
	}
	if (!res.ok) throw new ApiFailure(res.status === 404 ? 'not_found' : res.status === 401 ? 'unauthenticated' : 'server_error', res.status);
	return URL.createObjectURL(await res.blob());
}
