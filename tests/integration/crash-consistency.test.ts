/**
 * Crash consistency: residents' devices push reports and contacts, a handler pushes events, all at
 * once, while the server (its own process, as `npm start` runs it, LevelDB) is SIGKILLed at a random
 * moment and started again on the same data — several rounds. What a device was told is stored (the
 * push answered 200 and did not refuse it) must be there after every restart, with the tracking
 * code it was answered with; no tracking code is ever given twice; and a device that never heard
 * back and sends again (as the outbox does) gets its report stored once. Seeded: CRASH_SEED replays
 * the same batches and kill moments (the server's timing still varies from run to run).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../bench/support/server-process';
import type { PushResponse } from '$lib/domain/sync-protocol';
import { makeContact, makeEvent, makeReport, pullAll, STORAGE_MODE, type DocState, type Session } from './harness';
import { prng } from '../support/prng';

const SEED = process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);
const ROUNDS = 3;
const DEVICES = 4;

/** Whole numbers below `max`, seeded, so a failing run's batches and kill moments replay. */
function seededInts(seed: number) {
	const next = prng(seed);
	return (max: number) => Math.floor(next() * max);
}

/** A push over HTTP that may die with the server: null when no answer came. */
async function tryPush(base: string, token: string, collection: string, docs: object[]): Promise<PushResponse | null> {
	try {
		const res = await fetch(`${base}/api/sync/${collection}/push`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			body: JSON.stringify(docs.map((d) => ({ newDocumentState: d, assumedMasterState: null })))
		});
		const text = await res.text();
		if (res.status !== 200) return null;
		return JSON.parse(text) as PushResponse;
	} catch {
		return null;
	}
}

