import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '$lib/domain/report';
import { wardReportInput } from '../../tests/support/fixed-documents';
import { openPouchStorage } from '../storage/pouch-storage';
import type { Storage, Store } from '../storage/storage';
import { createWardIndex, cursorOfKey, idOfKey, keyOfCursor } from './ward-index';

let dir: string;
let storage: Storage;
let reports: Store<Report>;

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'caunoi-ward-index-'));
	storage = await openPouchStorage({ dataDir: dir, dbPrefix: 't-' });
	reports = storage.store<Report>('reports');
});
afterEach(async () => {
	await storage.close();
	await rm(dir, { recursive: true, force: true });
});

let n = 0;
function report(over: Partial<Report> = {}): Report {
	n++;
	const at = `2025-06-01T08:00:${String(n % 60).padStart(2, '0')}.000Z`;
	const id = `0197a000-0000-7000-8000-${String(n).padStart(12, '0')}`;
	return { ...wardReportInput(id, at, { authorId: 'device:x' }), status: 'assigned', updatedAt: at, ...over };
}
const ids = (keys: string[]) => keys.map(idOfKey);

describe('ward index', () => {
	it('is built from what is stored: received reports of the tenant, by ward, in (updatedAt, id) order', async () => {
		const a = report();
		const b = report();
		const sameTime = report({ updatedAt: b.updatedAt });
		const other = report({ wardCode: '24781' });
		const notReceived = report({ status: undefined });
		const foreign = report({ tenantId: 'other' });
		await reports.bulkPut([b, sameTime, a, other, notReceived, foreign].map((doc) => ({ doc })));
		const index = createWardIndex(reports, 'lam-dong');
		await index.ready();
		expect(ids(index.after('24778', null, 10))).toEqual([a.id, b.id, sameTime.id]);
		expect(ids(index.after('24781', null, 10))).toEqual([other.id]);
		expect(index.size()).toBe(4);
		index.close();
	});

	it('pages by cursor and follows later writes: an update moves a report to the end, a deletion drops it', async () => {
		const [a, b, c] = [report(), report(), report()];
		await reports.bulkPut([a, b, c].map((doc) => ({ doc })));
		const index = createWardIndex(reports, 'lam-dong');
		await index.ready();
		const first = index.after('24778', null, 2);
		expect(ids(first)).toEqual([a.id, b.id]);
		const cursor = cursorOfKey(first[1]);
		expect(ids(index.after('24778', keyOfCursor(cursor), 2))).toEqual([c.id]);

		await reports.bulkPut([{ doc: { ...a, status: 'resolved', updatedAt: '2025-07-01T00:00:00.000Z' } }, { doc: { ...b, _deleted: true } }]);
		await expect.poll(() => ids(index.after('24778', null, 10))).toEqual([c.id, a.id]);
		expect(ids(index.after('24778', keyOfCursor(cursor), 10))).toEqual([c.id, a.id]);
		// A bare time as the cursor: everything changed at or after it.
		expect(ids(index.after('24778', keyOfCursor('2025-07-01T00:00:00.000Z'), 10))).toEqual([a.id]);
		index.close();
	});
});
