import type { ErrorCode } from '../domain/errors';
import type { ReportEvent } from '../domain/event';
import type { PushResponse, PushRow } from '../domain/sync-protocol';
import { storageName } from '../pwa/namespace';
import { ApiFailure, apiFetch, errorCodeOf, resolveOrigin } from './api';
import { localDb, type PhotoRow, type StaffSession } from './local-db';
import { awaitsSender, isDue, keepWithdrawal, transition, withdrawalPending, type OutboxEvent, type OutboxRow, type PhotoBytes } from './outbox';
import { getDeviceToken, getStaffSession, markStaffSessionExpired, withDeviceToken } from './session';
import { uploadPhoto } from './photo-uploader';
import { flushApplications, nextApplicationAttempt } from '../dossier/application-sender';
import { flushPendingAnswers } from '../dossier/answer-sender';

/**
 * Sends what waits in the outbox: each report (and its contact) through the sync push endpoints,
 * then its photos one by one through tus. Fetch and Dexie only — no RxDB, no DOM — so the page and
 * the service worker (Background Sync tag `outbox`) run the very same code. One sender at a time
 * across page and worker, through the Web Locks API.
 *
 * Each row is sent with the token of whoever filed it (`row.sender`): the device's anonymous token,
 * renewed silently, or — for a volunteer's filing for a villager — the signed-in staff session whose
 * `sub` is the report's author. A staff token cannot be renewed without the person: when it is
 * missing, expired or refused, the row waits in `login_required`; it is never sent as the device.
 */

export interface FlushOptions {
	origin?: string;
	/** The network just came back: try every waiting row now, ignoring its backoff. */
	force?: boolean;
	signal?: AbortSignal;
}

export interface FlushResult {
	/** Rows delivered during this flush. */
	delivered: number;
	/** Rows still on their way (waiting for network or a retry). */
	waiting: number;
	/** Rows the server refused: the user must edit or remove them. */
	needsAttention: number;
}

const OUTBOX_LOCK = storageName('cau-noi-outbox');

/** Thrown when the user removed the row while it was being sent: stop quietly. */
class RowRemoved extends Error {}

/** The staff session that must send a row is not there (or the server refused its token). */
class LoginRequired extends Error {
	readonly code = 'token_expired';
}

/** The signed-in staff session may send this row: it is theirs, and their token is still fresh. */
function canSendAs(row: OutboxRow, session: StaffSession | null): boolean {
	return row.sender === 'staff' && !!session && session.user.sub === row.report.authorId;
}

async function staffSessionFor(row: OutboxRow): Promise<StaffSession> {
	const { session } = await getStaffSession();
	if (!session || !canSendAs(row, session)) throw new LoginRequired();
	return session;
}

let localChain: Promise<unknown> = Promise.resolve();

/** Runs `fn` alone: across tabs and the worker with navigator.locks, else within this context. */
function exclusive<T>(fn: () => Promise<T>): Promise<T> {
	const locks = (globalThis.navigator as Navigator | undefined)?.locks;
	if (locks?.request) return locks.request(OUTBOX_LOCK, fn) as Promise<T>;
	const run = localChain.then(fn, fn);
	localChain = run.catch(() => undefined);
	return run;
}

/** Saves the row's new state, unless the user removed it meanwhile; a withdrawal they asked meanwhile is kept. */
async function save(row: OutboxRow, extra?: () => Promise<unknown>): Promise<OutboxRow> {
	let saved = row;
	await localDb.transaction('rw', localDb.outbox, localDb.photos, async () => {
		const stored = await localDb.outbox.get(row.reportId);
		if (!stored) throw new RowRemoved();
		saved = keepWithdrawal(row, stored);
		await localDb.outbox.put(saved);
		if (extra) await extra();
	});
	return saved;
}

function step(row: OutboxRow, event: OutboxEvent): Promise<OutboxRow> {
	return save(transition(row, event));
}

const AUTH_CODES = new Set<ErrorCode>(['token_expired', 'token_invalid', 'unauthenticated']);

