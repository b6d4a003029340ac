/**
 * Fills the device's outbox (fake-indexeddb / Dexie in Node) as the report form does on "Gửi", for
 * the integration tests that run the service worker's flushOutbox against the real sync-server.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { uuidv7 } from '$lib/domain/common';
import { Contact } from '$lib/domain/contact';
import { ReportInput } from '$lib/domain/report';
import { localDb } from '$lib/sync/local-db';
import { createOutboxRow } from '$lib/sync/outbox';
import { deviceActorId } from '$lib/sync/session';

/** A real phone photo (JPEG), as picked from the gallery. */
export async function readFixtureJpeg(): Promise<Blob> {
	return new Blob([await readFile(path.join(import.meta.dirname, '../fixtures/photos/autumn.jpg'))], { type: 'image/jpeg' });
}

/**
 * Queues a report as the form does on "Gửi": report (+ contact) in the outbox, photos in Dexie.
 * By this device unless `authorId` is given (a volunteer's filing: with `assistedBy`); `contact` true
 * adds a default one, an object overrides its fields. Returns the report's id.
 */
export async function queueOutboxReport(
	opts: {
		description?: string;
		photos?: Blob[];
		wardCode?: string;
		contact?: boolean | Partial<Contact>;
		authorId?: string;
		assistedBy?: string;
	} = {}
): Promise<string> {
	// Only when the device files: asking for its id creates the device's identity.
	const authorId = opts.authorId ?? (await deviceActorId());
	const id = uuidv7();
	const photoIds: string[] = [];
	for (const blob of opts.photos ?? []) {
		const pid = uuidv7();
		photoIds.push(pid);
		await localDb.photos.put({ id: pid, reportId: id, blob, mime: blob.type, width: 4000, height: 3000, bytes: blob.size, sent: 0, status: 'pending', createdAt: Date.now() });
	}
	const report = ReportInput.parse({
		id,
		tenantId: 'lam-dong',
		authorId,
		categoryCode: 'environment',
		description: opts.description ?? 'Rác đổ trộm bên đường',
		// A fix in Xuân Hương; in another ward the report is placed by the ward (the server refuses
		// coordinates that disagree with the ward: location_outside_ward).
		location: (opts.wardCode ?? '24781') === '24781' ? { source: 'gps', lat: 11.9416, lng: 108.4423, accuracyM: 10 } : { source: 'ward' },
		wardCode: opts.wardCode ?? '24781',
		wardCodeSet: '2025',
		photoIds,
		createdAt: new Date().toISOString(),
		...(opts.assistedBy ? { assistedBy: opts.assistedBy } : {})
	});
	const contact = opts.contact
		? Contact.parse({
				id: uuidv7(),
				reportId: id,
				tenantId: 'lam-dong',
				authorId,
				name: 'Chị Lan',
				phone: '0912345678',
				...(opts.contact === true ? {} : opts.contact)
			})
		: undefined;
	await localDb.outbox.add(createOutboxRow(report, contact));
	return id;
}
