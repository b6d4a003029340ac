/** Replication endpoints against the real server: round trips, routing, scope, validation, idempotency. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { Report } from '$lib/domain/report';
import {
	call,
	deviceSession,
	login,
	makeContact,
	makeReport,
	pull,
	pullAll,
	push,
	startServer,
	type DeviceSession,
	type Session,
	type TestServer
} from './harness';

let srv: TestServer;
let ana: DeviceSession; // a resident
let binh: DeviceSession; // another resident
let lamVien: Session; // handler of the ward committee
let environment: Session; // handler of the environment unit
let police: Session; // handler of an unrelated unit
let leader: Session;

beforeAll(async () => {
	srv = await startServer();
	[ana, binh, lamVien, environment, police, leader] = await Promise.all([
		deviceSession(srv.url),
		deviceSession(srv.url),
		login(srv.url, 'ubnd-lam-vien'),
		login(srv.url, 'natural-resources-environment'),
		login(srv.url, 'police'),
		login(srv.url, 'lanhdao')
	]);
});
afterAll(() => srv?.close());

const ids = (docs: Record<string, unknown>[]) => docs.map((d) => d.id);

describe('a resident files a report', () => {
	let report: Record<string, unknown>;
	let contact: Record<string, unknown>;
	let stored: Report;

	beforeAll(async () => {
		report = makeReport(ana.user.sub);
		contact = makeContact(report);
		const r = await push(srv.url, ana.token, 'reports', [report]);
		expect(r.status).toBe(200);
		expect(r.body.rejected).toEqual([]);
		// The server enriched it: the device learns its tracking code from the answered master state.
		expect(r.body.conflicts).toHaveLength(1);
		stored = r.body.conflicts[0] as unknown as Report;
		const c = await push(srv.url, ana.token, 'contacts', [contact]);
		expect(c.body).toEqual({ conflicts: [], rejected: [] });
	});

	it('is enriched by the server: tracking code, routing, status, due 6 h after receipt', () => {
		expect(stored.id).toBe(report.id);
		expect(stored.trackingCode).toMatch(/^LD-\d{6}-[0-9A-HJKMNP-TV-Z]{5}$/);
		expect(stored.status).toBe('assigned');
		expect(stored.assignedUnitIds).toEqual(['natural-resources-environment', 'ubnd-lam-vien']);
		const received = Date.parse(stored.receivedAt!);
		expect(Math.abs(received - Date.now())).toBeLessThan(60_000);
		expect(Date.parse(stored.dueAt!) - received).toBe(6 * 3_600_000);
		expect(stored.description).toBe(report.description);
	});

	it('comes back to its author with its contact and the received/assigned events', async () => {
		const reports = await pullAll(srv.url, ana.token, 'reports');
		expect(reports.docs).toEqual([stored]);
		const contacts = await pullAll(srv.url, ana.token, 'contacts');
		expect(contacts.docs).toEqual([{ ...contact }]);
		const events = await pullAll(srv.url, ana.token, 'events');
		expect(events.docs.map((e) => e.type).sort()).toEqual(['assigned', 'received']);
		const assigned = events.docs.find((e) => e.type === 'assigned')!;
		expect(assigned).toMatchObject({ reportId: report.id, actorId: 'system', actorRole: 'system' });
		expect(assigned.unitIds).toEqual(['natural-resources-environment', 'ubnd-lam-vien']);
	});

	it('reaches the ward committee and the environment unit, with the contact', async () => {
		for (const handler of [lamVien, environment]) {
			const reports = await pullAll(srv.url, handler.token, 'reports');
			expect(ids(reports.docs)).toContain(report.id);
			const contacts = await pullAll(srv.url, handler.token, 'contacts');
			expect(ids(contacts.docs)).toContain(contact.id);
			const events = await pullAll(srv.url, handler.token, 'events');
			expect(events.docs.filter((e) => e.reportId === report.id)).toHaveLength(2);
		}
	});

	it('stays out of reach of another unit and another resident', async () => {
		for (const outsider of [police, binh]) {
			for (const c of ['reports', 'contacts', 'events'] as const) {
				const got = await pullAll(srv.url, outsider.token, c);
				expect(got.docs.filter((d) => d.id === report.id || d.reportId === report.id)).toEqual([]);
			}
		}
	});

	it('is visible to the leader', async () => {
		const reports = await pullAll(srv.url, leader.token, 'reports');
		expect(ids(reports.docs)).toContain(report.id);
	});

	it('is stored once when pushed again, with one set of events', async () => {
		const again = await push(srv.url, ana.token, 'reports', [report]);
		expect(again.body.rejected).toEqual([]);
		expect(again.body.conflicts).toEqual([stored]);
		const same = await push(srv.url, ana.token, 'reports', [stored]);
		expect(same.body).toEqual({ conflicts: [], rejected: [] });
		const reports = await pullAll(srv.url, leader.token, 'reports');
		expect(reports.docs.filter((d) => d.id === report.id)).toHaveLength(1);
		const events = await pullAll(srv.url, leader.token, 'events');
		expect(events.docs.filter((e) => e.reportId === report.id)).toHaveLength(2);
	});

	it('cannot be rewritten by its author or pushed by someone else', async () => {
		const edited = await push(srv.url, ana.token, 'reports', [{ ...report, description: 'changed' }]);
		expect(edited.body.rejected).toMatchObject([{ id: report.id, code: 'report_immutable' }]);
		const hijack = await push(srv.url, binh.token, 'reports', [{ ...report, authorId: binh.user.sub }]);
		expect(hijack.body.rejected).toMatchObject([{ id: report.id, code: 'not_owner' }]);
		const reports = await pullAll(srv.url, ana.token, 'reports');
		expect(reports.docs).toEqual([stored]);
	});

	it('lets a handler record that the unit has seen it', async () => {
		const seen = {
			id: uuidv7(),
			reportId: report.id,
			tenantId: 'lam-dong',
			type: 'seen',
			actorId: lamVien.user.sub,
			actorRole: 'handler',
			unitId: 'ubnd-lam-vien',
			at: new Date().toISOString(),
			_deleted: false
		};
		const r = await push(srv.url, lamVien.token, 'events', [seen]);
		expect(r.body.rejected).toEqual([]);
		expect(r.body.conflicts[0]).toMatchObject({ ...seen, serverAt: expect.any(String) });
		const reports = await pullAll(srv.url, ana.token, 'reports');
		expect(reports.docs[0].seenByUnitIds).toEqual(['ubnd-lam-vien']);
		// Another unit cannot mark it seen; resolving needs a note; a resident cannot act as a handler.
		const outsider = await push(srv.url, police.token, 'events', [{ ...seen, id: uuidv7(), actorId: police.user.sub, unitId: 'police' }]);
		expect(outsider.body.rejected).toMatchObject([{ code: 'forbidden_scope' }]);
		const resolved = await push(srv.url, lamVien.token, 'events', [{ ...seen, id: uuidv7(), type: 'resolved' }]);
		expect(resolved.body.rejected).toMatchObject([{ code: 'validation_failed', path: ['type'] }]);
		const resident = await push(srv.url, ana.token, 'events', [{ ...seen, id: uuidv7(), actorId: ana.user.sub, actorRole: 'resident' }]);
		expect(resident.body.rejected).toMatchObject([{ code: 'forbidden_scope' }]);
	});
});

describe('routing', () => {
	it('sends a category without a ward committee outside Đà Lạt to its specialist unit only', async () => {
		// 22918 (Mũi Né) has no demo ward committee: the police unit alone gets a traffic report.
		const r = await push(srv.url, binh.token, 'reports', [makeReport(binh.user.sub, { wardCode: '22918', categoryCode: 'traffic-security' })]);
		expect((r.body.conflicts[0] as unknown as Report).assignedUnitIds).toEqual(['police']);
	});
});

describe('validation, answered per document', () => {
	it('stores the valid document of a batch and says why each other one was refused', async () => {
		const good = makeReport(ana.user.sub);
		const { categoryCode: _c, ...noCategory } = makeReport(ana.user.sub);
		const { location: _l, ...noLocation } = makeReport(ana.user.sub);
		const batch = [
			makeReport(ana.user.sub, { extra: 1 }),
			noCategory,
			good,
			noLocation,
			makeReport(binh.user.sub),
			makeReport(ana.user.sub, { trackingCode: 'LD-000000-AAAAA', status: 'resolved' }),
			makeReport(ana.user.sub, { categoryCode: 'weather' }),
			makeReport(ana.user.sub, { wardCode: '99999' }),
			makeReport(ana.user.sub, { photoIds: Array.from({ length: 6 }, () => uuidv7()) })
		];
		const r = await push(srv.url, ana.token, 'reports', batch);
		expect(r.status).toBe(200);
		const byId = Object.fromEntries(r.body.rejected.map((x) => [x.id, x]));
		expect(byId[batch[0].id as string]).toMatchObject({ code: 'unknown_field', path: ['extra'] });
		expect(byId[batch[1].id as string]).toMatchObject({ code: 'missing_category', path: ['categoryCode'] });
		expect(byId[batch[3].id as string]).toMatchObject({ code: 'missing_location', path: ['location'] });
		expect(byId[batch[4].id as string]).toMatchObject({ code: 'not_owner' });
		expect(byId[batch[5].id as string]).toMatchObject({ code: 'server_field' });
		expect(byId[batch[6].id as string]).toMatchObject({ code: 'unknown_category' });
		expect(byId[batch[7].id as string]).toMatchObject({ code: 'unknown_ward' });
		expect(byId[batch[8].id as string]).toMatchObject({ code: 'too_many_photos' });
		expect(r.body.rejected).toHaveLength(8);
		for (const x of r.body.rejected) expect(x.message.length).toBeGreaterThan(5);
		expect(r.body.conflicts.map((c) => c.id)).toEqual([good.id]);

		const mine = await pullAll(srv.url, ana.token, 'reports');
		expect(ids(mine.docs)).toContain(good.id);
		for (const bad of batch.filter((b) => b !== good)) expect(ids(mine.docs)).not.toContain(bad.id);
	});

	it('refuses a contact for someone else, and any write to media', async () => {
		const theirs = makeReport(binh.user.sub);
		await push(srv.url, binh.token, 'reports', [theirs]);
		const r = await push(srv.url, ana.token, 'contacts', [makeContact({ id: theirs.id, authorId: ana.user.sub })]);
		expect(r.body.rejected).toMatchObject([{ code: 'not_owner' }]);
		const m = await push(srv.url, ana.token, 'media', [{ id: uuidv7() }]);
		expect(m.body.rejected).toMatchObject([{ code: 'read_only_collection' }]);
	});

	it('answers an unknown collection and a malformed request with error codes', async () => {
		const unknown = await pull(srv.url, ana.token, 'secrets');
		expect(unknown.status).toBe(404);
		expect(unknown.body).toMatchObject({ error: { code: 'unknown_collection' } });
		const bad = await call(`${srv.url}/api/sync/reports/pull?checkpoint=%7Bnope`, { token: ana.token });
		expect(bad.status).toBe(400);
		expect(bad.body).toMatchObject({ error: { code: 'validation_failed' } });
		const notArray = await call(`${srv.url}/api/sync/reports/push`, { token: ana.token, body: { newDocumentState: {} } });
		expect(notArray.status).toBe(400);
		expect(notArray.body).toMatchObject({ error: { code: 'validation_failed' } });
	});
});

describe('pull checkpoints', () => {
	it('pages a first sync in id order, then follows the store sequence, skipping a tail outside the caller’s scope', async () => {
		const cleo = await deviceSession(srv.url);
		const mine = [makeReport(cleo.user.sub), makeReport(cleo.user.sub), makeReport(cleo.user.sub)];
		for (const r of mine) await push(srv.url, cleo.token, 'reports', [r]);
		await push(srv.url, binh.token, 'reports', [makeReport(binh.user.sub), makeReport(binh.user.sub)]);

		// A first sync reads the caller's reports through the scope index, in id order (UUIDv7: time
		// order, random within one millisecond).
		const inIdOrder = ids(mine).sort();
		const first = await pull(srv.url, cleo.token, 'reports', null, 2);
		expect(ids(first.body.documents)).toEqual(inIdOrder.slice(0, 2));
		const second = await pull(srv.url, cleo.token, 'reports', first.body.checkpoint, 2);
		expect(ids(second.body.documents)).toEqual(inIdOrder.slice(2));
		// The first sync is over: from here the store sequence, already past Binh's reports.
		expect(second.body.checkpoint?.initial).toBeNull();
		const third = await pull(srv.url, cleo.token, 'reports', second.body.checkpoint, 2);
		expect(third.body.documents).toEqual([]);
		expect(third.body.checkpoint).toEqual(second.body.checkpoint);
		expect(second.body.checkpoint).not.toEqual(first.body.checkpoint);

		// Later writes come in store order; the checkpoint moves past a tail of Binh's reports too.
		const later = [makeReport(cleo.user.sub), makeReport(cleo.user.sub)];
		for (const r of later) await push(srv.url, cleo.token, 'reports', [r]);
		await push(srv.url, binh.token, 'reports', [makeReport(binh.user.sub)]);
		const fourth = await pull(srv.url, cleo.token, 'reports', third.body.checkpoint, 5);
		expect(ids(fourth.body.documents)).toEqual(ids(later));
		const fifth = await pull(srv.url, cleo.token, 'reports', fourth.body.checkpoint, 5);
		expect(fifth.body.documents).toEqual([]);
		expect(fifth.body.checkpoint).toEqual(fourth.body.checkpoint);
	});
});
