import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import webpush from 'web-push';
import type { ReportEvent } from '$lib/domain/event';
import type { Report } from '$lib/domain/report';
import { leadOf } from '$lib/domain/lead-unit';
import { isNoticeEvent, noticeType, type PushNoticePayload } from '$lib/domain/notice-rules';
import type { Change, Store } from '../storage/storage';
import type { DeviceSubscriptionDoc, PushSubscriptions } from './subscriptions.service';
import type { VapidKeys } from './vapid';

/**
 * Sends a Web Push message to a resident's devices when a handler, a leader or the system acts on
 * their report. It follows the events store's changes feed (like the live streams), so an event
 * written by any instance, or by a server job, is announced. The message names the report and what
 * happened — never a person, a phone number or a note: it travels through the browser vendor's push
 * service, and the app reads the details over its own authenticated sync.
 */

/** A notice worth little after a day: the app shows it anyway at the next sync. */
const TTL_SECONDS = 24 * 3600;
const SEND_TIMEOUT_MS = 10_000;

export interface NotifierDeps {
	events: Store<ReportEvent>;
	reports: Store<Report>;
	subscriptions: PushSubscriptions;
	vapid: VapidKeys;
	/** Several instances share the database (CouchDB): claim each event before sending it. */
	claimEvents: boolean;
	/** PEM of an extra CA the push service's certificate is signed by (tests, a private relay). */
	caFile?: string;
	log: { warn(obj: unknown, msg: string): void; error(obj: unknown, msg: string): void; debug?(obj: unknown, msg: string): void };
}

export function createPushNotifier(deps: NotifierDeps) {
	const agent = deps.caFile ? new Agent({ ca: [...rootCertificates, readFileSync(deps.caFile, 'utf8')], keepAlive: true }) : undefined;
	let unsubscribe: (() => void) | null = null;
	// Changes are handled one after another, in feed order.
	let chain: Promise<void> = Promise.resolve();
	let closed = false;

	async function send(sub: DeviceSubscriptionDoc, payload: PushNoticePayload | object, urgencyOf: 'high' | 'normal' = 'normal'): Promise<void> {
		try {
			await webpush.sendNotification({ endpoint: sub.endpoint, keys: sub.keys }, JSON.stringify(payload), {
				TTL: TTL_SECONDS,
				urgency: 'type' in payload && (payload.type === 'info_requested' || payload.type === 'resolved') ? 'high' : urgencyOf,
				contentEncoding: 'aes128gcm',
				vapidDetails: { subject: deps.vapid.subject, publicKey: deps.vapid.publicKey, privateKey: deps.vapid.privateKey },
				timeout: SEND_TIMEOUT_MS,
				...(agent ? { agent } : {})
			});
		} catch (err) {
			const status = err instanceof webpush.WebPushError ? err.statusCode : undefined;
			// 404/410: the browser dropped the subscription (uninstalled, permission revoked).
			if (status === 404 || status === 410) {
				await deps.subscriptions.removeEndpoint(sub.sub, sub.endpoint);
				deps.log.debug?.({ device: sub.sub, status }, 'push subscription gone; removed');
				return;
			}
			deps.log.warn({ device: sub.sub, status, err: err instanceof Error ? err.message : String(err) }, 'push send failed');
		}
	}

	async function handle(change: Change<ReportEvent>): Promise<void> {
		const e = change.doc;
		if (closed || change.deleted || !e || !isNoticeEvent(e)) return;
		const report = await deps.reports.get(e.reportId);
		if (!report || report._deleted) return;
		const recipients = await deps.subscriptions.forRecipients([report.authorId, ...(report.personId ? [report.personId] : [])]);
		if (!recipients.length) return;
		if (deps.claimEvents && !(await deps.subscriptions.claim(e.id))) return;
		const payload: PushNoticePayload = {
			reportId: report.id,
			eventId: e.id,
			...(report.trackingCode ? { trackingCode: report.trackingCode } : {}),
			// A coordinating unit's result is its part, not the report's: the resident hears that, not
			// "resolved, rate it" while the lead unit is still at work (the app records it the same way).
			type: noticeType(e, leadOf(report)),
			...(e.serverAt ? { at: e.serverAt } : {})
		};
		await Promise.all(recipients.map((r) => send(r, payload)));
	}

	return {
		/**
		 * Sends `payload` to every device of these residents (device subjects or verified persons): other
		 * notices than a report's (a queue ticket's turn) go out the same way, with the same care.
		 */
		async deliver(recipients: string[], payload: object, urgency: 'high' | 'normal' = 'normal'): Promise<void> {
			if (closed) return;
			const subs = await deps.subscriptions.forRecipients(recipients);
			await Promise.all(subs.map((s) => send(s, payload, urgency)));
		},
		/** Starts following the events from now on (earlier events were announced by whoever ran then). */
		async start() {
			unsubscribe ??= deps.events.subscribe((change) => {
				chain = chain.then(() => handle(change)).catch((err) => deps.log.error({ err }, 'push notifier failed'));
			});
			await deps.events.follow();
		},
		close() {
			closed = true;
			unsubscribe?.();
			unsubscribe = null;
			agent?.destroy();
		}
	};
}
export type PushNotifier = ReturnType<typeof createPushNotifier>;
