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
