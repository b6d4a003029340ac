/**
 * A first sync reads through the server's scope index (sync-server/access/scope-index.ts), against the
 * real server in both storage modes: it returns exactly what scanning the whole feed returns, it
 * follows transfers, and reading a report's events no longer reads the events feed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { ReportEvent } from '$lib/domain/event';
import type { Report } from '$lib/domain/report';
import { SYNC_COLLECTIONS, type SyncCollection } from '$lib/domain/sync-protocol';
import type { Store } from '../../sync-server/storage/storage';
import {
	makeContact,
	makeEvent,
	makeReport,
	pull,
	pullAll,
	push,
	signIn,
	startServer,
	type DeviceSession,
	type Session,
	type TestServer
} from './harness';

let srv: TestServer;
let ana: DeviceSession;
let binh: DeviceSession;
let lamVien: Session; // ward committee: every report of the ward is routed to it
let environment: Session; // specialist unit of the category
let police: Session;
const filed: Report[] = [];

beforeAll(async () => {
	srv = await startServer();
	[ana, binh, lamVien, environment, police] = await signIn(srv.url, 'device', 'device', 'ubnd-lam-vien', 'natural-resources-environment', 'police');
	// Residents file reports with contacts; one goes to the police alone (another ward, traffic).
	for (const [who, n] of [[ana, 5], [binh, 3]] as const) {
		const reports = Array.from({ length: n }, () => makeReport(who.user.sub));
		const res = await push(srv.url, who.token, 'reports', reports);
		filed.push(...(res.body.conflicts as unknown as Report[]));
		await push(srv.url, who.token, 'contacts', reports.map((r) => makeContact(r)));
	}
	const traffic = await push(srv.url, binh.token, 'reports', [makeReport(binh.user.sub, { wardCode: '22918', categoryCode: 'traffic-security' })]);
	filed.push(traffic.body.conflicts[0] as unknown as Report);
	// Handlers act: a few progress notes (several events per report, so pages stop inside a report).
	const notes = filed.slice(0, 4).flatMap((r) => [makeEvent(lamVien, r, 'seen'), makeEvent(lamVien, r, 'accepted')]);
	expect((await push(srv.url, lamVien.token, 'events', notes)).body.rejected).toEqual([]);
});
afterAll(() => srv?.close());

/** The old way: the whole changes feed from its start, filtered by scope (an incremental pull from 0). */
const scanAll = async (token: string, collection: SyncCollection) => (await pullAll(srv.url, token, collection, 100, { seq: 0 })).docs;

const idSet = (docs: Record<string, unknown>[]) => [...new Set(docs.map((d) => String(d.id)))].sort();

describe('first sync through the scope index', () => {
	it('returns exactly what a scan of the whole feed returns, for handlers and residents, in every collection', async () => {
		for (const who of [lamVien, environment, police, ana, binh]) {
			for (const collection of SYNC_COLLECTIONS) {
				// Pages of 3: a page stops inside a report's events, and the next one goes on from there.
				const { docs } = await pullAll(srv.url, who.token, collection, 3);
				expect(docs.length, `${who.user.sub} ${collection}: each document once`).toBe(idSet(docs).length);
				expect(idSet(docs), `${who.user.sub} ${collection}`).toEqual(idSet(await scanAll(who.token, collection)));
			}
		}
		// Not vacuous: the ward committee got every report of its ward and their contacts and events.
		const ward = await pullAll(srv.url, lamVien.token, 'reports', 3);
		expect(ward.docs).toHaveLength(filed.length - 1);
		expect((await pullAll(srv.url, lamVien.token, 'contacts', 3)).docs).toHaveLength(filed.length - 1);
		expect((await pullAll(srv.url, police.token, 'reports', 3)).docs.map((d) => d.id)).toEqual([filed[filed.length - 1].id]);
	});

	it('ends with the feed: what is written during a first sync arrives, and the next pull is incremental', async () => {
		const first = await pull(srv.url, lamVien.token, 'reports', null, 2);
		expect(first.body.checkpoint?.initial).toMatchObject({ after: expect.any(String) });
		const late = await push(srv.url, ana.token, 'reports', [makeReport(ana.user.sub)]);
		const lateId = (late.body.conflicts[0] as unknown as Report).id;
		const { docs: rest, checkpoint } = await pullAll(srv.url, lamVien.token, 'reports', 2, first.body.checkpoint);
		const docs = [...first.body.documents, ...rest];
		expect(docs.map((d) => d.id)).toContain(lateId);
		expect(checkpoint?.initial).toBeNull();
	});

	it('stops indexing a report for a unit it was transferred away from', async () => {
		const report = filed[0];
		const policeUnit = police.user.unitIds[0];
		const lamVienUnit = lamVien.user.unitIds[0];
		const moved = await push(srv.url, lamVien.token, 'events', [makeEvent(lamVien, report, 'transferred', { unitIds: [policeUnit] })]);
		expect(moved.body.rejected).toEqual([]);

		const lamVienReports = (await pullAll(srv.url, lamVien.token, 'reports', 3)).docs.map((d) => d.id);
		expect(lamVienReports).not.toContain(report.id);
		const lamVienEvents = (await pullAll(srv.url, lamVien.token, 'events', 3)).docs;
		expect(lamVienEvents.filter((e) => e.reportId === report.id)).toEqual([]);
		expect((await pullAll(srv.url, police.token, 'reports', 3)).docs.map((d) => d.id)).toContain(report.id);
		const policeContacts = (await pullAll(srv.url, police.token, 'contacts', 3)).docs;
		expect(policeContacts.map((c) => c.reportId)).toContain(report.id);

		const index = srv.handle.storage.store('scope-index');
		expect(await index.get(`unit:lam-dong:${lamVienUnit}\u0001${report.id}`)).toBeNull();
		expect(await index.get(`unit:lam-dong:${policeUnit}\u0001${report.id}`)).not.toBeNull();
	});
});

describe('eventsOf', () => {
	it('does not read the events feed, however long it is, when a handler acts', async () => {
		const events = srv.handle.storage.store<ReportEvent>('events');
		// A long feed of other reports' events, written straight into the store.
		const other = filed[filed.length - 2];
		const at = new Date().toISOString();
		const junk = Array.from({ length: 1500 }, () => ({
			id: uuidv7(),
			reportId: other.id,
			tenantId: 'lam-dong',
			type: 'progress' as const,
			actorId: 'someone',
			actorRole: 'handler' as const,
			note: 'Đang xử lý',
			at,
			serverAt: at,
			_deleted: false
		}));
		for (let i = 0; i < junk.length; i += 500) await events.bulkPut(junk.slice(i, i + 500).map((doc) => ({ doc, rev: null })));
		// A first sync of events waits for the index to have read them all.
		await pull(srv.url, environment.token, 'events', null, 1);

		let rows = 0;
		const original = events.changes;
		(events as Store<ReportEvent>).changes = async (opts) => {
			const page = await original.call(events, opts);
			rows += page.results.length;
			return page;
		};
		try {
			const report = filed[1];
			const res = await push(srv.url, lamVien.token, 'events', [makeEvent(lamVien, report, 'progress', { note: 'Đã đến hiện trường' })]);
			expect(res.body.rejected).toEqual([]);
			// The report was re-derived from its events (read through the index): status in progress.
			const stored = await srv.handle.storage.store<Report>('reports').get(report.id);
			expect(stored?.status).toBe('in_progress');
		} finally {
			(events as Store<ReportEvent>).changes = original;
		}
		// Only the new event's row (and maybe a few others'), never the 1,500 before it.
		expect(rows).toBeLessThan(20);
	});
});
