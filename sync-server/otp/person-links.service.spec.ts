import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { Contact } from '$lib/domain/contact';
import type { Report } from '$lib/domain/report';
import type { Principal } from '$lib/domain/principal';
import { openPouchStorage } from '../storage/pouch-storage';
import type { Storage, Store } from '../storage/storage';
import { createPersonLinks, type LinkBucket, type PersonDoc, type PersonLinks } from './person-links.service';
import { storedReport } from '../../tests/support/documents';

const T = 'lam-dong';
let dir: string;
let storage: Storage;
let reports: Store<Report>;
let contacts: Store<Contact>;
let links: PersonLinks;

const resident = (sub: string): Principal => ({ sub, role: 'resident', tenantId: T, unitIds: [] });
const volunteer = (sub: string): Principal => ({ sub, role: 'volunteer', tenantId: T, unitIds: [] });

const report = (authorId: string, extra: Partial<Report> = {}) => storedReport(authorId, { tenantId: T, ...extra });

/** Stores reports (and contacts) as a push would, and tells the links service. */
async function filed(p: Principal, r: Report, phone?: string): Promise<Contact | undefined> {
	await reports.bulkPut([{ doc: r, rev: null }]);
	await links.afterPush(p, 'reports', [r]);
	if (!phone) return undefined;
	// A volunteer's contact is the villager's, stored only with their consent (push.service).
	const c: Contact = { id: uuidv7(), reportId: r.id, tenantId: T, authorId: p.sub, phone, ...(p.role === 'volunteer' ? { consent: true } : {}), _deleted: false };
	await contacts.bulkPut([{ doc: c, rev: null }]);
	await links.afterPush(p, 'contacts', [c]);
	return c;
}

beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'caunoi-links-'));
	storage = await openPouchStorage({ dataDir: dir, dbPrefix: 't-' });
	reports = storage.store<Report>('reports');
	contacts = storage.store<Contact>('contacts');
	links = createPersonLinks({
		reports,
		contacts,
		people: storage.store<PersonDoc>('people'),
		index: storage.store<LinkBucket>('link-index')
	});
});
afterAll(async () => {
	await storage?.close();
	await rm(dir, { recursive: true, force: true });
});

