import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '$lib/domain/report';
import { storedReport } from '../../tests/support/documents';
import { openTempStorage } from '../../tests/support/temp-storage';
import type { Storage } from '../storage/storage';
import { createRequestIndex } from './request-index';

/** GeoReport's list: newest received first, within the span, by service and open/closed, page by page, kept live. */

let storage: Storage;
beforeAll(async () => {
	storage = await openTempStorage('open311-index');
});
afterAll(() => storage?.close());

const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T03:00:00.000Z`;

describe('request index', () => {
	it('finds by span, service and status, newest first, and follows later changes', async () => {
		const reports = storage.store<Report>('reports');
		const docs = [
			storedReport('device:a', { receivedAt: at(1), categoryCode: 'environment' }),
			storedReport('device:a', { receivedAt: at(3), categoryCode: 'urban-order' }),
			storedReport('device:a', { receivedAt: at(5), categoryCode: 'environment', status: 'resolved' }),
			storedReport('device:a', { receivedAt: at(7), categoryCode: 'environment', tenantId: 'dak-lak' })
		];
		await reports.bulkPut(docs.map((doc) => ({ doc, rev: null })));
		const index = createRequestIndex(reports, 'lam-dong');
		await index.ready();
		const q = { from: at(1), to: at(30), page: 1, pageSize: 10 };
		expect(index.find(q)).toEqual([docs[2].id, docs[1].id, docs[0].id]);
		expect(index.find({ ...q, from: at(2), to: at(5) })).toEqual([docs[2].id, docs[1].id]);
		expect(index.find({ ...q, serviceCode: 'environment', status: 'open' })).toEqual([docs[0].id]);
		expect(index.find({ ...q, status: 'closed' })).toEqual([docs[2].id]);
		expect(index.find({ ...q, pageSize: 1, page: 2 })).toEqual([docs[1].id]);

		// The first report is resolved: it moves from open to closed once the feed brings it.
		const [cur] = [...(await reports.getMany([docs[0].id])).values()];
		await reports.bulkPut([{ doc: { ...cur.doc, status: 'resolved' }, rev: cur.rev }]);
		for (let i = 0; i < 100 && index.find({ ...q, status: 'closed' }).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
		expect(index.find({ ...q, status: 'closed' })).toEqual([docs[2].id, docs[0].id]);
		index.close();
	});
});
