import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { ReportEvent } from '$lib/domain/event';
import type { Report } from '$lib/domain/report';
import type { TenantConfig } from '$lib/domain/tenant';
import { createReportIntake } from '../reports/report-intake.service';
import type { TrackingClaim } from '../reports/tracking-code';
import { buildDemoTenant } from '../seed/demo-tenant';
import type { Storage, Store, StoredDoc } from '../storage/storage';
import { openTempStorage } from '../../tests/support/temp-storage';
import { storedReport } from '../../tests/support/documents';
import { createScopeIndex, entryId, stateId, type ReportState, type ScopeIndex } from './scope-index';

/** The scope index over the real storage (LevelDB in a temp dir). */
let storage: Storage;
const indexes: ScopeIndex[] = [];

beforeEach(async () => {
	storage = await openTempStorage('scope-index');
});

afterEach(async () => {
	await Promise.all(indexes.splice(0).map((i) => i.stop()));
	await storage.close();
});

const reports = () => storage.store<Report>('reports');
const events = () => storage.store<ReportEvent>('events');
const indexStore = () => storage.store<StoredDoc>('scope-index');

function newIndex(batchSize?: number): ScopeIndex {
	const i = createScopeIndex({
		index: indexStore(),
		stores: {
			reports: reports(),
			contacts: storage.store('contacts'),
			events: storage.store('events'),
			media: storage.store('media')
		},
		batchSize
	});
	indexes.push(i);
	return i;
}

const report = (units: string[], extra: Partial<Report> = {}) => storedReport('device:ana', { assignedUnitIds: units, ...extra });

function event(r: Report, extra: Partial<ReportEvent> = {}): ReportEvent {
	const at = new Date().toISOString();
	return { id: uuidv7(), reportId: r.id, tenantId: r.tenantId, type: 'seen', actorId: 'h', actorRole: 'handler', at, serverAt: at, _deleted: false, ...extra };
}

async function put<T extends StoredDoc>(store: Store<T>, docs: T[]) {
	const res = await store.bulkPut(docs.map((doc) => ({ doc })));
	expect(res.every((r) => r.ok)).toBe(true);
}

/** Updates a stored report (at its current revision). */
async function update(r: Report, change: Partial<Report>): Promise<Report> {
	const cur = (await reports().getMany([r.id])).get(r.id)!;
	const doc = { ...cur.doc, ...change };
	const [res] = await reports().bulkPut([{ doc, rev: cur.rev }]);
	expect(res.ok).toBe(true);
	return doc;
}

const unit = (u: string) => `unit:lam-dong:${u}`;
const under = async (i: ScopeIndex, keys: string[]) => (await i.reportIdsUnder(keys, null, 1000)).ids;
const entriesOf = async (reportId: string) => {
	const st = await indexStore().get(stateId(reportId));
	return (st as ReportState | null)?.keys ?? null;
};

