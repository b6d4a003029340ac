/// <reference lib="webworker" />
import { my, type NotificationType } from '../i18n/areas/my';
import { ticketPush } from '../i18n/areas/ticket-push';
import { localDb } from '../sync/local-db';
import type { DossierPushPayload, PushNoticePayload, TicketPushPayload } from '../domain/notice-rules';
import { dossierNoticeText, dossierPush } from '../i18n/areas/dossier-push';
import { APP_BASE, storageName } from '../pwa/namespace';
import { recordPushNotice } from './notices';
import { parseWarningPush, warningPushText, type IocWarningPush } from '../ioc/ioc-warnings';

/**
 * The service worker's side of Web Push: show the notification, keep it as an in-app notice, and
 * open the report when it is tapped. No Svelte and no $app imports (service-worker build). The
 * words follow the language last chosen in the app (saved by /my), Vietnamese by default.
 */

const MY_URL = `${APP_BASE}/my`;
const IOC_URL = `${APP_BASE}/ioc`;
const ICON_URL = `${APP_BASE}/icons/icon-192.png`;

function parse(data: PushMessageData | null): PushNoticePayload | null {
	try {
		const p = data?.json() as PushNoticePayload | undefined;
		return p && typeof p.reportId === 'string' && typeof p.type === 'string' ? p : null;
	} catch {
		return null;
	}
}

function reportUrl(reportId: string | undefined): string {
	return reportId ? `${MY_URL}?report=${encodeURIComponent(reportId)}` : MY_URL;
}


function ticketNotice(data: PushMessageData | null): TicketPushPayload | null {
	try {
		const p = data?.json() as Partial<TicketPushPayload> | undefined;
		return p?.kind === 'ticket' && typeof p.ticketId === 'string' && (p.type === 'turn_near' || p.type === 'called') ? (p as TicketPushPayload) : null;
	} catch {
		return null;
	}
}

const fill = (text: string, params: Record<string, string | number | undefined>) => text.replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? ''));

async function showTicketNotification(sw: ServiceWorkerGlobalScope, n: TicketPushPayload, locale: 'vi' | 'en'): Promise<void> {
	const words = ticketPush[locale];
	const params = { number: n.number, ahead: n.ahead, counter: n.counter, office: locale === 'en' ? n.officeEn : n.officeVi };
	await sw.registration.showNotification(fill(words.title, params), {
		body: fill(words[n.type], params),
		lang: locale,
		icon: ICON_URL,
		badge: ICON_URL,
		// One notification per ticket: "called" replaces "your turn is near".
		tag: `ticket-${n.ticketId}`,
		requireInteraction: n.type === 'called',
		data: { url: `${APP_BASE}/ticket/view?id=${encodeURIComponent(n.ticketId)}` }
	});
}

const DOSSIER_TYPES = new Set(['needs_documents', 'accepted', 'refused', 'processing', 'result_ready', 'returned']);

function dossierNotice(data: PushMessageData | null): DossierPushPayload | null {
	try {
		const p = data?.json() as Partial<DossierPushPayload> | undefined;
		return p?.kind === 'dossier' && typeof p.applicationId === 'string' && DOSSIER_TYPES.has(p.type ?? '') ? (p as DossierPushPayload) : null;
	} catch {
		return null;
	}
}

async function showDossierNotification(sw: ServiceWorkerGlobalScope, n: DossierPushPayload, locale: 'vi' | 'en'): Promise<void> {
	// The due day in the province's zone (its cached calendar), as the app shows dates.
	const config = (await localDb.tenant.get('config').catch(() => undefined))?.value as { calendar?: { timeZone?: string } } | undefined;
	const timeZone = config?.calendar?.timeZone ?? 'Asia/Ho_Chi_Minh';
	const due = n.dueAt ? new Date(n.dueAt).toLocaleDateString(locale === 'vi' ? 'vi-VN' : 'en-GB', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' }) : '';
	await sw.registration.showNotification(n.dossierCode ? `${dossierPush[locale].title} ${n.dossierCode}` : dossierPush[locale].title, {
		body: dossierNoticeText(n, locale, due),
		lang: locale,
		icon: ICON_URL,
		badge: ICON_URL,
		// One notification per application: the newest step replaces the older one.
		tag: `dossier-${n.applicationId}`,
		data: { url: `${MY_URL}?application=${encodeURIComponent(n.applicationId)}` }
	});
}

function warningNotice(data: PushMessageData | null): IocWarningPush | null {
	try {
		return parseWarningPush(data?.json());
	} catch {
		return null;
	}
}

/** An operations centre warning (issue 15), to a leader's, operator's or unit official's device: opens /ioc. */
async function showWarningNotification(sw: ServiceWorkerGlobalScope, n: IocWarningPush, locale: 'vi' | 'en'): Promise<void> {
	const { title, body } = warningPushText(n, locale);
	await sw.registration.showNotification(title, {
		body,
		lang: locale,
		icon: ICON_URL,
		badge: ICON_URL,
		// One notification per warning: the same warning pushed again (another instance) replaces it.
		tag: `ioc-warning-${n.id}`,
		data: { url: IOC_URL }
	});
}

export async function showPushNotification(sw: ServiceWorkerGlobalScope, data: PushMessageData | null): Promise<void> {
	const locale = (await localDb.settings.get('my.locale').catch(() => undefined))?.value === 'en' ? 'en' : 'vi';
	const ticket = ticketNotice(data);
	if (ticket) return showTicketNotification(sw, ticket, locale);
	const dossier = dossierNotice(data);
	if (dossier) return showDossierNotification(sw, dossier, locale);
	const warning = warningNotice(data);
	if (warning) return showWarningNotification(sw, warning, locale);
	const payload = parse(data);
	const words = my[locale].notification;
	if (payload) await recordPushNotice(payload).catch((e) => console.warn('push notice', e));
	const title = payload?.trackingCode ? words.title.replace('{code}', payload.trackingCode) : words.titleNoCode;
	const body = payload && payload.type in words ? words[payload.type as NotificationType] : words.other;
	// Browsers require a visible notification for every push (userVisibleOnly): always show one.
	await sw.registration.showNotification(title, {
		body,
		lang: locale,
		icon: ICON_URL,
		badge: ICON_URL,
		// One notification per report: the newest step replaces the older one.
		tag: payload ? `report-${payload.reportId}` : storageName('cau-noi'),
		data: { url: reportUrl(payload?.reportId) }
	});
}

export async function openFromNotification(sw: ServiceWorkerGlobalScope, event: NotificationEvent): Promise<void> {
	event.notification.close();
	const url = new URL((event.notification.data as { url?: string } | null)?.url ?? MY_URL, sw.location.origin).href;
	const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
	for (const client of windows) {
		// This province's pages only: another one under a path of the same host is not ours to navigate.
		const at = new URL(client.url);
		if (at.origin !== sw.location.origin || !`${at.pathname}/`.startsWith(`${APP_BASE}/`)) continue;
		try {
			const focused = await client.focus();
			await focused.navigate(url);
			return;
		} catch {
			// Not controlled by this worker (navigate refuses): open a new window below.
		}
	}
	await sw.clients.openWindow(url);
}