describe('linking reports to a verified person', () => {
	it('one person per phone, whichever device verifies it', async () => {
		const a = await links.ensurePerson(T, '0911000001', 'device:a');
		const b = await links.ensurePerson(T, '0911000001', 'device:b');
		const again = await links.ensurePerson(T, '0911000001', 'device:a');
		expect(a.created).toBe(true);
		expect(b).toMatchObject({ created: false, person: { personId: a.person.personId, deviceIds: ['device:a', 'device:b'] } });
		expect(again.person.deviceIds).toEqual(['device:a', 'device:b']);
		const races = await Promise.all(['device:x', 'device:y', 'device:z'].map((d) => links.ensurePerson(T, '0911000002', d)));
		expect(new Set(races.map((r) => r.person.personId)).size).toBe(1);
		expect(races.filter((r) => r.created)).toHaveLength(1);
	});

	it('claims assisted filings naming the phone (any spelling), fills the device’s own, and leaves a contact whose phone changed', async () => {
		const phone = '0911000003';
		const own = report('device:c1');
		const assisted = (v: string, extra: Partial<Report> = {}) => report(`staff:${v}`, { assistedBy: `staff:${v}`, ...extra });
		const naming = assisted('tcns-a', { personId: 'person:someone-else' });
		const changed = assisted('tcns-b');
		const otherPhone = assisted('tcns-c');
		// A resident typing the number into their contact proves nothing: never linked.
		const strangers = report('device:stranger');
		await filed(resident('device:c1'), own);
		await filed(volunteer('staff:tcns-a'), naming, '+84 911 000 003');
		const edited = await filed(volunteer('staff:tcns-b'), changed, phone);
		await filed(volunteer('staff:tcns-c'), otherPhone, '0911999999');
		await filed(resident('device:stranger'), strangers, phone);
		// The contact's phone was edited after it was indexed: the index is only a hint.
		const cur = (await contacts.getMany([edited!.id])).get(edited!.id)!;
		await contacts.bulkPut([{ doc: { ...cur.doc, phone: '0911888888' }, rev: cur.rev }]);

		const { person } = await links.ensurePerson(T, phone, 'device:c1');
		const linked = await links.linkVerified(person);
		expect(linked.sort()).toEqual([own.id, naming.id].sort());
		const after = await reports.getMany([own.id, naming.id, changed.id, otherPhone.id, strangers.id]);
		expect(after.get(own.id)?.doc.personId).toBe(person.personId);
		// The phone in the villager's contact wins over an earlier link.
		expect(after.get(naming.id)?.doc.personId).toBe(person.personId);
		expect(after.get(changed.id)?.doc.personId).toBeUndefined();
		expect(after.get(otherPhone.id)?.doc.personId).toBeUndefined();
		expect(after.get(strangers.id)?.doc.personId).toBeUndefined();
	});

	it('a resident’s contact naming a verified phone links nothing, then or later', async () => {
		const phone = '0911000007';
		const { person } = await links.ensurePerson(T, phone, 'device:h1');
		const r = report('device:h2');
		await filed(resident('device:h2'), r, phone);
		expect((await reports.get(r.id))?.personId).toBeUndefined();
		expect(await links.linkVerified(person)).toEqual([]);
		expect((await reports.get(r.id))?.personId).toBeUndefined();
	});

	it('a device’s own report already claimed by someone’s phone stays theirs', async () => {
		const mine = report('device:d1', { personId: 'person:villager' });
		await filed(resident('device:d1'), mine);
		const { person } = await links.ensurePerson(T, '0911000004', 'device:d1');
		expect(await links.linkVerified(person)).toEqual([]);
		expect((await reports.get(mine.id))?.personId).toBe('person:villager');
	});

	it('a contact pushed after the phone was verified is claimed at once', async () => {
		const { person } = await links.ensurePerson(T, '0911000005', 'device:e1');
		const r = report('staff:tcns-lang-biang', { assistedBy: 'staff:tcns-lang-biang' });
		await filed(volunteer('staff:tcns-lang-biang'), r, '0911 000 005');
		expect((await reports.get(r.id))?.personId).toBe(person.personId);
	});

	it('keeps a concurrent writer’s change: a conflicting write reads the report again', async () => {
		const r = report('device:f1');
		await filed(resident('device:f1'), r);
		// Another writer (the re-derivation) updates the report between our read and our write, once.
		let raced = false;
		const racing: Store<Report> = {
			...reports,
			getMany: (ids) => reports.getMany(ids),
			bulkPut: async (rows) => {
				if (!raced && rows.some((x) => x.doc.id === r.id)) {
					raced = true;
					const cur = (await reports.getMany([r.id])).get(r.id)!;
					await reports.bulkPut([{ doc: { ...cur.doc, status: 'in_progress' }, rev: cur.rev }]);
				}
				return reports.bulkPut(rows);
			}
		};
		const racingLinks = createPersonLinks({
			reports: racing,
			contacts,
			people: storage.store<PersonDoc>('people'),
			index: storage.store<LinkBucket>('link-index')
		});
		const { person } = await racingLinks.ensurePerson(T, '0911000006', 'device:f1');
		expect(await racingLinks.linkVerified(person)).toEqual([r.id]);
		expect(raced).toBe(true);
		expect(await reports.get(r.id)).toMatchObject({ personId: person.personId, status: 'in_progress' });
	});

	it('indexes a retried push once', async () => {
		const r = report('device:g1');
		await filed(resident('device:g1'), r);
		await links.afterPush(resident('device:g1'), 'reports', [r]);
		const bucket = await storage.store<LinkBucket>('link-index').get(`author|${T}|device:g1`);
		expect(bucket?.entries).toEqual([{ reportId: r.id }]);
	});
});
