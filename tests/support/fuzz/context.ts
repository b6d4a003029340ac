/**
 * What the fuzzer needs from a running server before it starts: residents' device tokens, staff
 * tokens (handler, leader, admin, volunteer and the operations centre's operator of the demo tenant)
 * and one real report, so generated requests reach validation and name something that exists; and,
 * on request (raiseWarning), an operations-centre warning to acknowledge. Plain fetch: the benchmark
 * uses it too.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { makeContact, makeReport } from '../documents';
import type { FuzzContext, FuzzSession } from './endpoints';

const STAFF = ['ubnd-lam-vien', 'lanhdao', 'admin', 'tcns-lang-biang', 'dieuhanh'];
export const DEMO_PASSWORD = 'demo1234';

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
		body: JSON.stringify(body)
	});
	const text = await res.text();
	if (res.status !== 200) throw new Error(`${url}: ${res.status} ${text.slice(0, 300)}`);
	return JSON.parse(text) as T;
}

export async function fuzzContext(base: string): Promise<FuzzContext> {
	const devices = await Promise.all(
		[0, 1].map(() => post<FuzzSession>(`${base}/api/auth/device`, { deviceId: randomUUID(), secret: randomBytes(32).toString('base64url') }))
	);
	const staff = await Promise.all(STAFF.map((username) => post<FuzzSession>(`${base}/api/auth/login`, { username, password: DEMO_PASSWORD })));
	const report = makeReport(devices[0].user.sub);
	const answer = await post<{ rejected: unknown[] }>(`${base}/api/sync/reports/push`, [{ newDocumentState: report, assumedMasterState: null }], devices[0].token);
	if (answer.rejected.length) throw new Error(`the fuzzer's report was refused: ${JSON.stringify(answer.rejected)}`);
	// Its contact too: a stored contact the fuzzer's edits can name.
	const contact = makeContact(report);
	const stored = await post<{ rejected: unknown[] }>(`${base}/api/sync/contacts/push`, [{ newDocumentState: contact, assumedMasterState: null }], devices[0].token);
	if (stored.rejected.length) throw new Error(`the fuzzer's contact was refused: ${JSON.stringify(stored.rejected)}`);
	return { devices, staff, reportId: report.id, report, contact };
}

/**
 * Files reports until the commune of the context's report has five of its category today (the demo
 * tenant's spike rule: at least 5, against no history), then waits for the server's warning check
 * (IOC_WARNINGS_MS: start the server with a short one) to raise the spike; its id goes in
 * `ctx.warningIds`, so the acknowledgement is fuzzed against a warning that exists.
 */
export async function raiseWarning(base: string, ctx: FuzzContext, timeoutMs = 20_000): Promise<void> {
	const reports = Array.from({ length: 4 }, () => ({ newDocumentState: makeReport(ctx.devices[1].user.sub), assumedMasterState: null }));
	const answer = await post<{ rejected: unknown[] }>(`${base}/api/sync/reports/push`, reports, ctx.devices[1].token);
	if (answer.rejected.length) throw new Error(`the fuzzer's reports were refused: ${JSON.stringify(answer.rejected)}`);
	const leader = ctx.staff.find((s) => s.user.role === 'leader');
	if (!leader) throw new Error('no leader among the fuzzer\'s staff');
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		const res = await fetch(`${base}/api/ioc/warnings`, { headers: { authorization: `Bearer ${leader.token}` } });
		const { warnings } = (await res.json()) as { warnings: { id: string; type: string }[] };
		const spike = warnings.filter((w) => w.type === 'spike').map((w) => w.id);
		if (spike.length) {
			ctx.warningIds = spike;
			return;
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`no spike warning raised within ${timeoutMs} ms (is IOC_WARNINGS_MS short?)`);
}
