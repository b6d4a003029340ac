/**
 * Every role × action × scope against the real server: who may append which event to a report,
 * and the code everyone else gets. The expected table is written out by hand (not computed from
 * the state machine), so a rule that changes by accident fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { Report } from '$lib/domain/report';
import { fileReport, makeEvent, push, reportAs, signIn, startServer, type Session, type TestServer } from './harness';

let srv: TestServer;
const who: Record<string, Session> = {};

/** Reports by makeReport route to the ward committee and the environment unit (see harness). */
const ROLES = ['author', 'otherResident', 'assignedHandler', 'otherHandler', 'leader', 'admin'] as const;
type Role = (typeof ROLES)[number];

const ACTIONS = [
	'seen',
	'accepted',
	'progress',
	'info_requested',
	'resolved',
	'rejected_invalid',
	'transferred',
	'directive',
	'info_provided',
	'feedback',
	'received',
	'assigned',
	'reopened',
	'overdue'
] as const;
type Action = (typeof ACTIONS)[number];

const HANDLING: Action[] = ['seen', 'accepted', 'progress', 'info_requested', 'resolved', 'rejected_invalid', 'transferred'];

/** On a fresh report (status "assigned"): 'ok' or the refusal's code. */
const expected: Record<Role, Partial<Record<Action, string>>> = {
	author: {
		// Nothing was asked and nothing is resolved yet: the resident's two actions wait for their moment.
		info_provided: 'transition_forbidden',
		feedback: 'transition_forbidden'
	},
	otherResident: {},
	assignedHandler: Object.fromEntries(HANDLING.map((a) => [a, 'ok'])),
	otherHandler: {},
	leader: { ...Object.fromEntries(HANDLING.map((a) => [a, 'ok'])), directive: 'ok' },
	admin: {}
};
const codeFor = (role: Role, action: Action) => expected[role][action] ?? 'forbidden_scope';

beforeAll(async () => {
	srv = await startServer();
	const [author, otherResident, assignedHandler, otherHandler, leader, admin] =
		await signIn(srv.url, 'device', 'device', 'ubnd-lam-vien', 'police', 'lanhdao', 'admin');
	Object.assign(who, { author, otherResident, assignedHandler, otherHandler, leader, admin });
});
afterAll(() => srv?.close());

const file = () => fileReport(srv.url, who.author);

function event(role: Role, report: Report, type: Action) {
	const s = who[role];
	const details: Record<string, unknown> = {};
	if (['progress', 'info_requested', 'resolved', 'rejected_invalid', 'directive', 'info_provided'].includes(type))
		details.note = `${type} by ${role}`;
	if (type === 'transferred') details.unitIds = ['police'];
	// A leader's transfer moves the whole report, and says so (authz-handling.test.ts has the other rows).
	if (type === 'transferred' && role === 'leader') details.scope = 'whole';
	if (type === 'feedback') details.satisfied = true;
	if (type === 'assigned' || type === 'overdue') details.unitIds = ['police'];
	return makeEvent(s, report, type, details);
}

async function statusOf(id: string) {
	return (await reportAs(srv.url, who.leader, id))?.status;
}

describe('who may append what to an open report', () => {
	for (const role of ROLES) {
		it(`${role}: allowed and refused actions`, async () => {
			// Refusals change nothing, so they share one report; each allowed action gets a fresh one.
			const shared = await file();
			for (const action of ACTIONS) {
				const want = codeFor(role, action);
				const report = want === 'ok' ? await file() : shared;
				const r = await push(srv.url, who[role].token, 'events', [event(role, report, action)]);
				expect(r.status, `${role} ${action}`).toBe(200);
				if (want === 'ok') expect(r.body.rejected, `${role} ${action}`).toEqual([]);
				else expect(r.body.rejected.map((x: { code: string }) => x.code), `${role} ${action}`).toEqual([want]);
			}
			expect(await statusOf(shared.id), `${role}: refusals left the report as it was`).toBe('assigned');
		});
	}
});

describe('on a closed report', () => {
	it('refuses further handling, still records who looked, and takes the author’s rating', async () => {
		const report = await file();
		const resolved = await push(srv.url, who.assignedHandler.token, 'events', [
			{ ...event('assignedHandler', report, 'resolved'), note: 'Đã xử lý xong' }
		]);
		expect(resolved.body.rejected).toEqual([]);
		for (const [role, action, want] of [
			['assignedHandler', 'progress', 'report_closed'],
			['leader', 'directive', 'report_closed'],
			['leader', 'rejected_invalid', 'report_closed'],
			['assignedHandler', 'seen', 'ok'],
			['author', 'info_provided', 'report_closed'],
			['author', 'feedback', 'ok']
		] as [Role, Action, string][]) {
			const r = await push(srv.url, who[role].token, 'events', [event(role, report, action)]);
			if (want === 'ok') expect(r.body.rejected, `${role} ${action}`).toEqual([]);
			else expect(r.body.rejected.map((x: { code: string }) => x.code), `${role} ${action}`).toEqual([want]);
		}
		expect(await statusOf(report.id)).toBe('resolved');
	});
});

describe('forged and misdirected events', () => {
	it('refuses another actor’s id, a borrowed role and a unit that is not the handler’s', async () => {
		const report = await file();
		const base = event('assignedHandler', report, 'accepted');
		const r = await push(srv.url, who.assignedHandler.token, 'events', [
			{ ...base, id: uuidv7(), actorId: who.leader.user.sub },
			{ ...base, id: uuidv7(), actorRole: 'leader' },
			{ ...base, id: uuidv7(), unitId: 'natural-resources-environment' }
		]);
		expect(r.body.rejected.map((x: { code: string }) => x.code)).toEqual(['not_owner', 'forbidden_scope', 'forbidden_scope']);
		expect(await statusOf(report.id)).toBe('assigned');
	});

	it('answers a replayed event as a retry and refuses a changed copy of it', async () => {
		const report = await file();
		const e = event('assignedHandler', report, 'progress');
		expect((await push(srv.url, who.assignedHandler.token, 'events', [e])).body.rejected).toEqual([]);
		expect((await push(srv.url, who.assignedHandler.token, 'events', [e])).body.rejected).toEqual([]);
		const changed = await push(srv.url, who.assignedHandler.token, 'events', [{ ...e, note: 'sửa lại' }]);
		expect(changed.body.rejected.map((x: { code: string }) => x.code)).toEqual(['report_immutable']);
	});
});
