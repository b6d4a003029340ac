/** A unit that receives a report by transfer gets its whole history, not only what comes after. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, fileReport, makeContact, openStream, pull, pullAll, push, signIn, startServer, type TestServer } from './harness';

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

		const report = await fileReport(srv.url, resident);
		const contact = makeContact(report, { name: 'Lê Văn Tám', phone: '0987654321' });
		expect((await push(srv.url, resident.token, 'contacts', [contact])).body.rejected).toEqual([]);
		await act(srv.url, ward, report, 'progress', { note: 'Đã kiểm tra hiện trường, việc này thuộc công an' });
		expect((await pullAll(srv.url, police.token, 'contacts')).docs.map((d) => d.id)).not.toContain(contact.id);

		// The ward committee has the report and the contact on its device before handing it over.
		const wardReports = await pullAll(srv.url, ward.token, 'reports');
		const wardContacts = await pullAll(srv.url, ward.token, 'contacts');
		expect(wardContacts.docs.find((d) => d.id === contact.id)).toMatchObject({ phone: '0987654321' });
		const live = stream.collect(4_000);
		await act(srv.url, ward, report, 'transferred', { unitIds: ['police'] });

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

		// The unit that handed its part over is told to drop the report, and the reporter's phone with it.
		const dropped = await pull(srv.url, ward.token, 'reports', wardReports.checkpoint, 100);
		expect((dropped.body.documents as Record<string, unknown>[]).find((d) => d.id === report.id)).toMatchObject({ _deleted: true });
		const droppedContacts = await pull(srv.url, ward.token, 'contacts', wardContacts.checkpoint, 100);
		const tombstone = (droppedContacts.body.documents as Record<string, unknown>[]).find((d) => d.id === contact.id);
		expect(tombstone).toMatchObject({ _deleted: true });
		expect(JSON.stringify(droppedContacts.body)).not.toContain('0987654321');
		expect(JSON.stringify(droppedContacts.body)).not.toContain('Lê Văn Tám');
		// The units still on it (the environment unit) keep it as it is; the ward committee led, so its
		// part moved the lead (chủ trì) to the unit it handed over to.
		const [environment] = await signIn(srv.url, 'natural-resources-environment');
		expect((await pullAll(srv.url, environment.token, 'reports')).docs.find((d) => d.id === report.id)).toMatchObject({
			assignedUnitIds: ['natural-resources-environment', 'police'],
			leadUnitId: 'police'
		});
	});
});
