/** Limits shared by the form and the server, in a module without zod (cheap to import on light pages). */
export const MAX_PHOTOS = 5;

/** The longest reason a resident gives for withdrawing a report: a sentence or two, for the units only. */
export const WITHDRAW_REASON_MAX = 500;

/** The longest reason a resident gives for contesting an "invalid" decision: read by a leader. */
export const CONTEST_REASON_MAX = 1000;

/** Longest description a report may carry (characters, as the browser's maxlength counts them). */
export const MAX_DESCRIPTION = 4000;

/**
 * Photos a category needs when its tenant data does not say (`photosRequired`): none, as before the
 * field existed, so a province that has not decided keeps accepting reports without photos.
 */
export const DEFAULT_PHOTOS_REQUIRED = 0;

/** The fewest photos a report of this category may be sent with. */
export function photosRequiredFor(category: { photosRequired?: number } | undefined): number {
	return category?.photosRequired ?? DEFAULT_PHOTOS_REQUIRED;
}

/** Limits the server enforces on an uploaded photo (and the device before it sends). */
export const MEDIA_LIMITS = {
	maxBytes: 15 * 1024 * 1024,
	/** A decompression ("pixel") bomb is refused before it is decoded. */
	maxPixels: 50_000_000,
	/** The long side a stored photo is re-encoded to; thumbnails are 320 px. */
	storedLongSide: 1600,
	thumbLongSide: 320,
	allowedMime: ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', 'image/avif']
} as const;
