import type { Contact } from '../domain/contact';
import { DB_NAME } from '../sync/db-names';
import { draftHasContent } from '../report/draft.service';
import { localDb, type Draft, type StaffSession } from '../sync/local-db';
import { isPending, type OutboxRow } from '../sync/outbox';
import { staffLogin } from '../sync/session';

/**
 * Assisted filing on the device: a community digital-tech volunteer (Tổ công nghệ số cộng đồng)
 * signs in, files reports for villagers — each with the villager's name, phone and consent — and the
 * outbox sends them with the volunteer's token (OutboxRow.sender = 'staff'). Signing out leaves
 * nothing of the villagers on the device (wipeAssistedData). Dexie only: no RxDB, no DOM.
 */

/** Who is signed in, as the volunteer page sees it. */
export type VolunteerState =
	| { kind: 'signed_out' }
	| { kind: 'signed_in'; session: StaffSession }
	/** A volunteer whose token ran out: their rows wait for them to sign in again. */
	| { kind: 'expired'; session: StaffSession }
	/** A handler, leader or admin holds the device's one staff session (signed in at /handler). */
	| { kind: 'other_staff'; session: StaffSession };

const EXPIRY_MARGIN_MS = 60_000;

export async function volunteerState(now = Date.now()): Promise<VolunteerState> {
	const row = await localDb.identity.get('staff');
	if (row?.key !== 'staff') return { kind: 'signed_out' };
	if (row.user.role !== 'volunteer') return { kind: 'other_staff', session: row };
	// The same margin as session.isFresh: the outbox will not send with a token about to expire.
	return row.expiresAt - EXPIRY_MARGIN_MS > now ? { kind: 'signed_in', session: row } : { kind: 'expired', session: row };
}

/** Signs a volunteer in; any other account is refused (forbidden_scope) and nothing is stored. */
export function volunteerLogin(username: string, password: string, origin?: string): Promise<StaffSession> {
	return staffLogin(username, password, origin, { roles: ['volunteer'] });
}

/** A row filed for a villager (sent as the volunteer). */
export function isAssistedRow(row: OutboxRow): boolean {
	return row.sender === 'staff' || !!row.report.assistedBy;
}

// Shared with the report form: a draft worth keeping is one worth telling about.
export { draftHasContent };

/**
 * What signing out would lose: filings not yet delivered (waiting, refused, waiting for a sign-in)
 * and a form being filled in.
 */
export async function countUnsentAssisted(): Promise<number> {
	const [rows, drafts] = await Promise.all([
		localDb.outbox.filter((r) => isAssistedRow(r) && isPending(r)).count(),
		localDb.drafts.filter((d) => !!d.assistedBy && draftHasContent(d)).count()
	]);
	return rows + drafts;
}

export type VillagerError = 'villagerMissing' | 'consentMissing';

/** The villager part of the form: a name or a phone (the server requires one), and their consent. */
export function villagerErrors(draft: Pick<Draft, 'name' | 'phone'>, consent: boolean): VillagerError[] {
	const errors: VillagerError[] = [];
	if (!draft.name.trim() && !draft.phone.trim()) errors.push('villagerMissing');
	if (!consent) errors.push('consentMissing');
	return errors;
}

/** The villager's contact as the server expects it from a volunteer: their consent recorded. */
export function withConsent(contact: Contact): Contact {
	return { ...contact, consent: true };
}

/**
 * Deletes everything of the villagers from this device: the filings in the outbox (report, contact
 * with name and phone), drafts, photo blobs and their records, and any row of any other table that
 * names one of these reports (cached public reports, follows, notices…), then the volunteer's
 * session — in one transaction, so a half-done sign-out leaves the session to try again.
 * A resident's own reports and drafts on the same device are kept.
 */
export async function wipeAssistedData(): Promise<{ reports: number }> {
	return localDb.transaction('rw', localDb.tables, async () => {
		const rows = await localDb.outbox.filter(isAssistedRow).toArray();
		const drafts = await localDb.drafts.filter((d) => !!d.assistedBy).toArray();
		const reportIds = [...new Set([...rows.map((r) => r.reportId), ...drafts.map((d) => d.id)])];
		const photoIds = [...rows.flatMap((r) => r.photoIds), ...drafts.flatMap((d) => d.photoIds)];
		const keys = [...reportIds, ...photoIds];
		for (const table of localDb.tables) {
			if (table.name === 'identity') continue;
			// Tables keyed by the report's (or photo's) id, and tables that point at a report.
			if (keys.length) await table.bulkDelete(keys);
			if (reportIds.length && table.schema.idxByName.reportId) await table.where('reportId').anyOf(reportIds).delete();
		}
		const staff = await localDb.identity.get('staff');
		if (staff?.key === 'staff' && staff.user.role === 'volunteer') await localDb.identity.delete('staff');
		return { reports: reportIds.length };
	});
}

/** The staff inbox database (RxDB) exists: /handler was opened with this session. */
async function hasInboxDatabase(): Promise<boolean> {
	const idb = globalThis.indexedDB as (IDBFactory & { databases?: () => Promise<IDBDatabaseInfo[]> }) | undefined;
	const all = (await idb?.databases?.().catch(() => [])) ?? [];
	return all.some((d) => d.name?.startsWith(`rxdb-dexie-${DB_NAME}--`));
}

/**
 * Sign-out: wipes the villagers' data (above) and the local RxDB copy the staff pages keep, if this
 * session ever opened one (/handler pulls what the signed-in account may read: here the volunteer's
 * reports and the villagers' contacts). The page also clears the service worker's private caches.
 */
export async function signOutVolunteer(): Promise<void> {
	await wipeAssistedData();
	if (await hasInboxDatabase()) {
		const { removeDatabase } = await import('../sync/db');
		await removeDatabase();
	}
}
