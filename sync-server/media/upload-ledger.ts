import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../http/api-error';

/**
 * Limits on photo uploads that have not finished. A partial upload is kept so a phone on a weak link
 * can resume it, but not for ever, and not without bound: before this, 20 uploads left at 14 of
 * 15 MB were all kept (issue 8, defect 7).
 */
export interface UploadLimits {
	/** A partial upload with no new byte for this long is deleted. */
	ttlMs: number;
	/** How often expired partial uploads are looked for (also once at start); 0 = only at start. */
	sweepMs: number;
	/** Declared bytes of unfinished uploads one identity (device or staff account) may hold. */
	perIdentityBytes: number;
	/** The same for one client address (many devices behind one NAT, or one attacker with many identities). */
	perAddressBytes: number;
}

/**
 * Defaults. A device sends its photos one at a time (150–300 KB each once prepared, 15 MB at most),
 * so it rarely holds more than one unfinished upload: 60 MB is four photos at the largest size. A
 * commune office or a carrier's NAT puts many devices behind one address: 200 MB leaves room for
 * a dozen of the largest photos in flight at once. 24 h lets a phone that lost signal come back the
 * next day and resume; an upload older than that is sent again from the start.
 */
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
	ttlMs: 24 * 3_600_000,
	sweepMs: 10 * 60_000,
	perIdentityBytes: 60 * 1024 * 1024,
	perAddressBytes: 200 * 1024 * 1024
};

interface Pending {
	uploader: string;
	address: string;
	/** Declared length: what the upload may grow to, so what it may cost the disk. */
	length: number;
}

const MB = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

/**
 * The unfinished uploads in the upload directory, by uploader and address, kept in memory and
 * rebuilt from the directory at start and on every sweep (the directory is the truth: a crash or a
 * second process cannot make the count drift for long).
 */
export function createUploadLedger(
	uploadDir: string,
	limits: UploadLimits,
	opts: { log?: (obj: object, msg: string) => void; now?: () => number } = {}
) {
	const pending = new Map<string, Pending>();
	const now = opts.now ?? Date.now;
	let timer: ReturnType<typeof setInterval> | undefined;
	let sweeping: Promise<number> | null = null;

	const sum = (pick: (p: Pending) => boolean, except: string) =>
		[...pending].reduce((n, [id, p]) => (id !== except && pick(p) ? n + p.length : n), 0);

	/** Deletes partial uploads whose last byte is older than the TTL; rebuilds the ledger. Answers how many went. */
	async function sweepOnce(): Promise<number> {
		const before = new Set(pending.keys());
		const names = await readdir(uploadDir).catch(() => [] as string[]);
		const found = new Map<string, Pending>();
		let removed = 0;
		const cutoff = now() - limits.ttlMs;
		for (const name of names) {
			if (name.endsWith('.json')) continue;
			const id = name;
			const raw = await stat(join(uploadDir, id)).catch(() => null);
			if (!raw?.isFile()) continue;
			const info = await readFile(join(uploadDir, `${id}.json`), 'utf8')
				.then((t) => JSON.parse(t) as { size?: number; metadata?: Record<string, string | null> })
				.catch(() => null);
			// The raw file is the partial upload: its modification time is its last byte.
			if (raw.mtimeMs < cutoff) {
				await rm(join(uploadDir, id), { force: true });
				await rm(join(uploadDir, `${id}.json`), { force: true });
				removed++;
				continue;
			}
			if (info?.metadata?.uploader)
				found.set(id, { uploader: info.metadata.uploader, address: info.metadata.address ?? '', length: info.size ?? raw.size });
		}
		// What was reserved while the directory was being read stays counted.
		for (const [id, p] of pending) if (!before.has(id) && !found.has(id)) found.set(id, p);
		pending.clear();
		for (const [id, p] of found) pending.set(id, p);
		if (removed) opts.log?.({ removed }, 'expired partial uploads deleted');
		return removed;
	}

	function sweep(): Promise<number> {
		return (sweeping ??= sweepOnce().finally(() => (sweeping = null)));
	}

	return {
		sweep,
		/** Sweeps now, then every `sweepMs`. */
		async start(): Promise<void> {
			await sweep();
			if (limits.sweepMs > 0) {
				timer = setInterval(() => void sweep().catch((err) => opts.log?.({ err }, 'upload sweep failed')), limits.sweepMs);
				timer.unref();
			}
		},
		stop(): void {
			clearInterval(timer);
		},
		/**
		 * Counts a new upload of `length` bytes, or refuses it (429 media_quota) when the uploader or
		 * the address would hold more unfinished bytes than allowed. Checked and counted at once, so
		 * parallel creates cannot all slip under the cap.
		 */
		reserve(id: string, p: Pending): void {
			const mine = sum((x) => x.uploader === p.uploader, id) + p.length;
			const here = sum((x) => x.address === p.address, id) + p.length;
			if (mine > limits.perIdentityBytes || (p.address && here > limits.perAddressBytes)) {
				const over = mine > limits.perIdentityBytes ? `this device (${MB(mine)} of ${MB(limits.perIdentityBytes)})` : `this address (${MB(here)} of ${MB(limits.perAddressBytes)})`;
				throw new ApiError(
					429,
					'media_quota',
					`Too many unfinished photo uploads from ${over}. The photos stay on the phone and will be sent later.`
				);
			}
			pending.set(id, p);
		},
		/** The upload finished or was removed. */
		release(id: string): void {
			pending.delete(id);
		},
		/** Unfinished bytes held by an uploader (tests, logs). */
		heldBy: (uploader: string) => sum((x) => x.uploader === uploader, '')
	};
}
export type UploadLedger = ReturnType<typeof createUploadLedger>;
