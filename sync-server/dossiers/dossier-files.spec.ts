import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredApplication } from '$lib/domain/dossier-application';
import type { OfficeConfig } from '$lib/domain/office';
import type { Principal } from '$lib/domain/principal';
import { createDossierFiles, mayReadApplication, type DossierFile } from './dossier-files';

const offices = {
	offices: [
		{ id: 'lam-vien', unitIds: ['ubnd-lam-vien'] },
		{ id: 'cam-ly', unitIds: ['ubnd-cam-ly'] }
	]
} as unknown as OfficeConfig;
const app = { tenantId: 't', authorId: 'device:ana', personId: 'person:ana', officeId: 'lam-vien' } as StoredApplication;
const who = (p: Partial<Principal>): Principal => ({ sub: 'device:x', role: 'resident', tenantId: 't', unitIds: [], ...p });

describe('who reads an application’s files', () => {
	it('its author, the same verified person on another device, staff of its office, an admin', () => {
		expect(mayReadApplication(who({ sub: 'device:ana' }), app, offices)).toBe(true);
		expect(mayReadApplication(who({ sub: 'device:ana-2', personId: 'person:ana' }), app, offices)).toBe(true);
		expect(mayReadApplication(who({ sub: 'staff:lv', role: 'handler', unitIds: ['ubnd-lam-vien'] }), app, offices)).toBe(true);
		expect(mayReadApplication(who({ sub: 'staff:admin', role: 'admin' }), app, offices)).toBe(true);
	});

	it('nobody else: another resident, staff of another office, a volunteer of the unit, the author in another province', () => {
		expect(mayReadApplication(who({ sub: 'device:binh', personId: 'person:binh' }), app, offices)).toBe(false);
		expect(mayReadApplication(who({ sub: 'staff:cl', role: 'handler', unitIds: ['ubnd-cam-ly'] }), app, offices)).toBe(false);
		expect(mayReadApplication(who({ sub: 'staff:v', role: 'volunteer', unitIds: ['ubnd-lam-vien'] }), app, offices)).toBe(false);
		expect(mayReadApplication(who({ sub: 'device:ana', tenantId: 'other' }), app, offices)).toBe(false);
		// An office removed by an admin since: only admins still act for it.
		expect(mayReadApplication(who({ sub: 'staff:lv', role: 'handler', unitIds: ['ubnd-lam-vien'] }), { ...app, officeId: 'gone' }, offices)).toBe(false);
	});
});

describe('fileStatuses', () => {
	it('says waiting for a file that has not arrived, and ready or rejected with its type and size once checked', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'dossier-files-'));
		const stored = new Map<string, DossierFile>([
			['a', { id: 'a', status: 'ready', mime: 'application/pdf', bytes: 1200 } as DossierFile],
			['b', { id: 'b', status: 'rejected', error: 'file_not_document' } as DossierFile]
		]);
		const files = createDossierFiles({
			dataDir: join(dir, 'files'),
			authenticate: async () => who({}),
			getApplication: async () => null,
			getFile: async (id) => stored.get(id) ?? null,
			getFiles: async (ids) => new Map(ids.flatMap((id) => (stored.has(id) ? [[id, stored.get(id)!] as const] : []))),
			saveFile: async () => undefined,
			claims: { holder: async () => null, claimAll: async () => ({ taken: [] }) },
			offices: () => offices
		});
		try {
			expect(await files.fileStatuses(['a', 'b', 'c'])).toEqual({
				a: { status: 'ready', mime: 'application/pdf', bytes: 1200 },
				b: { status: 'rejected' },
				c: { status: 'waiting' }
			});
		} finally {
			await files.close();
			await rm(dir, { recursive: true, force: true });
		}
	});
});
