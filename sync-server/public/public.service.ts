import { stat } from 'node:fs/promises';
import type { ReportEvent } from '../../src/lib/domain/event';
import type { Media } from '../../src/lib/domain/media';
import {
	toPublicEvent,
	toPublicReport,
	type PublicEvent,
	type PublicReport,
	type PublicReportDetail,
	type PublicReportPage
} from '../../src/lib/domain/public';
import type { Report } from '../../src/lib/domain/report';
import { orderEvents } from '../../src/lib/domain/report-state';
import { mediaPaths } from '../media/tus-uploads';
import type { Store } from '../storage/storage';
import { redactPhones } from './redact';
import { createWardIndex, cursorOfKey, idOfKey, isPublicReport, keyOfCursor } from './ward-index';

export interface PublicServiceDeps {
	tenantId: string;
	reports: Store<Report>;
	events: Store<ReportEvent>;
	media: Store<Media>;
	/** Where the media service stores the re-encoded photos (`${DATA_DIR}/media`). */
	mediaDir: string;
	/** The stored events of some reports (the intake service's; to be backed by an index). */
	eventsOf(reportIds: string[]): Promise<Map<string, ReportEvent[]>>;
	onError?: (err: unknown, msg: string) => void;
}

/** The public projection, with phone numbers typed into free text hidden (see redact.ts). */
export function publicReportOf(r: Report): PublicReport {
	const p = toPublicReport(r);
	return { ...p, description: redactPhones(p.description) };
}
export function publicEventOf(e: ReportEvent): PublicEvent {
	const p = toPublicEvent(e);
	return p.note === undefined ? p : { ...p, note: redactPhones(p.note) };
}

/**
 * What anyone may read about a tenant's reports, without logging in: a ward's reports page by page
 * (a device keeps an area fresh with the cursor), one report with its public timeline, and the
 * photos of public reports. Everything goes through the allow-list projection of domain/public.ts.
 */
export function createPublicService(deps: PublicServiceDeps) {
	const index = createWardIndex(deps.reports, deps.tenantId, {
		onError: (err) => deps.onError?.(err, 'public ward index failed; will rebuild on the next request')
	});

	async function publicReport(id: string): Promise<Report | null> {
		const r = await deps.reports.get(id);
		return isPublicReport(r, deps.tenantId) ? r : null;
	}

	return {
		/** Starts building the ward index in the background (requests wait for it). */
		start(): void {
			index.ready().catch(() => undefined);
		},
		close: () => index.close(),

		/** The ward's public reports changed after `since`, oldest first; `next` continues, null when empty. */
		async page(ward: string, since: string | null, limit: number): Promise<PublicReportPage> {
			await index.ready();
			const keys = index.after(ward, since === null ? null : keyOfCursor(since), limit);
			if (!keys.length) return { reports: [], next: null };
			const docs = await deps.reports.getMany(keys.map(idOfKey));
			const reports: PublicReport[] = [];
			for (const key of keys) {
				// A report changed since it was indexed still goes out now, in its newest state; its newer
				// key brings it again later, and the device keeps one copy per id.
				const doc = docs.get(idOfKey(key))?.doc;
				if (isPublicReport(doc, deps.tenantId) && doc.wardCode === ward) reports.push(publicReportOf(doc));
			}
			return { reports, next: cursorOfKey(keys[keys.length - 1]) };
		},

		/** One public report and its public timeline (server order), or null when it is not public. */
		async detail(id: string): Promise<PublicReportDetail | null> {
			const report = await publicReport(id);
			if (!report) return null;
			const events = (await deps.eventsOf([id])).get(id) ?? [];
			return { report: publicReportOf(report), events: orderEvents(events).map(publicEventOf) };
		},

		/**
		 * The file of a public photo: a report's own photo, or a photo a handler or leader attached to
		 * a step (progress, result). Never a photo a resident attached to an answer, nor one of a report
		 * that is not public. Null when there is none to show.
		 */
		async mediaFile(id: string, thumb: boolean): Promise<{ path: string; size: number } | null> {
			const media = await deps.media.get(id);
			if (!media || media._deleted || media.status !== 'ready' || media.tenantId !== deps.tenantId) return null;
			const report = await publicReport(media.reportId);
			if (!report || !(await isPublicPhoto(report, media))) return null;
			const paths = mediaPaths(deps.mediaDir, id);
			const path = thumb ? paths.thumb : paths.photo;
			const info = await stat(path).catch(() => null);
			return info ? { path, size: info.size } : null;
		}
	};

	/**
	 * A report's own photo, or a photo of a step whose public projection shows it (staff evidence:
	 * domain/public.ts). Staff can only upload step photos with their step's id (media/tus-uploads.ts),
	 * so a photo without `eventId` is public only as one of the report's own.
	 */
	async function isPublicPhoto(report: Report, media: Media): Promise<boolean> {
		if (!media.eventId) return report.photoIds.includes(media.id);
		const e = await deps.events.get(media.eventId);
		return !!e && !e._deleted && !!e.serverAt && e.reportId === report.id && !!toPublicEvent(e).photoIds?.includes(media.id);
	}
}

export type PublicService = ReturnType<typeof createPublicService>;
