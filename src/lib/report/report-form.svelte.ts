import type { Contact } from '../domain/contact';
import { isErrorCode } from '../domain/errors';
import { MAX_PHOTOS } from '../domain/limits';
import type { ReportInput } from '../domain/report';
import type { TenantConfig } from '../domain/tenant';
import type { Draft, PhotoRow } from '../sync/local-db';
import { kickOutbox, requestBackgroundSync } from '../sync/outbox-trigger';
import {
	discardDraft,
	draftHasContent,
	emptyDraft,
	loadCurrentDraft,
	photosOf,
	prepareDraftPhoto,
	removeDraftPhoto,
	saveDraft,
	submitDraft
} from './draft.service';
import { wardAgrees } from '../map/ward-detect';
import { photoKey, planPhotoPick } from './form-rules';
import type { FieldErrors } from './report-build';

/** The zod check loads on the first "Gửi" (the SW precaches it for offline use). */
const loadBuilder = () => import('./report-build');
type Built = ReturnType<Awaited<ReturnType<typeof loadBuilder>>['buildReport']>;

export interface ReportFormOptions {
	/** The tenant's lists (categories, wards, photo encoding), as the page has them now. */
	tenant: () => TenantConfig | null;
	/** The volunteer a villager's report is filed by: their own draft, never the resident's. */
	assistedBy?: string;
	/** Who the red lines are checked as while the form is corrected (the author is known on "Gửi"). */
	checkAs: string;
	/** An empty form may not be worth a draft (default: every change is saved). */
	worthSaving?: (draft: Draft) => boolean;
	/** Checks of the page's own fields, run with the report's; what they read is followed too. */
	extraCheck?: (draft: Draft) => void;
	/** Photos were picked (before they are prepared). */
	onpick?: () => void;
}

/** What a report form shows; `loaded`: the draft is the device's (restored), not the placeholder. */
export interface ReportFormState {
	loaded: boolean;
	draft: Draft;
	photos: PhotoRow[];
	/** Photos being prepared right now. */
	busy: number;
	photoError: string | undefined;
	/**
	 * What the last pick did not add, said once (a status, not an error: the photos kept are fine):
	 * photos past the limit, or already in the report. Cleared by the next pick, a removal or "Gửi".
	 */
	photoNotice: { overLimit: number; duplicates: number } | undefined;
	errors: FieldErrors;
	attempted: boolean;
	submitting: boolean;
	/** A save has landed on the device. */
	saved: boolean;
}

export type ReportForm = ReturnType<typeof createReportForm>;

/**
 * The state and steps of a report form, shared by the resident's (/report) and the volunteer's for a
 * villager: the draft saved on the device as it is typed (a reload, a crash or a dead battery loses
 * nothing), its photos prepared when picked, the red lines, and "Gửi" moving it to the outbox.
 * Create it while the component initialises (it sets up effects); call `attach()` from onMount.
 * (Closures over one state object, not a class: this is on the resident form's first load, and
 * minifies smaller.)
 */