/** Failure of a request, as the outbox's event. */
function failureEvent(e: unknown, row: OutboxRow): OutboxEvent {
	const code = errorCodeOf(e);
	if (e instanceof LoginRequired || (row.sender === 'staff' && AUTH_CODES.has(code))) return { type: 'login_required' };
	if (code === 'network') return { type: 'network_error' };
	if (e instanceof ApiFailure && e.authExpired) return { type: 'token_expired' };
	return { type: 'server_error', code };
}

async function sendReport(row: OutboxRow, origin: string, authed: Authed): Promise<OutboxRow> {
	const rows: PushRow[] = [{ newDocumentState: row.report, assumedMasterState: null }];
	const answer = await authed((token) =>
		apiFetch<PushResponse>(`${origin}/api/sync/reports/push`, { token, body: rows })
	);
	const refused = answer.rejected?.find((r) => r.id === row.reportId);
	// A retried push of a stored report may be refused as immutable: the server has it, that is a success.
	if (refused && refused.code !== 'report_immutable') return step(row, { type: 'push_rejected', code: refused.code });
	// The server answers a new report with its stored state: tracking code, status, units, due time.
	const master = answer.conflicts?.find((d) => d.id === row.reportId) as { trackingCode?: string } | undefined;

	if (row.contact) {
		const contactAnswer = await authed((token) =>
			apiFetch<PushResponse>(`${origin}/api/sync/contacts/push`, {
				token,
				body: [{ newDocumentState: row.contact, assumedMasterState: null }]
			})
		);
		const contactRefused = contactAnswer.rejected?.find((r) => r.id === row.contact!.id);
		if (contactRefused) row = await step(row, { type: 'contact_rejected', code: contactRefused.code });
	}
	return step(row, { type: 'push_ok', trackingCode: master?.trackingCode });
}

type Authed = <T>(call: (token: string) => Promise<T>) => Promise<T>;

/**
 * The resident's withdrawal, as the `withdrawn` event of the report's author (the device, or the
 * volunteer who filed it), pushed like any step. Sent again with the same id after a failure: the
 * server answers a stored one as such, never appends it twice.
 */
async function sendWithdrawal(row: OutboxRow, origin: string, authed: Authed): Promise<OutboxRow> {
	const w = row.withdrawal!;
	const event: ReportEvent = {
		id: w.eventId,
		reportId: row.reportId,
		tenantId: row.report.tenantId,
		type: 'withdrawn',
		actorId: row.report.authorId,
		actorRole: row.sender === 'staff' ? 'volunteer' : 'resident',
		...(w.reason ? { note: w.reason } : {}),
		at: new Date(w.requestedAt).toISOString(),
		_deleted: false
	};
	const answer = await authed((token) =>
		apiFetch<PushResponse>(`${origin}/api/sync/events/push`, { token, body: [{ newDocumentState: event, assumedMasterState: null }] })
	);
	const refused = answer.rejected?.find((r) => r.id === event.id);
	return step(row, refused ? { type: 'withdraw_refused', code: refused.code } : { type: 'withdraw_ok' });
}

function makeAuthed(origin: string, row: OutboxRow): Authed {
	if (row.sender === 'staff')
		return async (call) => {
			const session = await staffSessionFor(row);
			try {
				return await call(session.token);
			} catch (e) {
				// Refused although fresh by our clock (server secret changed, account gone): only the
				// person can get a new one. The session is marked so their page asks them to sign in.
				if (e instanceof ApiFailure && e.authExpired) {
					await markStaffSessionExpired(session.token);
					throw new LoginRequired();
				}
				throw e;
			}
		};
	return (call) => withDeviceToken(origin, call);
}

/** Writes progress at most twice a second: IndexedDB writes are not free on a cheap phone. */
function throttled(fn: (sent: number, total: number) => void, ms = 500) {
	let last = 0;
	return (sent: number, total: number) => {
		const now = Date.now();
		if (now - last < ms && sent < total) return;
		last = now;
		fn(sent, total);
	};
}

/**
 * The server refused the photo itself, or its id belongs to another report: sending it again cannot
 * help. Anything else (media_quota, media_unknown_report, the network) keeps the photo for later.
 */
const PHOTO_REFUSALS = new Set<ErrorCode>(['media_not_image', 'media_too_large', 'media_too_many_pixels', 'photo_taken']);