describe('scope index: reports', () => {
	it('indexes a report under its units, its author and its verified person, not its tenant', async () => {
		const r = report(['ubnd-lam-vien', 'environment'], { personId: 'person:p1' });
		await put(reports(), [r]);
		const i = newIndex();
		await i.catchUp();
		expect(await under(i, [unit('ubnd-lam-vien')])).toEqual([r.id]);
		expect(await under(i, [unit('environment')])).toEqual([r.id]);
		expect(await under(i, ['author:lam-dong:device:ana'])).toEqual([r.id]);
		expect(await under(i, ['person:lam-dong:person:p1'])).toEqual([r.id]);
		expect(await under(i, [unit('police')])).toEqual([]);
		expect(await indexStore().get(entryId('tenant:lam-dong', r.id))).toBeNull();
	});

	it('moves a transferred report from the old unit to the new one, and forgets a deleted one', async () => {
		const r = report(['ubnd-lam-vien']);
		const other = report(['ubnd-lam-vien']);
		await put(reports(), [r, other]);
		const i = newIndex();
		await i.catchUp();
		const moved = await update(r, { assignedUnitIds: ['police'] });
		await i.catchUp();
		expect(await under(i, [unit('ubnd-lam-vien')])).toEqual([other.id]);
		expect(await under(i, [unit('police')])).toEqual([r.id]);
		expect(await indexStore().get(entryId(unit('ubnd-lam-vien'), r.id))).toBeNull();

		await update(moved, { _deleted: true });
		await i.catchUp();
		expect(await under(i, [unit('police')])).toEqual([]);
		expect(await under(i, ['author:lam-dong:device:ana'])).toEqual([other.id]);
		expect(await entriesOf(r.id)).toEqual([]);
	});

	it('leaves the index alone when a report changes without changing scope', async () => {
		const r = report(['ubnd-lam-vien']);
		await put(reports(), [r]);
		const i = newIndex();
		await i.catchUp();
		const before = (await indexStore().getMany([stateId(r.id), entryId(unit('ubnd-lam-vien'), r.id)])) as Map<string, { rev: string }>;
		await update(r, { status: 'in_progress', seenByUnitIds: ['ubnd-lam-vien'] });
		await i.catchUp();
		const after = (await indexStore().getMany([stateId(r.id), entryId(unit('ubnd-lam-vien'), r.id)])) as Map<string, { rev: string }>;
		expect([...after.values()].map((v) => v.rev)).toEqual([...before.values()].map((v) => v.rev));
	});

	it('skips an older state of a report than the one it recorded (another instance got further)', async () => {
		const r = report(['ubnd-lam-vien']);
		await put(reports(), [r]);
		const i = newIndex();
		await i.catchUp();
		// As if another instance had recorded generation 99 of this report.
		const st = (await indexStore().getMany([stateId(r.id)])).get(stateId(r.id))!;
		await indexStore().bulkPut([{ doc: { ...st.doc, rev: '99-x' }, rev: st.rev }]);
		await update(r, { assignedUnitIds: ['police'] });
		await i.catchUp();
		expect(await under(i, [unit('ubnd-lam-vien')])).toEqual([r.id]);
		expect(await under(i, [unit('police')])).toEqual([]);
	});

	it('pages the reports of several keys in id order, each report once', async () => {
		const rs = Array.from({ length: 7 }, (_, k) => report(k % 3 === 0 ? ['ubnd-lam-vien', 'environment'] : k % 3 === 1 ? ['environment'] : ['police']));
		await put(reports(), rs);
		const i = newIndex();
		await i.catchUp();
		const keys = [unit('ubnd-lam-vien'), unit('environment')];
		const expected = rs.filter((_, k) => k % 3 !== 2).map((r) => r.id).sort();
		const got: string[] = [];
		let after: string | null = null;
		for (;;) {
			const page = await i.reportIdsUnder(keys, after, 2);
			got.push(...page.ids);
			if (page.done) break;
			after = page.ids[page.ids.length - 1];
		}
		expect(got).toEqual(expected);
	});

	it('goes on from its checkpoints after a restart, reading only what changed since', async () => {
		const first = Array.from({ length: 30 }, () => report(['ubnd-lam-vien']));
		await put(reports(), first);
		const a = newIndex(10);
		await a.catchUp();
		await a.stop();
		const later = report(['police']);
		await put(reports(), [later]);
		await update(first[0], { assignedUnitIds: ['police'] });

		const b = newIndex(10);
		await b.catchUp();
		expect(b.applied().reports).toBe(2);
		expect(await under(b, [unit('police')])).toEqual([first[0].id, later.id].sort());
		expect(await under(b, [unit('ubnd-lam-vien')])).toHaveLength(29);
	});

	it('converges when two instances index the same database while reports move', async () => {
		const rs = Array.from({ length: 40 }, () => report(['ubnd-lam-vien']));
		await put(reports(), rs);
		const [a, b] = [newIndex(7), newIndex(5)];
		let current = rs;
		const moves = (async () => {
			for (let round = 0; round < 3; round++) {
				current = await Promise.all(current.map((r, k) => update(r, { assignedUnitIds: [(k + round) % 2 ? 'police' : 'environment'] })));
				await new Promise((r) => setTimeout(r, 5));
			}
		})();
		await Promise.all([a.catchUp(), b.catchUp(), moves, a.catchUp(), b.catchUp()]);
		await Promise.all([a.catchUp(), b.catchUp()]);
		const byUnit = (u: string) => current.filter((r) => r.assignedUnitIds![0] === u).map((r) => r.id).sort();
		expect(await under(a, [unit('police')])).toEqual(byUnit('police'));
		expect(await under(a, [unit('environment')])).toEqual(byUnit('environment'));
		expect(await under(a, [unit('ubnd-lam-vien')])).toEqual([]);
	});
});

