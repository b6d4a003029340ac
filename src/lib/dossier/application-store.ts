import type { DossierApplication } from '../domain/dossier-application';
import { uuidv7 } from '../domain/uuid';
import { localDb, type ApplicationFileRow, type ApplicationRow } from '../sync/local-db';
import { awaitsSenderState } from '../sync/outbox-trigger';

/**
 * An online application's life on the device: a draft saved as the resident types (one per
 * procedure, restored after a reload or a restart), its pages kept as blobs, then queued for the
 * sender (application-sender.ts) in one transaction. Dexie only: no zod, no DOM.
 */

/** Svelte state proxies cannot be stored in IndexedDB: store a plain copy. */
function plain<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

/** The name and phone the resident last typed in a report: they need not type them twice. */
async function lastContact(): Promise<{ name: string; phone: string }> {
	const app = await localDb.applications.orderBy('updatedAt').filter((a) => !!a.applicantName).last();
	if (app) return { name: app.applicantName, phone: app.applicantPhone };
	const draft = await localDb.drafts.orderBy('updatedAt').filter((d) => !d.assistedBy && !!(d.name || d.phone)).last();
	return { name: draft?.name ?? '', phone: draft?.phone ?? '' };
}

export async function newApplication(procedureCode: string, officeId: string): Promise<ApplicationRow> {
	const now = Date.now();
	const { name, phone } = await lastContact();
	return {
		id: uuidv7(now),
		procedureCode,
		officeId,
		applicantName: name,
		applicantPhone: phone,
		form: {},
		note: '',
		state: { kind: 'draft' },
		attempts: 0,
		createdAt: now,
		updatedAt: now
	};
}

/**
 * The application this page shows: the one named, else the procedure's latest that is not yet
 * delivered (a draft, or one still on its way), else a fresh draft (not stored until typed in).
 */
export async function openApplication(procedureCode: string, officeId: string, id?: string | null): Promise<ApplicationRow> {
	if (id) {
		const named = await localDb.applications.get(id);
		if (named) return named;
	}
	const rows = await localDb.applications.where('procedureCode').equals(procedureCode).toArray();
	const open = rows.filter((r) => r.state.kind !== 'delivered').sort((a, b) => b.updatedAt - a.updatedAt)[0];
	return open ?? newApplication(procedureCode, officeId);
}

/** What the resident types; the rest of the row (state, progress) is the sender's. */
const EDITABLE = ['officeId', 'applicantName', 'applicantPhone', 'form', 'note'] as const;

/** Saves what the resident typed; a row on its way (queued, sending, delivered) is not changed any more. */
export async function saveDraft(row: ApplicationRow): Promise<void> {
	const copy = plain(row);
	await localDb.transaction('rw', localDb.applications, async () => {
		const stored = await localDb.applications.get(row.id);
		if (stored && stored.state.kind !== 'draft' && stored.state.kind !== 'needs_attention') return;
		const typed = Object.fromEntries(EDITABLE.map((k) => [k, copy[k]]));
		await localDb.applications.put({ ...(stored ?? { ...copy, state: { kind: 'draft' } }), ...typed, updatedAt: Date.now() });
	});
}

/** The pages of an application, by document and order. */
export async function filesOf(applicationId: string): Promise<ApplicationFileRow[]> {
	const rows = await localDb.applicationFiles.where('applicationId').equals(applicationId).toArray();
	return rows.sort((a, b) => a.docIndex - b.docIndex || a.order - b.order);
}

/** A photo page's size in pixels, kept beside the row's own fields (not indexed: no schema change). */
export type PageSize = { width?: number; height?: number };

