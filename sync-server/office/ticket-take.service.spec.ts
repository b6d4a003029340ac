import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { TenantConfig } from '$lib/domain/tenant';
import { alwaysOpenTenantDir } from '../../tests/support/office-tenant';
import { openTempStorage } from '../../tests/support/temp-storage';
import type { Storage } from '../storage/storage';
import { loadTenant } from '../tenant/tenant-loader';
import type { OfficeSettings } from './office-settings';
import { createTicketTake, type TakeInput, type TicketTake } from './ticket-take.service';

/**
 * The limits under a rush: many takes at once share the reads of their places (read-together.ts),
 * and each person's daily limit and each slot's capacity must still be exact.
 */

const OFFICE = 'lam-vien';
const BIRTH = 'dang-ky-khai-sinh';
let tenantDir: string;
let storage: Storage;
let take: TicketTake;

const input = (holderId: string, extra: Partial<TakeInput> = {}): TakeInput => ({
	ticketId: uuidv7(),
	officeId: OFFICE,
	serviceId: BIRTH,
	channel: 'app',
	holderId,
	address: '10.0.0.1',
	...extra
});

/** The error codes of the refused takes, and how many passed. */
async function rush(inputs: TakeInput[]): Promise<{ passed: TakeInput[]; refused: string[] }> {
	const results = await Promise.allSettled(inputs.map((i) => take.take(i)));
	return {
		passed: inputs.filter((_, k) => results[k].status === 'fulfilled'),
		refused: results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: string }).code ?? String(r.reason)] : []))
	};
}

beforeAll(async () => {
	tenantDir = alwaysOpenTenantDir(OFFICE);
	const tenant: TenantConfig = (await loadTenant(tenantDir)).config;
	storage = await openTempStorage('ticket-take');
	const settings = { current: () => tenant.office } as unknown as OfficeSettings;
	take = createTicketTake({ tenant, settings, storage, now: () => new Date('2026-12-07T02:00:00Z') });
});

afterAll(async () => {
	await storage?.close();
	rmSync(tenantDir, { recursive: true, force: true });
});

describe('taking numbers at once', () => {
	it('gives one person exactly their daily limit (3) of 6 asked at once, amid 40 others', async () => {
		const others = Array.from({ length: 40 }, (_, i) => input(`device:other-${i}`));
		const mine = Array.from({ length: 6 }, () => input('device:eager'));
		// Interleaved, as requests arrive.
		const all = [...others.slice(0, 20), ...mine.slice(0, 3), ...others.slice(20), ...mine.slice(3)];
		const { passed, refused } = await rush(all);
		expect(passed.filter((i) => i.holderId === 'device:eager')).toHaveLength(3);
		expect(passed.filter((i) => i.holderId !== 'device:eager')).toHaveLength(40);
		expect(refused).toEqual(['ticket_limit', 'ticket_limit', 'ticket_limit']);
		// The three refused hold nothing: a fourth later is still refused, not let in by a freed place.
		await expect(take.take(input('device:eager'))).rejects.toMatchObject({ code: 'ticket_limit' });
	});

	it('fills a slot to its capacity (6) and no further when 10 book it at once', async () => {
		const slotFrom = '2026-12-08T00:30:00.000Z';
		const { passed, refused } = await rush(Array.from({ length: 10 }, (_, i) => input(`device:booker-${i}`, { slotFrom })));
		expect(passed).toHaveLength(6);
		expect(refused).toEqual(['slot_full', 'slot_full', 'slot_full', 'slot_full']);
	});

	it('keeps a slot to its capacity when requests arrive in the reverse order of their ids (a phone with an older id, on a slower link)', async () => {
		const slotFrom = '2026-12-08T01:00:00.000Z';
		const inputs = Array.from({ length: 8 }, (_, i) => input(`device:late-${i}`, { slotFrom }));
		const codes: string[] = [];
		// One after another, the newest id first: the older ids come when the slot is already full.
		for (const i of inputs.reverse()) codes.push(await take.take(i).then(() => 'ok', (e: { code?: string }) => e.code ?? String(e)));
		expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'slot_full', 'slot_full']);
	});

	it('gives a cancelled ticket’s places back: the person may take another, and the slot has room again', async () => {
		const slotFrom = '2026-12-08T01:30:00.000Z';
		const mine = Array.from({ length: 3 }, () => input('device:changes-mind', { slotFrom }));
		const taken = [];
		for (const i of mine) taken.push(await take.take(i));
		for (let i = 0; i < 3; i++) await take.take(input(`device:fills-${i}`, { slotFrom }));
		await expect(take.take(input('device:changes-mind', { slotFrom }))).rejects.toMatchObject({ code: 'ticket_limit' });
		await expect(take.take(input('device:one-more', { slotFrom }))).rejects.toMatchObject({ code: 'slot_full' });
		await take.release(taken[1]);
		// The freed place is taken again (a place once given back can be held anew), once.
		await expect(take.take(input('device:changes-mind', { slotFrom }))).resolves.toMatchObject({ slot: { from: slotFrom } });
		await expect(take.take(input('device:one-more', { slotFrom }))).rejects.toMatchObject({ code: 'slot_full' });
	});

	it('answers a retried request with its first ticket, even when sent again at once', async () => {
		const first = input('device:retry');
		const [a, b] = await Promise.all([take.take(first), take.take({ ...first })]);
		expect(b.id).toBe(a.id);
		expect(b.number).toBe(a.number);
		await expect(take.take({ ...first, holderId: 'device:thief' })).rejects.toMatchObject({ code: 'not_owner' });
	});
});