/** The token a photo upload uses: the row's sender's. A staff token refused once cannot be renewed here. */
async function photoToken(row: OutboxRow, origin: string, refused: boolean): Promise<string> {
	if (row.sender !== 'staff') return getDeviceToken({ origin, forceRefresh: refused });
	const session = await staffSessionFor(row);
	if (refused) {
		await markStaffSessionExpired(session.token);
		throw new LoginRequired();
	}
	return session.token;
}

/**
 * The bytes of a row's photos as they go, for "1,2/2,9 MB · còn ~20 giây": all its photos count
 * (those sent on an earlier try as sent), and the rate is measured from this round's first progress.
 */
function byteMeter(photos: (PhotoRow | undefined)[]) {
	const size = (p: PhotoRow | undefined) => p?.bytes ?? p?.blob?.size ?? 0;
	const total = photos.reduce((n, p) => n + size(p), 0);
	let before = photos.reduce((n, p) => n + (p?.status === 'done' || p?.status === 'rejected' ? size(p) : 0), 0);
	let first: { at: number; sent: number } | null = null;
	return {
		/** `sent` bytes of the photo being uploaded. */
		at(sent: number): PhotoBytes {
			const now = Date.now();
			const all = Math.min(total, before + sent);
			first ??= { at: now, sent: all };
			const seconds = (now - first.at) / 1000;
			// Under a second of measure says nothing yet about the link.
			const perSecond = seconds >= 1 && all > first.sent ? Math.round((all - first.sent) / seconds) : undefined;
			return { sent: all, total, ...(perSecond ? { perSecond } : {}) };
		},
		finished(photo: PhotoRow) {
			before += size(photo);
		}
	};
}

async function sendPhoto(row: OutboxRow, photo: PhotoRow, origin: string, signal?: AbortSignal, meter?: ReturnType<typeof byteMeter>): Promise<OutboxRow> {
	if (!photo.blob) {
		// The blob is gone (storage cleared): the photo cannot be sent; say so and move on.
		return step(row, { type: 'photo_rejected', photoId: photo.id, code: 'media_not_image' });
	}
	await localDb.photos.update(photo.id, { status: 'uploading' });
	let current = row;
	let tokenCalls = 0;
	try {
		await uploadPhoto(
			{ id: photo.id, reportId: photo.reportId, blob: photo.blob, mime: photo.mime },
			{
				endpoint: `${origin}/api/media/uploads`,
				// The uploader asks again only after token_expired: then a fresh token is needed.
				getToken: () => photoToken(row, origin, tokenCalls++ > 0),
				previousUrl: photo.uploadUrl ?? null,
				onUrl: async (url: string) => {
					photo.uploadUrl = url;
					await localDb.photos.update(photo.id, { uploadUrl: url });
				},
				onProgress: throttled((sent, total) => {
					current = transition(current, { type: 'photo_progress', sent, total, ...(meter ? { bytes: meter.at(sent) } : {}) });
					void save(current, () => localDb.photos.update(photo.id, { sent })).catch(() => undefined);
				}),
				signal
			}
		);
	} catch (e) {
		const code = errorCodeOf(e);
		if (PHOTO_REFUSALS.has(code)) meter?.finished(photo);
		if (!PHOTO_REFUSALS.has(code)) {
			// Network, server trouble, a token problem: the photo waits for the next try.
			await localDb.photos.update(photo.id, { status: 'pending' });
			throw e;
		}
		return save(transition(current, { type: 'photo_rejected', photoId: photo.id, code }), () =>
			localDb.photos.update(photo.id, { status: 'rejected', error: code })
		);
	}
	// Uploaded: drop the blob (the server has the photo now) and count it, in one transaction.
	meter?.finished(photo);
	return save(transition(current, { type: 'photo_done', photoId: photo.id }), () =>
		localDb.photos.update(photo.id, { status: 'done', sent: photo.bytes, blob: undefined })
	);
}

