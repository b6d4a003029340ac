import { stat } from 'node:fs/promises';
import type { ReportEvent } from '$lib/domain/event';
import type { Media } from '$lib/domain/media';
import { toPublicEvent, toPublicReport, type PublicReport, type PublicReportDetail, type PublicReportPage } from '$lib/domain/public';
import type { Report } from '$lib/domain/report';
import type { Category } from '$lib/domain/tenant';
import { orderEvents } from '$lib/domain/report-state';
import { photoBelongs, type PhotoClaim } from '../media/photo-claims';
import { mediaPaths } from '../media/tus-uploads';
import type { TrackingClaim } from '../reports/tracking-code';
import type { Store } from '../storage/storage';
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
	/** Who each photo id belongs to (media/photo-claims.ts). */
	claims?: Pick<Store<PhotoClaim>, 'get'>;
	/** Which report holds each tracking code (reports/tracking-code.ts, the `tracking-codes` store). */
	trackingCodes?: Pick<Store<TrackingClaim>, 'get'>;
	/** The tenant's categories: a category with `publicLocationBlurM` is shown only to within that. */
	categories?: readonly Pick<Category, 'code' | 'publicLocationBlurM'>[];
}

/**
 * What anyone may read about a tenant's reports, without logging in: a ward's reports page by page
 * (a device keeps an area fresh with the cursor), one report with its public timeline, and the
 * photos of public reports. Everything goes through the allow-list projection of domain/public.ts,
 * which also masks phone numbers in the words it lets through.
 */
export function createPublicService(deps: PublicServiceDeps) {
	const blurOf = new Map((deps.categories ?? []).map((c) => [c.code, c.publicLocationBlurM]));
	const project = (r: Report) => toPublicReport(r, blurOf.get(r.categoryCode));
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
				if (isPublicReport(doc, deps.tenantId) && doc.wardCode === ward) reports.push(project(doc));
			}
			return { reports, next: cursorOfKey(keys[keys.length - 1]) };
		},

		/** One public report and its public timeline (server order), or null when it is not public. */
		async detail(id: string): Promise<PublicReportDetail | null> {
			const report = await publicReport(id);
			if (!report) return null;
			const events = (await deps.eventsOf([id])).get(id) ?? [];
			return { report: project(report), events: orderEvents(events).map(toPublicEvent) };
		},

		/**
		 * The public report holding a tracking code (in canonical form), or null when no public report
		 * does: unknown and no longer public read the same. The claim must be the report's own code: a
		 * report's retried intake on another day claimed a second candidate it does not carry.
		 */
		async byCode(code: string): Promise<PublicReportDetail | null> {
			const claim = await deps.trackingCodes?.get(code);
			if (!claim) return null;
			const detail = await this.detail(claim.reportId);
			return detail?.report.trackingCode === code ? detail : null;
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
		// Through the report or step that lists it, uploaded by its author or actor: never an image
		// someone else put under that photo id.
		const belongs = await photoBelongs(media, {
			getReport: async () => report,
			getEvent: (id) => deps.events.get(id),
			getClaim: async (id) => (await deps.claims?.get(id)) ?? null
		});
		if (!belongs) return false;
		if (!media.eventId) return true;
		const e = await deps.events.get(media.eventId);
		return !!e && !!e.serverAt && !!toPublicEvent(e).photoIds?.includes(media.id);
	}
}

export type PublicService = ReturnType<typeof createPublicService>;
