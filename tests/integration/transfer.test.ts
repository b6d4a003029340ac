/** A unit that receives a report by transfer gets its whole history, not only what comes after. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/lib/domain/report';
import { makeContact, makeEvent, makeReport, openStream, pull, pullAll, push, signIn, startServer, type TestServer } from './harness';

let srv: TestServer;

beforeAll(async () => {
	srv = await startServer();
});
afterAll(() => srv?.close());

describe('a report transferred to another unit', () => {
	it('reaches the new unit with its earlier events and the reporter’s contact, through pull and the live stream', async () => {
		const [resident, ward, police] = await signIn(srv.url, 'device', 'ubnd-lam-vien', 'police');
		// The police handler is already synced (an incremental pull from here) and listening live.
		const before = await pull(srv.url, police.token, 'events');
		const stream = await openStream(srv.url, police.token, 'contacts');

		const filed = await push(srv.url, resident.token, 'reports', [makeReport(resident.user.sub)]);
		const report = filed.body.conflicts[0] as unknown as Report;
		const contact = makeContact(report, { name: 'Lê Văn Tám', phone: '0987654321' });
		expect((await push(srv.url, resident.token, 'contacts', [contact])).body.rejected).toEqual([]);
		const progress = makeEvent(ward, report, 'progress', { note: 'Đã kiểm tra hiện trường, việc này thuộc công an' });
		expect((await push(srv.url, ward.token, 'events', [progress])).body.rejected).toEqual([]);
		expect((await pullAll(srv.url, police.token, 'contacts')).docs.map((d) => d.id)).not.toContain(contact.id);

		const transfer = makeEvent(ward, report, 'transferred', { unitIds: ['police'] });
		const live = stream.collect(4_000);
		expect((await push(srv.url, ward.token, 'events', [transfer])).body.rejected).toEqual([]);

		// Incremental pull from the checkpoint the police handler had before the report existed.
		const events = await pull(srv.url, police.token, 'events', before.body.checkpoint, 100);
		const types = (events.body.documents as { reportId: string; type: string }[]).filter((e) => e.reportId === report.id).map((e) => e.type);
		expect(types).toEqual(expect.arrayContaining(['received', 'assigned', 'progress', 'transferred']));
		const contacts = (await pullAll(srv.url, police.token, 'contacts')).docs;
		expect(contacts.find((d) => d.id === contact.id)).toMatchObject({ phone: '0987654321' });
		// Live: the contact arrives on the open stream too.
		const streamed = (await live).flatMap((x) => (x && typeof x === 'object' ? ((x as { documents?: { id: string }[] }).documents ?? []) : []));
		expect(streamed.map((d) => d.id)).toContain(contact.id);
		stream.close();
	});
});
