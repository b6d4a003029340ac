/**
 * The operations centre's one-stop office and dossier figures (issue 15) after a scripted morning at
 * the office, against values computed by hand (a fake clock): three numbers taken, one served and
 * rated, one a no-show, one still waiting; two dossiers, one finished on time, one open past due.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { IocAnswer, IocWarning } from '$lib/domain/ioc';
import { call, deviceSession, fileReport, login, startServer, type Session, type TestServer } from './harness';

let clock = new Date('2026-12-07T02:00:00Z'); // Monday 09:00 local
const at = (iso: string) => (clock = new Date(iso));
const MIN = 60_000;

let srv: TestServer;
let staff: Session;
let leader: Session;
let admin: Session;
const OFFICE = 'lam-vien';
const BIRTH = 'dang-ky-khai-sinh'; // counter quay-1

const counterUrl = (rest: string) => `${srv.url}/api/office/offices/${OFFICE}/counters/quay-1/${rest}`;
const DAY = 'period=custom&from=2026-12-07&to=2026-12-07';

beforeAll(async () => {
	srv = await startServer({ now: () => clock, ticketRateLimit: 10_000, iocWarningsMs: 50 });
	[staff, leader, admin] = await Promise.all([login(srv.url, 'ubnd-lam-vien'), login(srv.url, 'lanhdao'), login(srv.url, 'admin')]);

	// 09:00 three residents take a number.
	const people = await Promise.all([0, 1, 2].map(() => deviceSession(srv.url)));
	const tickets: string[] = [];
	for (const p of people) {
		const r = await call<{ ticket: { id: string } }>(`${srv.url}/api/office/tickets`, { token: p.token, body: { ticketId: uuidv7(), officeId: OFFICE, serviceId: BIRTH } });
		expect(r.status).toBe(201);
		tickets.push(r.body.ticket.id);
	}
	expect((await call(counterUrl('session'), { token: staff.token, body: {} })).status).toBe(200);
	at('2026-12-07T02:10:00Z'); // 09:10 the first is called (waited 10 min), served until 09:25, rates it satisfied
	await call(counterUrl('call-next'), { token: staff.token, body: {} });
	at('2026-12-07T02:25:00Z');
	await call(counterUrl(`tickets/${tickets[0]}/finish`), { token: staff.token, body: {} });
	expect((await call(`${srv.url}/api/office/tickets/${tickets[0]}/rating`, { token: people[0].token, body: { level: 'satisfied' } })).status).toBe(200);
	at('2026-12-07T02:40:00Z'); // 09:40 the second is called (waited 40 min) and does not come
	await call(counterUrl('call-next'), { token: staff.token, body: {} });
	expect((await call<{ ticket: { status: string } }>(counterUrl(`tickets/${tickets[1]}/skip`), { token: staff.token, body: {} })).body.ticket.status).toBe('no_show');

	// Two dossiers received at 09:00 today: one with its result the next day (due in 5 working days), one
	// received a month ago, still processing, past due.
	const dossier = (code: string, receivedAt: string, steps: { at: string; status: string }[]) => ({
		code,
		procedureCode: '1.001193',
		applicantName: 'Nguyễn Thị Lan',
		receivedAt,
		dueAt: new Date(Date.parse(receivedAt) + 5 * 86_400_000).toISOString(),
		status: steps.at(-1)!.status,
		steps
	});
	const imported = await call<{ imported: number }>(`${srv.url}/api/dossiers/import`, {
		token: admin.token,
		body: {
			dossiers: [
				dossier('H38-261207-0001', '2026-12-07T09:00:00+07:00', [
					{ at: '2026-12-07T09:00:00+07:00', status: 'submitted' },
					{ at: '2026-12-08T09:00:00+07:00', status: 'result_ready' }
				]),
				dossier('H38-261120-0002', '2026-11-20T09:00:00+07:00', [
					{ at: '2026-11-20T09:00:00+07:00', status: 'submitted' },
					{ at: '2026-11-21T09:00:00+07:00', status: 'processing' }
				])
			]
		}
	});
	expect(imported.body.imported).toBe(2);
}, 60_000);
afterAll(() => srv?.close());

async function settled(query: string, ok: (a: IocAnswer) => boolean): Promise<IocAnswer> {
	const until = Date.now() + 10_000;
	for (;;) {
		const a = await call<IocAnswer>(`${srv.url}/api/ioc/figures?${query}`, { token: leader.token });
		expect([a.status, a.body]).toMatchObject([200, {}]);
		if (ok(a.body) || Date.now() > until) return a.body;
		await new Promise((r) => setTimeout(r, 50));
	}
}

describe('operations centre: the one-stop office and dossiers', () => {
	it('counts tickets taken, served, no-shows and waiting, the waits and the ratings, per office, counter and official', async () => {
		const a = await settled(DAY, (x) => x.office.totals.taken === 3 && x.office.totals.noShow === 1 && x.office.totals.rated === 1);
		expect(a.office.totals).toMatchObject({ taken: 3, online: 3, atOffice: 0, served: 1, noShow: 1, cancelled: 0, waiting: 1, rated: 1, satisfied: 1, verySatisfied: 0, unsatisfied: 0 });
		// Waits: 10 and 40 minutes (the third not called yet) → p50 10 min, p90 40 min; one service of 15 min.
		expect(a.office.totals.wait.n).toBe(2);
		expect(Math.abs(a.office.totals.wait.p50Ms! - 10 * MIN) / (10 * MIN)).toBeLessThan(0.05);
		expect(Math.abs(a.office.totals.wait.p90Ms! - 40 * MIN) / (40 * MIN)).toBeLessThan(0.05);
		expect(a.office.totals.service.n).toBe(1);
		expect(a.office.byOffice.map((r) => [r.key, r.figures.taken])).toEqual([[OFFICE, 3]]);
		expect(a.office.byCounter.map((r) => [r.key, r.figures.taken])).toEqual([[`${OFFICE}/quay-1`, 2]]);
		expect(a.office.byOfficial.map((r) => [r.key, r.figures.served, r.figures.noShow])).toEqual([['staff:ubnd-lam-vien', 1, 1]]);
		// The day before had none: the trend's baseline.
		expect(a.office.previousTotals.taken).toBe(0);
		// Another commune's offices: none of it.
		expect((await settled(`${DAY}&ward=24703`, () => true)).office.totals.taken).toBe(0);
	});

	it('counts dossiers received, finished on time, and open past due', async () => {
		const today = await settled(DAY, (x) => x.dossiers.totals.received === 1);
		expect(today.dossiers.totals).toMatchObject({ received: 1, finished: 1, onTime: 1, late: 0, overdue: 0 });
		expect(today.dossiers.totals.processing.n).toBe(1);
		expect(today.dossiers.byProcedure.map((r) => [r.key, r.figures.received])).toEqual([['1.001193', 1]]);
		const month = await settled('period=month', (x) => x.dossiers.totals.received === 2);
		expect(month.dossiers.totals).toMatchObject({ received: 2, finished: 1, onTime: 1, overdue: 1 });
		expect(month.dossiers.byOffice).toEqual([{ key: '', figures: month.dossiers.totals }]);
	});

	it('exports the officials’ table as CSV with the BOM', async () => {
		const res = await fetch(`${srv.url}/api/ioc/export.csv?table=officials&${DAY}`, { headers: { authorization: `Bearer ${leader.token}` } });
		const bytes = new Uint8Array(await res.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(bytes);
		expect(text).toContain('staff:ubnd-lam-vien,2,2,0,1,1,0,0');
		const rebuilt = await call<{ tickets: number; dossiers: number }>(`${srv.url}/api/ioc/rebuild`, { method: 'POST', token: admin.token });
		expect(rebuilt.body).toMatchObject({ tickets: 3, dossiers: 2 });
	});
});

describe('operations centre warnings', () => {
	const warnings = (s: Session, open = false) => call<{ warnings: IocWarning[] }>(`${srv.url}/api/ioc/warnings${open ? '?open=1' : ''}`, { token: s.token });
	async function raised(s: Session, match: (w: IocWarning) => boolean): Promise<IocWarning> {
		const until = Date.now() + 10_000;
		for (;;) {
			const found = (await warnings(s)).body.warnings?.find(match);
			if (found) return found;
			if (Date.now() > until) throw new Error('no such warning within 10 s');
			await new Promise((r) => setTimeout(r, 50));
		}
	}

	it('warns of a queue whose longest wait passes the tenant’s limit, once, to its office’s units; acknowledged once', async () => {
		at('2026-12-07T03:05:00Z'); // 10:05: the third ticket has waited 65 minutes (limit 60)
		const w = await raised(leader, (x) => x.type === 'queue_wait');
		expect(w).toMatchObject({ id: `queue|${OFFICE}|2026-12-07`, officeId: OFFICE, unitIds: ['ubnd-lam-vien'] });
		expect(w.value).toBeGreaterThanOrEqual(65);
		// The head of the office's unit sees it; another commune's official (not its unit's head) sees no
		// warning at all, and may acknowledge none; a resident may not ask.
		expect((await warnings(staff)).body.warnings.map((x) => x.id)).toContain(w.id);
		const other = await login(srv.url, 'ubnd-xuan-huong');
		expect((await warnings(other)).status).toBe(403);
		expect((await warnings((await deviceSession(srv.url)) as unknown as Session)).status).toBe(403);
		expect((await call(`${srv.url}/api/ioc/warnings/${encodeURIComponent(w.id)}/ack`, { token: other.token, body: {} })).status).toBe(403);
		// Acknowledged by the head of the office's unit: once; the list of open ones no longer has it.
		const ack = await call<IocWarning>(`${srv.url}/api/ioc/warnings/${encodeURIComponent(w.id)}/ack`, { token: staff.token, body: {} });
		expect(ack.body.acknowledged).toMatchObject({ by: 'staff:ubnd-lam-vien' });
		const again = await call<IocWarning>(`${srv.url}/api/ioc/warnings/${encodeURIComponent(w.id)}/ack`, { token: leader.token, body: {} });
		expect(again.body.acknowledged).toEqual(ack.body.acknowledged);
		const until = Date.now() + 5_000;
		while ((await warnings(leader, true)).body.warnings.some((x) => x.id === w.id) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
		expect((await warnings(leader, true)).body.warnings.map((x) => x.id)).not.toContain(w.id);
		// The check goes on: still one warning of this queue today.
		await new Promise((r) => setTimeout(r, 300));
		expect((await warnings(leader)).body.warnings.filter((x) => x.type === 'queue_wait')).toHaveLength(1);
	});

	it('warns of a spike: a category in a commune well above its own daily average', async () => {
		const ana = await deviceSession(srv.url);
		for (let i = 0; i < 5; i++) await fileReport(srv.url, ana, { categoryCode: 'environment' });
		const w = await raised(leader, (x) => x.type === 'spike');
		expect(w).toMatchObject({ id: 'spike|24778|environment|2026-12-07', wardCode: '24778', categoryCode: 'environment', value: 5, baseline: 0 });
		expect(w.unitIds.length).toBeGreaterThan(0);
	});
});
