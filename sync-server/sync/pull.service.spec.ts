import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '$lib/domain/report';
import type { Checkpoint } from '$lib/domain/sync-protocol';
import type { Principal } from '$lib/domain/principal';
import type { Storage, StoredDoc } from '../storage/storage';
import { openTempStorage } from '../../tests/support/temp-storage';
import { pullChanges } from './pull.service';
import { createScope } from '../access/scope';
import { storedReport } from '../../tests/support/documents';

/** The feed scan's budget, over the real storage (LevelDB in a temp dir). */
let storage: Storage;

beforeEach(async () => {
	storage = await openTempStorage('pull');
});
afterEach(async () => {
	await storage.close();
});

const report = (authorId: string) => storedReport(authorId);

describe('an incremental pull over a long tail of other people’s changes', () => {
	it('says "more" when its scan budget ran out before the feed did, so the device asks again at once', async () => {
		const reports = storage.store<Report>('reports');
		const me: Principal = { sub: 'device:me', role: 'resident', tenantId: 'lam-dong', unitIds: [] };
		const scope = createScope(reports);
		// A checkpoint from before: then 45 reports of others, and mine at the very end.
		const start = { seq: await reports.updateSeq() } as Checkpoint;
		await reports.bulkPut(Array.from({ length: 45 }, () => ({ doc: report('device:other'), rev: null })));
		const mine = report('device:me');
		await reports.bulkPut([{ doc: mine, rev: null }]);

		const store = reports as unknown as Parameters<typeof pullChanges>[0];
		let checkpoint: Checkpoint | null = start;
		const got: StoredDoc[] = [];
		const answers: { n: number; more: boolean }[] = [];
		for (let i = 0; i < 10; i++) {
			const page = await pullChanges(store, scope, me, 'reports', checkpoint, 10, undefined, 20);
			got.push(...page.documents);
			answers.push({ n: page.documents.length, more: page.more === true });
			checkpoint = page.checkpoint;
			if (!page.more) break;
		}
		// Two budgets of 20 rows find nothing of mine but say so; the third reaches my report and the end.
		expect(answers).toEqual([
			{ n: 0, more: true },
			{ n: 0, more: true },
			{ n: 1, more: false }
		]);
		expect(got.map((d) => d.id)).toEqual([mine.id]);
	});
});
