/**
 * What the fuzzer needs from a running server before it starts: residents' device tokens, staff
 * tokens (handler, leader, admin, volunteer of the demo tenant) and one real report, so generated
 * requests reach validation and name something that exists. Plain fetch: the benchmark uses it too.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { makeContact, makeReport } from '../documents';
import type { FuzzContext, FuzzSession } from './endpoints';

const STAFF = ['ubnd-lam-vien', 'lanhdao', 'admin', 'tcns-lang-biang'];
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
