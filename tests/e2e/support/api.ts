/**
 * The server's API as the specs use it next to the browser: what another device or an official does
 * meanwhile (sign in, file a report, append a step) and what the server stored, read back by pull.
 * Calls go through Playwright's `request` fixture, whose base URL is the file's server.
 */
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { makeContact, makeEvent, makeReport, type Actor, type DocState, type EventDoc } from '../../support/documents';
import { expect } from '../fixtures';
import { DEMO_PASSWORD } from './resident';

export { makeContact, makeEvent, makeReport, type DocState };

/** A signed-in user (staff account or resident device), as the sign-in answers. */
export interface ApiSession extends Actor {
	token: string;
}

/** The body of an answer that must be a success; a failure names the URL, the status and the body. */
export async function json<T>(res: APIResponse): Promise<T> {
	expect(res.ok(), `${res.url()} answered ${res.status()}: ${await res.text()}`).toBe(true);
	return (await res.json()) as T;
}

/** Logs a demo staff account in (handler, leader, volunteer, admin). */
export async function staffLogin(request: APIRequestContext, username: string): Promise<ApiSession> {
	return json<ApiSession>(await request.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } }));
}

/** Registers a new anonymous resident device: another phone than the page's. */
export async function deviceLogin(request: APIRequestContext): Promise<ApiSession> {
	const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
	return json<ApiSession>(await request.post('/api/auth/device', { data: { deviceId: crypto.randomUUID(), secret } }));
}

/** Pushes documents to a collection as a device does (no assumed master state: new documents). */
export async function pushDocs(
	request: APIRequestContext,
	token: string,
	collection: string,
	docs: object[]
): Promise<{ conflicts: DocState[]; rejected: { id: string; code: string }[] }> {
	return json(
		await request.post(`/api/sync/${collection}/push`, {
			headers: { authorization: `Bearer ${token}` },
			data: docs.map((d) => ({ newDocumentState: d, assumedMasterState: null }))
		})
	);
}

/** Everything of one collection the token may read, page by page as the app pulls. */
export async function pullAll(request: APIRequestContext, token: string, collection: string): Promise<DocState[]> {
	const docs: DocState[] = [];
	let checkpoint: unknown = null;
	for (let i = 0; i < 100; i++) {
		const q = new URLSearchParams({ checkpoint: JSON.stringify(checkpoint), limit: '200' });
		const page = await json<{ documents: DocState[]; checkpoint: unknown }>(
			await request.get(`/api/sync/${collection}/pull?${q}`, { headers: { authorization: `Bearer ${token}` } })
		);
		if (!page.documents.length) break;
		docs.push(...page.documents);
		checkpoint = page.checkpoint;
	}
	return docs;
}

/**
 * A resident's device files a report through the sync API (makeReport with `overrides`: Lâm Viên
 * ward, category environment unless told) — a new device unless `device` is given. The server must
 * accept it; returns the report as stored (routed, with its tracking code).
 */
export async function fileReportViaApi(
	request: APIRequestContext,
	overrides: Record<string, unknown> = {},
	device?: ApiSession
): Promise<DocState> {
	const author = device ?? (await deviceLogin(request));
	const answer = await pushDocs(request, author.token, 'reports', [makeReport(author.user.sub, overrides)]);
	expect(answer.rejected).toEqual([]);
	return answer.conflicts[0];
}

/** `s` appends a `type` step to the report (makeEvent) and the server accepts it; returns the event as sent. */
export async function pushEvent(
	request: APIRequestContext,
	s: ApiSession,
	reportId: string,
	type: string,
	extra: Record<string, unknown> = {}
): Promise<EventDoc> {
	const event = makeEvent(s, { id: reportId }, type, extra);
	const answer = await pushDocs(request, s.token, 'events', [event]);
	expect(answer.rejected, `${type} by ${s.user.sub} accepted by the server`).toEqual([]);
	return event;
}