async function post<T>(base: string, route: string, body: unknown): Promise<T> {
	const res = await fetch(`${base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	if (res.status !== 200) throw new Error(`${route}: ${res.status} ${await res.text()}`);
	return (await res.json()) as T;
}

describe.skipIf(STORAGE_MODE === 'couch')('crash consistency (SIGKILL under load, LevelDB)', () => {
	let dataDir = '';
	let server: ServerProcess | null = null;
	afterAll(async () => {
		await server?.kill();
		if (dataDir) await rm(dataDir, { recursive: true, force: true });
	});

	it(`keeps every acknowledged report, contact and event across ${ROUNDS} kills, tracking codes unique`, { timeout: 90_000 }, async () => {
		console.log(`crash consistency: CRASH_SEED=${SEED}`);
		const rand = seededInts(SEED);
		dataDir = await mkdtemp(path.join(tmpdir(), 'caunoi-crash-'));
		const start = () => startServerProcess(dataDir, { LOG_LEVEL: 'silent', OVERDUE_CHECK_MS: '0' });
		server = await start();
		let base = server.url;

		const devices: Session[] = await Promise.all(
			Array.from({ length: DEVICES }, () => post<Session>(base, '/api/auth/device', { deviceId: randomUUID(), secret: randomBytes(32).toString('base64url') }))
		);
		const handler = await post<Session>(base, '/api/auth/login', { username: 'ubnd-lam-vien', password: 'demo1234' });
		const leader = await post<Session>(base, '/api/auth/login', { username: 'lanhdao', password: 'demo1234' });

		/** What the server acknowledged: report id -> tracking code; contact and event ids. */
		const acked = { reports: new Map<string, string>(), contacts: new Set<string>(), events: new Set<string>() };
		/** Reports sent without an answer, per device: the outbox sends them again after the restart. */
		const unanswered = new Map<Session, DocState[]>(devices.map((d) => [d, []]));
		let killed = false;
		/** Reports whose push the kill cut off: proof the server died under load, not between pushes. */
		let resent = 0;

		async function resident(d: Session) {
			while (!killed) {
				// A device between two reports: without a pause, 4 devices in a loop leave the handler no turn.
				await new Promise((r) => setTimeout(r, rand(60)));
				const reports = Array.from({ length: 1 + rand(4) }, (_, i) => makeReport(d.user.sub, { description: `Sự cố ${rand(1e6)} số ${i}` }));
				const answer = await tryPush(base, d.token, 'reports', reports);
				if (!answer) {
					unanswered.get(d)!.push(...reports);
					continue;
				}
				expect(answer.rejected).toEqual([]);
				for (const r of answer.conflicts as { id: string; trackingCode?: string }[]) {
					expect(r.trackingCode, 'an accepted report is answered with its tracking code').toBeTruthy();
					acked.reports.set(r.id, r.trackingCode!);
				}
				const contacts = reports.filter(() => rand(2) === 0).map((r) => makeContact(r, { name: `Người ${rand(1000)}` }));
				if (!contacts.length) continue;
				const c = await tryPush(base, d.token, 'contacts', contacts);
				if (c && !c.rejected.length) for (const x of contacts) acked.contacts.add(x.id);
			}
		}

		async function handling() {
			while (!killed) {
				const ids = [...acked.reports.keys()];
				if (!ids.length) {
					await new Promise((r) => setTimeout(r, 20));
					continue;
				}
				const events = Array.from({ length: 1 + rand(3) }, () =>
					makeEvent(handler, { id: ids[rand(ids.length)] }, rand(2) ? 'seen' : 'progress', { note: `Đang xử lý ${rand(1e6)}` })
				);
				const answer = await tryPush(base, handler.token, 'events', events);
				if (!answer) continue;
				expect(answer.rejected).toEqual([]);
				for (const e of events) acked.events.add(e.id);
			}
		}

		for (let round = 1; round <= ROUNDS; round++) {
			killed = false;
			const load = Promise.all([...devices.map(resident), handling()]);
			await new Promise((r) => setTimeout(r, 1500 + rand(2500)));
			await server.kill('SIGKILL');
			killed = true;
			await load;

			server = await start();
			base = server.url;
			// The outbox sends again what got no answer: each report stored once, with one tracking code.
			for (const d of devices) {
				const again = unanswered.get(d)!.splice(0);
				resent += again.length;
				for (let i = 0; i < again.length; i += 50) {
					const answer = await tryPush(base, d.token, 'reports', again.slice(i, i + 50));
					expect(answer, 'a resend after the restart is answered').not.toBeNull();
					expect(answer!.rejected).toEqual([]);
					for (const r of answer!.conflicts as { id: string; trackingCode?: string }[]) {
						const before = acked.reports.get(r.id);
						if (before) expect(r.trackingCode).toBe(before);
						acked.reports.set(r.id, r.trackingCode!);
					}
				}
			}

			const reports = (await pullAll(base, leader.token, 'reports')).docs as { id: string; trackingCode?: string }[];
			const byId = new Map(reports.map((r) => [r.id, r]));
			const lost = [...acked.reports.keys()].filter((id) => !byId.has(id));
			expect(lost, `round ${round}: acknowledged reports lost`).toEqual([]);
			const changed = [...acked.reports].filter(([id, code]) => byId.get(id)!.trackingCode !== code);
			expect(changed, `round ${round}: tracking codes changed`).toEqual([]);
			const codes = reports.map((r) => r.trackingCode);
			expect(codes.every(Boolean), `round ${round}: every stored report has a tracking code`).toBe(true);
			expect(new Set(codes).size, `round ${round}: no tracking code given twice`).toBe(codes.length);

			const contacts = new Set((await pullAll(base, handler.token, 'contacts')).docs.map((c) => c.id as string));
			expect([...acked.contacts].filter((id) => !contacts.has(id)), `round ${round}: acknowledged contacts lost`).toEqual([]);
			const events = (await pullAll(base, leader.token, 'events')).docs as { id: string; reportId: string; type: string }[];
			const eventIds = new Set(events.map((e) => e.id));
			expect([...acked.events].filter((id) => !eventIds.has(id)), `round ${round}: acknowledged events lost`).toEqual([]);
			// The server's own events of an acknowledged report (received) survive with it.
			const received = new Set(events.filter((e) => e.type === 'received').map((e) => e.reportId));
			expect([...acked.reports.keys()].filter((id) => !received.has(id)), `round ${round}: reports without their "received" event`).toEqual([]);
			console.log(
				`crash consistency round ${round}: ${acked.reports.size} reports, ${acked.contacts.size} contacts, ${acked.events.size} events acknowledged, all present; ${resent} reports sent again so far`
			);
		}
		expect(resent, 'the kills cut pushes in flight').toBeGreaterThan(0);
		expect(acked.reports.size).toBeGreaterThan(0);
		expect(acked.events.size).toBeGreaterThan(0);
	});
});