describe('scope index: contacts, events, media', () => {
	it('lists a report’s children, drops a deleted one, and keeps a contact that came before its report', async () => {
		const r = report(['ubnd-lam-vien']);
		const contact = { id: uuidv7(), reportId: r.id, tenantId: 'lam-dong', authorId: 'device:ana', phone: '0912345678', _deleted: false };
		await put(storage.store('contacts'), [contact]);
		const i = newIndex();
		await i.catchUp();
		await put(reports(), [r]);
		const [e1, e2] = [event(r), event(r)];
		await put(events(), [e1, e2]);
		const photo = { id: uuidv7(), reportId: r.id, tenantId: 'lam-dong', authorId: 'device:ana', status: 'ready', createdAt: e1.at, _deleted: false };
		await put(storage.store('media'), [photo]);
		expect((await i.childIds('events', [r.id])).get(r.id)).toEqual([e1.id, e2.id].sort());
		expect((await i.childIds('media', [r.id])).get(r.id)).toEqual([photo.id]);
		await i.catchUp();
		expect((await i.childIds('contacts', [r.id])).get(r.id)).toEqual([contact.id]);
		expect(await under(i, [unit('ubnd-lam-vien')])).toEqual([r.id]);

		const stored = (await events().getMany([e1.id])).get(e1.id)!;
		await events().bulkPut([{ doc: { ...stored.doc, _deleted: true }, rev: stored.rev }]);
		expect((await i.childIds('events', [r.id])).get(r.id)).toEqual([e2.id]);
	});
});

describe('eventsOf through the index', () => {
	let config: TenantConfig;
	beforeEach(async () => {
		config ??= await buildDemoTenant();
	});

	/** The events store, counting the change rows anyone reads from its feed. */
	function countingEvents() {
		const store = events();
		let rows = 0;
		const counted: Store<ReportEvent> = Object.create(store);
		counted.changes = async (opts) => {
			const page = await store.changes(opts);
			rows += page.results.length;
			return page;
		};
		return { store: counted, rows: () => rows };
	}

	it('reads the events of a report without reading the events feed, however long it is', async () => {
		const counting = countingEvents();
		const i = createScopeIndex({
			index: indexStore(),
			stores: { reports: reports(), contacts: storage.store('contacts'), events: counting.store, media: storage.store('media') }
		});
		indexes.push(i);
		const deps = { config, reports: reports(), events: counting.store, claims: storage.store<TrackingClaim>('tracking-codes') };
		const indexed = createReportIntake({ ...deps, index: i });
		const scanning = createReportIntake(deps);

		const r = report(['ubnd-lam-vien']);
		await put(reports(), [r]);
		const others = Array.from({ length: 20 }, () => report(['police']));
		await put(reports(), others);
		await put(events(), others.flatMap((o) => Array.from({ length: 100 }, () => event(o))));
		const mine = [event(r), event(r), event(r)];
		await put(events(), mine);
		await i.catchUp();

		const before = counting.rows();
		const got = (await indexed.eventsOf([r.id])).get(r.id)!;
		expect(got.map((e) => e.id)).toEqual(mine.map((e) => e.id).sort());
		expect(counting.rows() - before).toBe(0);

		// A new event is seen at once: the index catches up with what was written since (one row).
		const late = event(r);
		await put(events(), [late]);
		const mid = counting.rows();
		expect((await indexed.eventsOf([r.id])).get(r.id)).toHaveLength(4);
		expect(counting.rows() - mid).toBe(1);

		// Without the index: the whole feed, every time.
		const scanStart = counting.rows();
		expect((await scanning.eventsOf([r.id])).get(r.id)).toHaveLength(4);
		expect(counting.rows() - scanStart).toBeGreaterThanOrEqual(2004);
	});
});
