import { liveQuery } from 'dexie';
import type { ErrorCode } from '../domain/errors';
import type { EventType } from '../domain/event';
import { localDb } from '../sync/local-db';
import type { HandlingAction } from './handler-actions';

/**
 * What a handler's device keeps outside RxDB, in the small Dexie `settings` table: the text of a
 * step form not sent yet (so a reload or a crash loses nothing), the steps the server refused (so
 * they are shown until the handler has read why, even after a reload — the replication reports a
 * refusal once), and whose work this is (a different official logging in on the device starts clean).
 */

const DRAFT = 'handling-draft:';
const REFUSED = 'handling-refused:';
const OWNER = 'handling-owner';

export interface StepDraft {
	reportId: string;
	action: HandlingAction;
	/** The id the step will have: its photos are stored under it while the form is open. */
	eventId: string;
	note: string;
	/** The step's public text as being written (absent in drafts saved before it existed). */
	publicNote?: string;
	unitIds: string[];
	photoIds: string[];
	updatedAt: number;
}

export interface RefusedStep {
	eventId: string;
	reportId: string;
	type: EventType;
	code: ErrorCode;
	message: string;
	at: number;
	dismissed: boolean;
}

export interface DeviceOwner {
	sub: string;
	username: string;
}

const draftKey = (reportId: string, action: HandlingAction) => `${DRAFT}${reportId}:${action}`;

/** Svelte state proxies cannot go into IndexedDB. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export async function loadStepDraft(reportId: string, action: HandlingAction): Promise<StepDraft | null> {
	return ((await localDb.settings.get(draftKey(reportId, action)))?.value as StepDraft | undefined) ?? null;
}

/** The form the handler was writing last on this report, to open it again. */
export async function latestStepDraft(reportId: string): Promise<StepDraft | null> {
	const rows = await localDb.settings.where('key').startsWith(`${DRAFT}${reportId}:`).toArray();
	const drafts = rows.map((r) => r.value as StepDraft).sort((a, b) => b.updatedAt - a.updatedAt);
	return drafts[0] ?? null;
}

export async function saveStepDraft(draft: StepDraft): Promise<void> {
	await localDb.settings.put({ key: draftKey(draft.reportId, draft.action), value: plain({ ...draft, updatedAt: Date.now() }) });
}

/**
 * Drops a form's draft. Cancelled, its photos go too; sent, they stay: they now belong to the step
 * and wait for upload.
 */
export async function dropStepDraft(reportId: string, action: HandlingAction, opts: { withPhotos: boolean }): Promise<void> {
	await localDb.transaction('rw', localDb.settings, localDb.photos, async () => {
		const draft = await loadStepDraft(reportId, action);
		await localDb.settings.delete(draftKey(reportId, action));
		if (opts.withPhotos && draft) await localDb.photos.where('eventId').equals(draft.eventId).delete();
	});
}

export async function recordRefusal(step: Omit<RefusedStep, 'dismissed' | 'at'>): Promise<void> {
	await localDb.settings.put({ key: `${REFUSED}${step.eventId}`, value: { ...step, at: Date.now(), dismissed: false } });
}

async function refusedSteps(): Promise<RefusedStep[]> {
	const rows = await localDb.settings.where('key').startsWith(REFUSED).toArray();
	return rows.map((r) => r.value as RefusedStep);
}

/** Every refused step's id, read or not: they never count and are never shown as waiting. */
export async function refusedIds(): Promise<Set<string>> {
	return new Set((await refusedSteps()).map((r) => r.eventId));
}

/** Refused steps, live. */
export function watchRefusals(cb: (steps: RefusedStep[]) => void): () => void {
	const sub = liveQuery(refusedSteps).subscribe({ next: cb, error: () => cb([]) });
	return () => sub.unsubscribe();
}

/** The handler has read why: the notice goes, and so do the refused step's photos. */
export async function dismissRefusal(eventId: string): Promise<void> {
	await localDb.transaction('rw', localDb.settings, localDb.photos, async () => {
		const row = await localDb.settings.get(`${REFUSED}${eventId}`);
		if (row) await localDb.settings.put({ key: row.key, value: { ...(row.value as RefusedStep), dismissed: true } });
		await localDb.photos.where('eventId').equals(eventId).delete();
	});
}

export async function getDeviceOwner(): Promise<DeviceOwner | null> {
	return ((await localDb.settings.get(OWNER))?.value as DeviceOwner | undefined) ?? null;
}

export async function setDeviceOwner(owner: DeviceOwner): Promise<void> {
	await localDb.settings.put({ key: OWNER, value: plain(owner) });
}

/** Logout: drafts, refusals and every photo of a handling step leave the device. */
export async function forgetHandlingData(): Promise<void> {
	await localDb.transaction('rw', localDb.settings, localDb.photos, async () => {
		await localDb.settings.where('key').startsWith(DRAFT).delete();
		await localDb.settings.where('key').startsWith(REFUSED).delete();
		await localDb.settings.delete(OWNER);
		await localDb.photos.where('eventId').above('').delete();
	});
}