/** Adds a prepared page at the end of its document (the draft row is saved with it, so it survives a reload). */
export async function addPage(row: ApplicationRow, page: Pick<ApplicationFileRow, 'docIndex' | 'blob' | 'mime' | 'bytes' | 'name'> & PageSize): Promise<ApplicationFileRow> {
	return localDb.transaction('rw', localDb.applications, localDb.applicationFiles, async () => {
		const pages = (await filesOf(row.id)).filter((f) => f.docIndex === page.docIndex);
		const file: ApplicationFileRow = {
			id: uuidv7(),
			applicationId: row.id,
			...page,
			order: pages.length ? Math.max(...pages.map((p) => p.order)) + 1 : 0,
			sent: 0,
			status: 'pending'
		};
		await localDb.applicationFiles.put(file);
		await saveDraft(row);
		return file;
	});
}

export async function removePage(fileId: string): Promise<void> {
	await localDb.applicationFiles.delete(fileId);
}

/** Moves a page one place up (-1) or down (+1) within its document. */
export async function movePage(fileId: string, by: -1 | 1): Promise<void> {
	await localDb.transaction('rw', localDb.applicationFiles, async () => {
		const file = await localDb.applicationFiles.get(fileId);
		if (!file) return;
		const pages = (await filesOf(file.applicationId)).filter((f) => f.docIndex === file.docIndex);
		const at = pages.findIndex((p) => p.id === fileId);
		const other = pages[at + by];
		if (!other) return;
		await localDb.applicationFiles.update(file.id, { order: other.order });
		await localDb.applicationFiles.update(other.id, { order: file.order });
	});
}

/**
 * A turned or cropped page in place of the old one, under the same id (the application lists it).
 * Only while nothing of it has gone: once an upload started, the server holds the old bytes. False
 * when it was not replaced.
 */
export async function replacePageBlob(fileId: string, blob: Blob, size?: PageSize): Promise<boolean> {
	return localDb.transaction('rw', localDb.applicationFiles, async () => {
		const file = await localDb.applicationFiles.get(fileId);
		if (!file?.blob || file.status !== 'pending' || file.sent > 0 || file.uploadUrl) return false;
		await localDb.applicationFiles.update(fileId, { blob, bytes: blob.size, mime: blob.type || 'image/jpeg', ...(size ?? {}) });
		return true;
	});
}

/** What the server receives: the form without empty values, each document's pages in order. */
export function toApplication(row: ApplicationRow, files: ApplicationFileRow[]): DossierApplication {
	const documents = new Map<number, string[]>();
	for (const f of [...files].sort((a, b) => a.docIndex - b.docIndex || a.order - b.order)) {
		documents.set(f.docIndex, [...(documents.get(f.docIndex) ?? []), f.id]);
	}
	const form = Object.fromEntries(Object.entries(row.form).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
	// Made canonical by the page before it queues (no zod here: the service worker sends it too).
	const phone = row.applicantPhone.trim();
	return {
		id: row.id,
		procedureCode: row.procedureCode,
		officeId: row.officeId,
		applicantName: row.applicantName.trim(),
		...(phone ? { applicantPhone: phone } : {}),
		form,
		documents: [...documents].map(([index, fileIds]) => ({ index, fileIds })),
		...(row.note.trim() ? { note: row.note.trim() } : {}),
		createdAt: new Date(row.createdAt).toISOString()
	};
}

/** Hands the draft (saved just before) to the sender: from now on only the sender changes it. */
export async function queueApplication(id: string): Promise<void> {
	await localDb.applications.update(id, { state: { kind: 'waiting' }, attempts: 0, error: undefined, nextAttemptAt: undefined, updatedAt: Date.now() });
}

/** A refused application back into the form, to correct and send again. */
export async function reopenApplication(id: string): Promise<void> {
	await localDb.applications.update(id, { state: { kind: 'draft' }, updatedAt: Date.now() });
}

/** Rows the sender may still move (queued, not delivered, not waiting on the resident): one rule, in sync/outbox-trigger.ts. */
export const awaitsApplicationSender: (row: ApplicationRow) => boolean = awaitsSenderState;

export function countUnsentApplications(): Promise<number> {
	return localDb.applications.filter(awaitsApplicationSender).count();
}
