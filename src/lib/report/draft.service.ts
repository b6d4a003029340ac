import type { Contact } from '../domain/contact';
import type { ReportInput } from '../domain/report';
import type { PhotoEncoding } from '../domain/tenant';
import { uuidv7 } from '../domain/uuid';
import { localDb, type Draft, type PhotoRow } from '../sync/local-db';
import { canEdit, canRemove, createOutboxRow, requestWithdrawal, type OutboxRow } from '../sync/outbox';

/**
 * The report form's life on the device: a draft saved as the resident types (restored after a
 * reload or a crash), checked locally (report-build.ts, loaded on "Gửi"), then moved to the outbox
 * in one transaction. A refused report comes back into the form with everything it had.
 * No zod here: this module is on the report form's first load.
 */

export function emptyDraft(now = Date.now()): Draft {
	return { id: uuidv7(now), categoryCode: '', description: '', name: '', phone: '', photoIds: [], updatedAt: now };
}

/**
 * The draft being written (the most recent), or a fresh one. A volunteer's draft for a villager
 * (`assistedBy`) belongs to /volunteer and never opens in the resident's form: pass `assistedBy`
 * to get that volunteer's.
 */
export async function loadCurrentDraft(assistedBy?: string): Promise<Draft> {
	const latest = await localDb.drafts
		.orderBy('updatedAt')
		.filter((d) => d.assistedBy === assistedBy)
		.last();
	return latest ?? (assistedBy ? { ...emptyDraft(), assistedBy } : emptyDraft());
}

/** Something typed, picked or located: an empty form is no draft worth telling about. */
export function draftHasContent(d: Draft): boolean {
	return !!(d.categoryCode || d.description.trim() || d.photoIds.length || d.location || d.name.trim() || d.phone.trim());
}

export async function saveDraft(draft: Draft): Promise<void> {
	await localDb.drafts.put({ ...plain(draft), updatedAt: Date.now() });
}

/** Svelte state proxies cannot be stored in IndexedDB: store a plain copy. */
function plain<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

export async function photosOf(reportId: string): Promise<PhotoRow[]> {
	const rows = await localDb.photos.where('reportId').equals(reportId).toArray();
	return rows.sort((a, b) => a.createdAt - b.createdAt);
}

export async function addDraftPhoto(photo: Omit<PhotoRow, 'sent' | 'status' | 'createdAt'>): Promise<PhotoRow> {
	const row: PhotoRow = { ...photo, sent: 0, status: 'pending', createdAt: Date.now() };
	await localDb.photos.put(row);
	return row;
}

/**
 * Prepares a picked photo the way the tenant asks (its photoEncoding, else the defaults) and adds it
 * to the draft. The resize worker and EXIF reader load on the first photo only.
 */
export async function prepareDraftPhoto(file: Blob, reportId: string, encoding?: PhotoEncoding, sourceKey?: string): Promise<PhotoRow> {
	const { preparePhoto, photoOptionsFor } = await import('../sync/photo-pipeline');
	const p = await preparePhoto(file, photoOptionsFor(encoding));
	return addDraftPhoto({
		id: uuidv7(),
		reportId,
		blob: p.blob,
		mime: p.mime,
		width: p.width,
		height: p.height,
		bytes: p.blob.size,
		originalBytes: p.originalBytes,
		gps: p.gps,
		...(sourceKey ? { sourceKey } : {})
	});
}

export async function removeDraftPhoto(photoId: string): Promise<void> {
	await localDb.photos.delete(photoId);
}

/** Drops the draft and its photos ("start a new report"). */
export async function discardDraft(draftId: string): Promise<void> {
	await localDb.transaction('rw', localDb.drafts, localDb.photos, async () => {
		await localDb.drafts.delete(draftId);
		await localDb.photos.where('reportId').equals(draftId).delete();
	});
}

/** Moves a checked draft into the outbox: the draft goes, the row comes, in one transaction. */
export async function submitDraft(draftId: string, report: ReportInput, contact: Contact | undefined): Promise<void> {
	await localDb.transaction('rw', localDb.drafts, localDb.outbox, localDb.photos, async () => {
		await localDb.outbox.add(createOutboxRow(report, contact));
		await localDb.drafts.delete(draftId);
		// Photos the resident removed from the form but that were still stored: not part of the report.
		await localDb.photos
			.where('reportId')
			.equals(report.id)
			.filter((p) => !report.photoIds.includes(p.id))
			.delete();
	});
}

/** "Sửa": puts a refused report back into the form, with its photos, category, location and contact. */
export async function editFromOutbox(reportId: string): Promise<Draft | null> {
	return localDb.transaction('rw', localDb.drafts, localDb.outbox, localDb.photos, async () => {
		const row = await localDb.outbox.get(reportId);
		if (!row || !canEdit(row)) return null;
		const r = row.report;
		const draft: Draft = {
			id: r.id,
			categoryCode: r.categoryCode,
			description: r.description,
			location: r.location,
			wardCode: r.wardCode,
			name: row.contact?.name ?? '',
			phone: row.contact?.phone ?? '',
			photoIds: [...r.photoIds],
			...(r.assistedBy ? { assistedBy: r.assistedBy } : {}),
			// Newest, so the form opens it rather than another draft.
			updatedAt: Date.now()
		};
		await localDb.drafts.put(draft);
		await localDb.outbox.delete(reportId);
		await localDb.photos.where('reportId').equals(reportId).modify({ status: 'pending', sent: 0, uploadUrl: null });
		return draft;
	});
}

/**
 * "Xóa": removes the row and its photos from the device, when `canRemove` allows it (nothing of it
 * is still to be sent). A report the server has while its photos are on their way is kept whole:
 * dropping them would leave the units a report with broken images; the resident withdraws it
 * instead (`withdrawFromOutbox`). Returns whether the row was removed.
 */
export async function removeFromOutbox(reportId: string): Promise<boolean> {
	return localDb.transaction('rw', localDb.outbox, localDb.photos, async () => {
		const row = await localDb.outbox.get(reportId);
		if (!row) return false;
		if (!canRemove(row)) return false;
		await localDb.outbox.delete(reportId);
		await localDb.photos.where('reportId').equals(reportId).delete();
		return true;
	});
}

/**
 * "Rút phản ánh": records the withdrawal of a report the server has, for the sender to deliver
 * (online now, or when the network returns). Its photos keep uploading. Returns the row as saved,
 * or null when there is nothing to withdraw (the report never left the phone: remove it).
 */
export async function withdrawFromOutbox(reportId: string, reason?: string): Promise<OutboxRow | null> {
	return localDb.transaction('rw', localDb.outbox, async () => {
		const row = await localDb.outbox.get(reportId);
		if (!row) return null;
		const next = requestWithdrawal(row, { eventId: uuidv7(), reason });
		if (next === row) return row.withdrawal ? row : null;
		await localDb.outbox.put(next);
		return next;
	});
}
