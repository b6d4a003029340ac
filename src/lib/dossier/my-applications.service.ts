import type { DossierStatus } from '../domain/dossier';
import { uuidv7 } from '../domain/uuid';
import { storageName } from '../pwa/namespace';
import { ApiFailure, apiFetch, errorCodeOf, resolveOrigin } from '../sync/api';
import { localDb, type MyApplicationRow } from '../sync/local-db';
import { getDeviceToken, withDeviceToken } from '../sync/session';
import type { ApplicationView } from './application-view';
import type { PreparedPage } from './application-files';
import { dossierNews } from './my-list';

/**
 * The resident's online applications in /my: read from the server with the device token, kept in
 * Dexie so /my shows them offline, with what the resident has seen of them. Answering a request for
 * documents keeps the pages in Dexie until each is on the server: the answer is posted first (the
 * server then expects the new file ids), then the pages go one by one; a cut resumes on the next try.
 */

/** A row as kept: with the accepted dossier's status the resident last saw (a later one is news). */
export type MyRow = MyApplicationRow & { seenDossier?: DossierStatus };

/** News for the resident: the office did something they have not looked at yet, on the application or its dossier. */
export function isUnseen(row: Pick<MyRow, 'view' | 'seenUpdatedAt' | 'seenDossier'>): boolean {
	const last = row.view.steps.at(-1);
	return (!!last && last.by !== 'resident' && row.seenUpdatedAt !== row.view.updatedAt) || dossierNews(row.view.dossier, row.seenDossier);
}

/** Newest first, as the server lists them. */
export async function listMyApplications(): Promise<MyRow[]> {
	return (await localDb.myApplications.orderBy('updatedAt').reverse().toArray()) as MyRow[];
}

/**
 * Reads the resident's applications again and keeps them. Asks nothing of a device that never
 * registered (it has filed nothing). An application the server no longer lists is forgotten, unless
 * pages of an answer are still to go.
 */
export async function refreshMyApplications(opts: { origin?: string } = {}): Promise<boolean> {
	if (!(await localDb.identity.get('device'))) return false;
	const origin = resolveOrigin(opts.origin);
	const { applications } = await withDeviceToken(origin, (token) =>
		apiFetch<{ applications: ApplicationView[] }>(`${origin}/api/dossier-applications/mine`, { token })
	);
	await storeViews(applications, true);
	return true;
}

async function storeViews(views: ApplicationView[], whole: boolean): Promise<void> {
	const now = Date.now();
	await localDb.transaction('rw', localDb.myApplications, async () => {
		const kept = new Map((await localDb.myApplications.toArray()).map((r) => [r.id, r]));
		await localDb.myApplications.bulkPut(
			views.map((view) => {
				const old = kept.get(view.id);
				return { ...old, id: view.id, updatedAt: view.updatedAt, view, fetchedAt: now };
			})
		);
		if (!whole) return;
		const listed = new Set(views.map((v) => v.id));
		const gone = [...kept.values()].filter((r) => !listed.has(r.id) && !r.pendingAnswer).map((r) => r.id);
		if (gone.length) await localDb.myApplications.bulkDelete(gone);
	});
}

export async function markApplicationSeen(id: string): Promise<void> {
	await localDb.transaction('rw', localDb.myApplications, async () => {
		const row = (await localDb.myApplications.get(id)) as MyRow | undefined;
		if (!row || !isUnseen(row)) return;
		const seen: MyRow = { ...row, seenUpdatedAt: row.view.updatedAt, seenDossier: row.view.dossier?.status ?? row.seenDossier };
		await localDb.myApplications.put(seen);
	});
}