export function createReportForm(opts: ReportFormOptions) {
	const state: ReportFormState = $state({
		loaded: false,
		draft: emptyDraft(),
		photos: [],
		busy: 0,
		photoError: undefined,
		photoNotice: undefined,
		errors: {},
		attempted: false,
		submitting: false,
		saved: false
	});
	/** Keys of the photos being prepared right now (not yet in `state.photos`). */
	const preparing = new Set<string>();
	/** Object URLs of the photo blobs, made once per photo and revoked when it goes. */
	const urls = new Map<string, string>();
	let saveTimer: ReturnType<typeof setTimeout> | undefined;

	function urlOf(p: PhotoRow): string {
		let url = urls.get(p.id);
		if (!url && p.blob) urls.set(p.id, (url = URL.createObjectURL(p.blob)));
		return url ?? '';
	}
	function revokeAll() {
		for (const url of urls.values()) URL.revokeObjectURL(url);
		urls.clear();
	}
	const thumbs = $derived(state.photos.map((p) => ({ id: p.id, url: urlOf(p) })));
	const photoGps = $derived(state.photos.find((p) => p.gps)?.gps ?? null);
	const hasContent = $derived(
		!!(state.draft.categoryCode || state.draft.description || state.draft.photoIds.length || state.draft.location)
	);

	// Saved as it is typed, a moment after the last key.
	$effect(() => {
		if (!state.loaded) return;
		const snapshot = $state.snapshot(state.draft);
		clearTimeout(saveTimer);
		if (opts.worthSaving && !opts.worthSaving(snapshot)) return;
		saveTimer = setTimeout(async () => {
			await saveDraft(snapshot);
			// "Draft saved" speaks of what the user typed: never on an empty form (a fresh page saves one too).
			state.saved = draftHasContent(snapshot);
		}, 300);
	});

	// After a first try, the red lines follow the corrections.
	$effect(() => {
		const config = opts.tenant();
		if (!state.attempted || !state.loaded || !config) return;
		const snapshot = $state.snapshot(state.draft);
		opts.extraCheck?.(snapshot);
		void loadBuilder().then(({ buildReport }) => {
			state.errors = buildReport(snapshot, { tenant: config, authorId: opts.checkAs }).errors;
		});
	});

	/** An empty form (the next report). */
	function reset(): void {
		revokeAll();
		state.photos = [];
		state.errors = {};
		state.attempted = false;
		state.photoError = undefined;
		state.photoNotice = undefined;
		state.draft = opts.assistedBy ? { ...emptyDraft(), assistedBy: opts.assistedBy } : emptyDraft();
	}

	return {
		state,
		get thumbs() {
			return thumbs;
		},
		get photoGps() {
			return photoGps;
		},
		get hasContent() {
			return hasContent;
		},

		/** The draft being written (with its photos), or a fresh one. */
		async load(): Promise<void> {
			const d = await loadCurrentDraft(opts.assistedBy);
			const stored = await photosOf(d.id);
			state.photos = d.photoIds.map((id) => stored.find((p) => p.id === id)).filter((p): p is PhotoRow => !!p);
			state.draft = d;
			state.loaded = true;
		},

		/** For onMount: the draft is saved when the page goes, the photo URLs freed with the form. */
		attach(): () => void {
			const flush = () => state.loaded && void saveDraft($state.snapshot(state.draft));
			window.addEventListener('pagehide', flush);
			return () => {
				window.removeEventListener('pagehide', flush);
				revokeAll();
			};
		},

		async addPhotos(files: File[]): Promise<void> {
			if (!state.loaded) return;
			state.photoError = undefined;
			// The limit is kept by adding fewer, said as a notice: nothing is wrong with the photos kept.
			const known = [...state.photos.map((p) => p.sourceKey ?? ''), ...preparing];
			const plan = planPhotoPick(files, { room: MAX_PHOTOS - state.draft.photoIds.length - state.busy, known });
			state.photoNotice = plan.overflow || plan.duplicates ? { overLimit: plan.overflow, duplicates: plan.duplicates } : undefined;
			opts.onpick?.();
			for (const file of plan.accept) {
				const key = photoKey(file);
				preparing.add(key);
				state.busy++;
				try {
					// Encoded as the tenant asks (cached config); the resize worker loads on the first photo.
					const row = await prepareDraftPhoto(file, state.draft.id, opts.tenant()?.photoEncoding, key);
					state.photos = [...state.photos, row];
					state.draft.photoIds = [...state.draft.photoIds, row.id];
				} catch (e) {
					const code = (e as { code?: unknown })?.code;
					state.photoError = isErrorCode(code) ? code : 'photo_failed';
				} finally {
					preparing.delete(key);
					state.busy--;
				}
			}
		},

		async removePhoto(id: string): Promise<void> {
			if (!state.loaded) return;
			state.draft.photoIds = state.draft.photoIds.filter((p) => p !== id);
			state.photos = state.photos.filter((p) => p.id !== id);
			const url = urls.get(id);
			if (url) URL.revokeObjectURL(url);
			urls.delete(id);
			state.photoError = undefined;
			state.photoNotice = undefined;
			await removeDraftPhoto(id);
		},

		/**
		 * The check on "Gửi": the red lines, and the report and contact when all is well. The draft as
		 * checked (for a villager's, marked with the volunteer) comes back with it.
		 */
		async check(authorId: () => string | Promise<string>): Promise<{ built: Built; snapshot: Draft } | null> {
			const config = opts.tenant();
			if (!config) return null;
			const { buildReport } = await loadBuilder();
			state.attempted = true;
			state.photoNotice = undefined;
			// Coordinates that disagree with the ward (a draft kept from before the form dropped them on
			// a pick by hand) go: the ward alone is sent, never a position the server refuses.
			const loc = state.draft.location;
			if (loc && loc.source !== 'ward' && state.draft.wardCode && (await wardAgrees(state.draft.wardCode, loc.lat, loc.lng)) === false)
				state.draft.location = { source: 'ward' };
			const snapshot = { ...$state.snapshot(state.draft), ...(opts.assistedBy ? { assistedBy: opts.assistedBy } : {}) };
			const built = buildReport(snapshot, { tenant: config, authorId: await authorId() });
			state.errors = built.errors;
			opts.extraCheck?.(snapshot);
			return { built, snapshot };
		},

		/** Moves the checked report to the outbox, then sends it now if there is a network; Background Sync (or the next visit) otherwise. */
		async deliver(report: ReportInput, contact: Contact | undefined): Promise<void> {
			const draftId = state.draft.id;
			state.submitting = true;
			clearTimeout(saveTimer);
			await submitDraft(draftId, report, contact);
			void kickOutbox();
			void requestBackgroundSync();
		},

		reset,

		/** "Start over": the draft and its photos leave the device. */
		async startOver(): Promise<void> {
			if (!state.loaded) return;
			await discardDraft(state.draft.id);
			reset();
		}
	};
}
