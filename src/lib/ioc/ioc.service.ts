import Dexie, { type EntityTable } from 'dexie';
import type { z } from 'zod';
import { IocAnswer, IocWarning, IocWarningList, type IocQuery, type IocTable } from '$lib/domain/ioc';
import { isErrorCode } from '$lib/domain/errors';
import { storageName } from '$lib/pwa/namespace';
import { ApiFailure, apiFetch, resolveOrigin } from '$lib/sync/api';
import { queryString } from './ioc-query';

/**
 * The dashboard's I/O: the figures (GET /api/ioc/figures), the live stream that says they changed
 * (GET /api/ioc/stream, SSE), the CSV exports, and the last answer per filter kept on the device.
 *
 * The kept answers live in a tiny IndexedDB database of their own (Dexie, already in the app), not
 * in localStorage: one answer carries up to 200 overdue reports and a row per commune and unit (tens
 * of kilobytes), it is written again on every live change (up to once a second), and localStorage
 * would serialise and write that on the main thread each time — and share its 5 MB with the app.
 */

export const iocUrl = (path: string) => `${resolveOrigin()}/api/ioc/${path}`;

/** The field reports' part of the answer. */
export const ReportAnswer = IocAnswer.pick({
	asOf: true,
	period: true,
	previous: true,
	totals: true,
	previousTotals: true,
	byCategory: true,
	byWard: true,
	byUnit: true,
	overdue: true,
	overdueTotal: true
});
export type ReportAnswer = z.infer<typeof ReportAnswer>;

/**
 * What the page shows: the field reports, their days, and the one-stop offices' and the dossiers'
 * parts. Those three are optional here only for the copies an earlier version kept on the device
 * (reports only): the page shows what a copy has.
 */
export const DashboardAnswer = ReportAnswer.extend({
	complete: IocAnswer.shape.complete.optional(),
	series: IocAnswer.shape.series.optional(),
	office: IocAnswer.shape.office.optional(),
	dossiers: IocAnswer.shape.dossiers.optional()
});
export type DashboardAnswer = z.infer<typeof DashboardAnswer>;

/** The figures for a filter; an answer that does not match the contract reads as a server problem. */
export async function fetchFigures(q: IocQuery, token: string, signal?: AbortSignal): Promise<DashboardAnswer> {
	const raw = await apiFetch<unknown>(`${iocUrl('figures')}?${queryString(q)}`, { token, signal, timeoutMs: 20_000 });
	const parsed = DashboardAnswer.safeParse(raw);
	if (!parsed.success) throw new ApiFailure('server_error', 200, 'the figures do not match the contract');
	return parsed.data;
}

// ---- Warnings ----

/** The warnings the official may see, newest first: only the open ones unless `all`. */
export async function fetchWarnings(token: string, opts: { all?: boolean; signal?: AbortSignal } = {}): Promise<IocWarning[]> {
	const raw = await apiFetch<unknown>(`${iocUrl('warnings')}?open=${opts.all ? '0' : '1'}`, { token, signal: opts.signal, timeoutMs: 20_000 });
	const parsed = IocWarningList.safeParse(raw);
	if (!parsed.success) throw new ApiFailure('server_error', 200, 'the warnings do not match the contract');
	return parsed.data.warnings;
}

/** Acknowledges one warning ("đã nắm"): the server answers it with who and when. */
export async function acknowledgeWarning(id: string, token: string): Promise<IocWarning> {
	const raw = await apiFetch<unknown>(iocUrl(`warnings/${encodeURIComponent(id)}/ack`), { token, body: {}, timeoutMs: 20_000 });
	const parsed = IocWarning.safeParse(raw);
	if (!parsed.success) throw new ApiFailure('server_error', 200, 'the warning does not match the contract');
	return parsed.data;
}

// ---- The last answer per filter, on this device ----

interface SavedAnswer {
	/** `<official>|<query>`: another official on the same device never reads these figures as theirs. */
	key: string;
	answer: DashboardAnswer;
	savedAt: number;
}

/** Enough for the filters a leader goes back and forth between; the oldest go first. */
const KEEP = 24;

class IocDb extends Dexie {
	answers!: EntityTable<SavedAnswer, 'key'>;
	constructor() {
		super(storageName('cau-noi-ioc'));
		this.version(1).stores({ answers: 'key, savedAt' });
	}
}

let db: IocDb | null = null;
const open = () => (db ??= new IocDb());
const keyOf = (sub: string, q: IocQuery) => `${sub}|${queryString(q)}`;

