import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { Media } from '$lib/domain/media';
import type { Report } from '$lib/domain/report';
import type { Storage } from '../storage/storage';
import { openTempStorage } from '../../tests/support/temp-storage';
import { createPhotoClaims, photoBelongs, type PhotoClaim } from './photo-claims';

/** Photo-id claims over the real storage (LevelDB in a temp dir). */
let storage: Storage;
beforeEach(async () => {
	storage = await openTempStorage('photo-claims');
});
afterEach(() => storage.close());

const claims = () => createPhotoClaims({ claims: storage.store<PhotoClaim>('photo-claims'), media: storage.store<Media>('media') });
const report = (authorId: string, photoIds: string[]) => ({ id: uuidv7(), authorId, photoIds });

describe('photo claims', () => {
	it('gives a photo id to the first report that lists it; a retry of that report keeps it, another report is refused', async () => {
		const c = claims();
		const p = uuidv7();
		const mine = report('device:ana', [p]);
		expect(await c.claimForReports([mine])).toEqual(new Set());
		expect(await c.claimForReports([mine])).toEqual(new Set());
		const theirs = report('device:binh', [p]);
		expect(await c.claimForReports([theirs])).toEqual(new Set([theirs.id]));
	});

	it('refuses a report all or nothing, releasing the photos it claimed in that call', async () => {
		const c = claims();
		const [free, taken] = [uuidv7(), uuidv7()];
		await c.claimForReports([report('device:ana', [taken])]);
		const partial = report('device:binh', [free, taken]);
		expect(await c.claimForReports([partial])).toEqual(new Set([partial.id]));
		// The free photo was not kept for the refused report: someone may still list it.
		expect(await c.get(free)).toBeNull();
		expect(await c.claimForReports([report('device:chi', [free])])).toEqual(new Set());
	});

	it('lets only the first of two documents of one batch have a photo both list', async () => {
		const p = uuidv7();
		const [a, b] = [report('device:ana', [p]), report('device:ana', [p])];
		expect(await claims().claimForReports([a, b])).toEqual(new Set([b.id]));
	});

	it('counts a photo stored before claims existed as held by what it was uploaded for', async () => {
		const p = uuidv7();
		const owner = report('device:ana', [p]);
		await storage.store<Media>('media').bulkPut([
			{ doc: { id: p, reportId: owner.id, tenantId: 'lam-dong', authorId: 'device:ana', status: 'ready', createdAt: new Date().toISOString(), _deleted: false } }
		]);
		const c = claims();
		const other = report('device:binh', [p]);
		expect(await c.claimForReports([other])).toEqual(new Set([other.id]));
		expect(await c.claimForReports([owner])).toEqual(new Set());
	});

	it('keeps a step photo reserved by its upload for that step only', async () => {
		const c = claims();
		const p = uuidv7();
		const reportId = uuidv7();
		const step = { id: uuidv7(), reportId, actorId: 'staff:h1', photoIds: [p] };
		expect(await c.claim([{ id: p, reportId, eventId: step.id, ownerId: 'staff:h1' }])).toEqual(['created']);
		expect(await c.claimForEvents([step])).toEqual(new Set());
		const other = { ...step, id: uuidv7() };
		expect(await c.claimForEvents([other])).toEqual(new Set([other.id]));
	});
});

describe('photoBelongs', () => {
	const media = (over: Partial<Media>): Media =>
		({ id: uuidv7(), reportId: 'r1', tenantId: 'lam-dong', authorId: 'device:ana', status: 'ready', createdAt: '', _deleted: false, ...over }) as Media;
	const deps = (r: Partial<Report> | null, claim: PhotoClaim | null = null) => ({
		getReport: async () => (r ? ({ id: 'r1', authorId: 'device:ana', photoIds: [], ...r } as Report) : null),
		getEvent: async () => null,
		getClaim: async () => claim
	});

	it('is true only for a photo its report lists, uploaded by the report’s author, and not claimed by anything else', async () => {
		const m = media({});
		expect(await photoBelongs(m, deps({ photoIds: [m.id] }))).toBe(true);
		expect(await photoBelongs(m, deps({ photoIds: [] }))).toBe(false);
		expect(await photoBelongs(media({ id: m.id, authorId: 'device:stranger' }), deps({ photoIds: [m.id] }))).toBe(false);
		expect(await photoBelongs(m, deps({ photoIds: [m.id] }, { id: m.id, reportId: 'r2', ownerId: 'device:ana' }))).toBe(false);
		expect(await photoBelongs(m, deps(null))).toBe(false);
	});
});
