import type { Store, StoredDoc } from '../storage/storage';

/**
 * Who a dossier file id belongs to: the application that listed it first, and that application's
 * author. File ids are made on the device; a claim is written create-only (`rev: null`) when the
 * application (or an answer adding pages) is stored, before any byte of the file arrives, so whoever
 * learns an id later can neither upload under it nor have it read as theirs. The same holder asking
 * again (a retried push) finds its own claim.
 */
export interface FileClaim extends StoredDoc {
	/** The file id. */
	id: string;
	applicationId: string;
	ownerId: string;
}

export function createFileClaims(claims: Store<FileClaim>) {
	/** Claims every id for the application, all or nothing: answers the ids held by another (nothing is kept then). */
	async function claimAll(applicationId: string, ownerId: string, fileIds: string[]): Promise<{ taken: string[] }> {
		const ids = [...new Set(fileIds)];
		if (!ids.length) return { taken: [] };
		const results = await claims.bulkPut(ids.map((id) => ({ doc: { id, applicationId, ownerId } as FileClaim, rev: null })));
		const failed = results.find((r) => !r.ok && !r.conflict);
		if (failed && !failed.ok) throw new Error(`Could not claim dossier file ${failed.id}: ${failed.error}`);
		const conflicted = results.filter((r) => !r.ok).map((r) => r.id);
		const holders = await claims.getMany(conflicted);
		const taken = conflicted.filter((id) => {
			const h = holders.get(id)?.doc;
			return !h || h.applicationId !== applicationId || h.ownerId !== ownerId;
		});
		if (taken.length) {
			// Release what this call created: the application is refused whole.
			const created = new Set(results.filter((r) => r.ok).map((r) => r.id));
			const mine = await claims.getMany([...created]);
			const rows = [...mine.values()].map((v) => ({ doc: { ...v.doc, _deleted: true }, rev: v.rev }));
			if (rows.length) await claims.bulkPut(rows);
		}
		return { taken };
	}

	return {
		claimAll,
		/** The holder of a file id, or null when no application has listed it. */
		holder: (fileId: string): Promise<FileClaim | null> => claims.get(fileId)
	};
}
export type FileClaims = ReturnType<typeof createFileClaims>;