export async function saveAnswer(sub: string, q: IocQuery, answer: DashboardAnswer, now = Date.now()): Promise<void> {
	const d = open();
	await d.answers.put({ key: keyOf(sub, q), answer, savedAt: now });
	const count = await d.answers.count();
	if (count > KEEP) {
		const old = await d.answers.orderBy('savedAt').limit(count - KEEP).primaryKeys();
		await d.answers.bulkDelete(old);
	}
}

export async function savedAnswer(sub: string, q: IocQuery): Promise<{ answer: DashboardAnswer; savedAt: number } | null> {
	try {
		const row = await open().answers.get(keyOf(sub, q));
		return row ? { answer: row.answer, savedAt: row.savedAt } : null;
	} catch {
		return null; // a browser without IndexedDB (private mode): nothing kept, nothing shown
	}
}

/** Signing out forgets the figures the official saw. */
export async function forgetAnswers(): Promise<void> {
	await open().answers.clear().catch(() => undefined);
}

// ---- Live ----

export type LinkState = 'connecting' | 'open' | 'lost';

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * Follows the stream until the returned function is called: `changed` on each message (the server
 * sends at most one a second; the page debounces its refetch). The browser's own reconnection stops
 * for good after a refusal (a restarted server behind a proxy, an expired token in the address), so
 * a closed stream is opened again here, with a fresh token, after a pause that doubles up to 30 s
 * and starts over once a stream opens. Offline, it waits for the network instead of retrying.
 */
export function followIoc(
	token: () => Promise<string>,
	on: { changed: (asOf: string) => void; link: (s: LinkState) => void; authFailed?: () => void }
): () => void {
	let source: EventSource | null = null;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let stopped = false;
	let delay = FIRST_RETRY_MS;

	async function connect() {
		if (stopped) return;
		source?.close();
		on.link('connecting');
		let t: string;
		try {
			t = await token();
		} catch {
			on.link('lost');
			on.authFailed?.();
			return;
		}
		if (stopped) return;
		const es = new EventSource(`${iocUrl('stream')}?token=${encodeURIComponent(t)}`);
		source = es;
		es.onopen = () => {
			delay = FIRST_RETRY_MS;
			on.link('open');
		};
		es.onmessage = (e) => {
			let asOf = '';
			try {
				asOf = String((JSON.parse(e.data) as { asOf?: unknown }).asOf ?? '');
			} catch {
				// A message cut by a proxy: still a sign that something changed.
			}
			on.link('open');
			on.changed(asOf);
		};
		es.onerror = () => {
			on.link('lost');
			if (es.readyState !== EventSource.CLOSED || stopped || !navigator.onLine) return;
			retry();
		};
	}

	function retry() {
		if (timer) clearTimeout(timer);
		timer = setTimeout(() => {
			timer = null;
			void connect();
		}, delay);
		delay = Math.min(delay * 2, MAX_RETRY_MS);
	}

	const offline = () => {
		if (timer) clearTimeout(timer);
		timer = null;
		source?.close();
		on.link('lost');
	};
	const online = () => {
		delay = FIRST_RETRY_MS;
		void connect();
	};
	void connect();
	addEventListener('online', online);
	addEventListener('offline', offline);
	return () => {
		stopped = true;
		if (timer) clearTimeout(timer);
		source?.close();
		removeEventListener('online', online);
		removeEventListener('offline', offline);
	};
}

// ---- Export ----

/**
 * One table as CSV, fetched with the token (a plain link could not carry it) and saved under
 * `fileName`. The server streams it; the browser gathers it into a Blob before saving.
 */
export async function exportCsv(table: IocTable, q: IocQuery, token: string, fileName: string): Promise<void> {
	let res: Response;
	try {
		res = await fetch(`${iocUrl('export.csv')}?table=${table}&${queryString(q)}`, { headers: { authorization: `Bearer ${token}` } });
	} catch (e) {
		throw new ApiFailure('network', 0, e instanceof Error ? e.message : String(e));
	}
	if (!res.ok) {
		const body = (await res.json().catch(() => null)) as { error?: { code?: unknown; message?: string } } | null;
		const code = body?.error?.code;
		throw new ApiFailure(isErrorCode(code) ? code : res.status === 401 ? 'unauthenticated' : res.status === 403 ? 'forbidden_scope' : 'server_error', res.status, body?.error?.message);
	}
	const blob = await res.blob();
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = fileName;
	document.body.append(a);
	a.click();
	a.remove();
	// The download has taken the URL by now; free the Blob a moment later.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