async function sendPhotos(row: OutboxRow, origin: string, authed: Authed, signal?: AbortSignal): Promise<OutboxRow> {
	const photos = await localDb.photos.bulkGet(row.photoIds);
	const meter = byteMeter(photos);
	for (let i = 0; i < row.photoIds.length && row.state.kind === 'photos'; i++) {
		// Asked while an earlier photo was uploading: it goes before the next photo, not after all of them.
		if (withdrawalPending(row)) row = await sendWithdrawal(row, origin, authed);
		const photo = photos[i];
		if (photo?.status === 'done' || photo?.status === 'rejected') continue;
		if (!photo) {
			row = await step(row, { type: 'photo_rejected', photoId: row.photoIds[i], code: 'media_not_image' });
			continue;
		}
		row = await sendPhoto(row, photo, origin, signal, meter);
	}
	return row;
}

/** `staff`: the signed-in staff session, as the caller has just read it. */
async function sendRow(row: OutboxRow, origin: string, staff: StaffSession | null, signal?: AbortSignal): Promise<OutboxRow> {
	const authed = makeAuthed(origin, row);
	// No one to send a volunteer's row as: wait for the sign-in without a round of 'sending'.
	if (row.sender === 'staff' && !canSendAs(row, staff)) return step(row, { type: 'login_required' });
	row = await step(row, { type: 'start' });
	try {
		if (row.state.kind === 'sending') row = await sendReport(row, origin, authed);
		// Before the photos: a withdrawal is one small request, and the units should not start on it.
		if (row.reportPushed && withdrawalPending(row)) row = await sendWithdrawal(row, origin, authed);
		if (row.state.kind === 'photos') row = await sendPhotos(row, origin, authed, signal);
	} catch (e) {
		if (e instanceof RowRemoved || signal?.aborted) throw e;
		const fresh = await localDb.outbox.get(row.reportId);
		if (!fresh) throw new RowRemoved();
		row = await step(fresh, failureEvent(e, fresh));
	}
	return row;
}

/**
 * Sends every due row, oldest first; one refused report never holds back the next. Rows added while
 * it runs are picked up too. Stops early on a network error (the next rows would fail the same way).
 */
export async function flushOutbox(opts: FlushOptions = {}): Promise<FlushResult> {
	const origin = resolveOrigin(opts.origin);
	let delivered = 0;
	await exclusive(async () => {
		const tried = new Set<string>();
		for (;;) {
			if (opts.signal?.aborted) break;
			const now = Date.now();
			const rows = await localDb.outbox.orderBy('createdAt').toArray();
			// Rows waiting for a sign-in go again as soon as their volunteer is signed in.
			const staff = (await getStaffSession()).session;
			const due = (r: OutboxRow) => (r.state.kind === 'login_required' ? canSendAs(r, staff) : isDue(r, now, opts.force));
			const next = rows.find((r) => !tried.has(r.reportId) && due(r));
			if (!next) break;
			tried.add(next.reportId);
			try {
				const after = await sendRow(next, origin, staff, opts.signal);
				if (after.state.kind === 'delivered' && next.state.kind !== 'delivered') delivered++;
				if (after.state.kind === 'waiting' && after.error?.code === 'network') break;
			} catch (e) {
				if (e instanceof RowRemoved) continue;
				if (opts.signal?.aborted) break;
				throw e;
			}
		}
	});
	// Online applications ride on the same triggers (the page's and Background Sync's).
	const applications = await flushApplications({ origin, force: opts.force, signal: opts.signal });
	// And pages answering an office's request for documents (/my), sent even with /my closed.
	const answers = await flushPendingAnswers({ origin, signal: opts.signal });
	const all = await localDb.outbox.toArray();
	return {
		delivered: delivered + applications.delivered,
		waiting: all.filter(awaitsSender).length + applications.waiting + answers,
		needsAttention: all.filter((r) => r.state.kind === 'needs_attention').length + applications.needsAttention
	};
}

/** When the next waiting row is due (ms since epoch), for the page's retry timer. */
export async function nextOutboxAttempt(): Promise<number | undefined> {
	const rows = await localDb.outbox.toArray();
	const times = rows
		.filter((r) => r.state.kind === 'waiting' || r.state.kind === 'sending' || r.state.kind === 'photos' || (r.state.kind === 'delivered' && withdrawalPending(r)))
		.map((r) => r.nextAttemptAt ?? Date.now());
	const application = await nextApplicationAttempt();
	if (application !== undefined) times.push(application);
	return times.length ? Math.min(...times) : undefined;
}
