import type { ApplicationView } from '../domain/dossier-application';

export type { ApplicationFileState, ApplicationView } from '../domain/dossier-application';

/** Files of the application that are on the server, and all it lists: "3/4 trang đã đến". */
export function filesArrived(a: Pick<ApplicationView, 'documents' | 'files'>): { ready: number; total: number } {
	const ids = a.documents.flatMap((d) => d.fileIds);
	return { ready: ids.filter((id) => a.files[id]?.status === 'ready').length, total: ids.length };
}

/** The office's last word to the resident (what is missing, why refused), if any. */
export function lastOfficeNote(a: Pick<ApplicationView, 'steps'>): string | undefined {
	for (let i = a.steps.length - 1; i >= 0; i--) {
		const s = a.steps[i];
		if (s.by !== 'resident' && s.note) return s.note;
	}
	return undefined;
}
