import { createHash } from 'node:crypto';
import { TRACKING_ALPHABET as ALPHABET } from '$lib/domain/tracking-code';
import type { Store, StoredDoc } from '../storage/storage';

export interface TrackingClaim extends StoredDoc {
	/** The tracking code itself. */
	id: string;
	reportId: string;
}

/** Vietnam has one time zone (UTC+7, no DST): the date in a code is the resident's date. */
const VN_OFFSET_MS = 7 * 3_600_000;

export function trackingCandidate(prefix: string, reportId: string, receivedAt: Date, attempt: number): string {
	const d = new Date(receivedAt.getTime() + VN_OFFSET_MS);
	const ymd =
		String(d.getUTCFullYear() % 100).padStart(2, '0') +
		String(d.getUTCMonth() + 1).padStart(2, '0') +
		String(d.getUTCDate()).padStart(2, '0');
	const digest = createHash('sha256').update(attempt ? `${reportId}#${attempt}` : reportId).digest();
	let n = digest.readUInt32BE(0);
	let suffix = '';
	for (let i = 0; i < 5; i++) {
		suffix += ALPHABET[n % 32];
		n = Math.floor(n / 32);
	}
	return `${prefix}-${ymd}-${suffix}`;
}

/**
 * A tracking code for the report, unique across the tenant: the code is derived from the report id
 * and claimed in the `tracking-codes` store (create-only, so two instances cannot take the same code;
 * a retry of the same report finds its own claim and gets the same code).
 */
async function claimTrackingCode(
	claims: Store<TrackingClaim>,
	prefix: string,
	reportId: string,
	receivedAt: Date
): Promise<string> {
	for (let attempt = 0; attempt < 20; attempt++) {
		const code = trackingCandidate(prefix, reportId, receivedAt, attempt);
		const [res] = await claims.bulkPut([{ doc: { id: code, reportId }, rev: null }]);
		if (res.ok) return code;
		if (!res.conflict) throw new Error(`Could not claim tracking code: ${res.error}`);
		const holder = await claims.get(code);
		if (holder?.reportId === reportId) return code;
	}
	throw new Error('No free tracking code after 20 attempts');
}

/**
 * Tracking codes for a batch of new reports, in one write: each report's first candidate is claimed
 * together; only a report whose candidate was taken (a retry of itself, or a rare clash) goes on
 * alone through claimTrackingCode. Same codes as claiming one by one.
 */
export async function claimTrackingCodes(
	claims: Store<TrackingClaim>,
	prefix: string,
	reportIds: string[],
	receivedAt: Date
): Promise<string[]> {
	const first = reportIds.map((id) => trackingCandidate(prefix, id, receivedAt, 0));
	const results = await claims.bulkPut(reportIds.map((reportId, i) => ({ doc: { id: first[i], reportId }, rev: null })));
	return Promise.all(
		results.map(async (res, i) => {
			if (res.ok) return first[i];
			if (!res.conflict) throw new Error(`Could not claim tracking code: ${res.error}`);
			return claimTrackingCode(claims, prefix, reportIds[i], receivedAt);
		})
	);
}
