import { MAX_DESCRIPTION } from '../domain/limits';
import type { Location } from '../domain/report';

/**
 * Rules of the report form that need no browser: which picked photos are added, what happens to
 * coordinates when a ward is picked by hand, when the description's counter shows. Zod-free (the
 * form's first load).
 */

/** What tells one picked file from another without reading it: a gallery gives the same three values for the same photo. */
export function photoKey(f: { name?: string; size: number; lastModified?: number }): string {
	return `${f.name ?? ''}|${f.size}|${f.lastModified ?? ''}`;
}

export interface PhotoPick<T> {
	/** The files to prepare, in the order picked. */
	accept: T[];
	/** Files already in the report (or twice in this pick): not added again. */
	duplicates: number;
	/** Files past the report's limit: not added. */
	overflow: number;
}

/** Which of the picked files are added: new ones, while there is room (`room` = the limit less the photos already there or being prepared). */
export function planPhotoPick<T extends { name?: string; size: number; lastModified?: number }>(
	files: T[],
	opts: { room: number; known: Iterable<string> }
): PhotoPick<T> {
	const seen = new Set(opts.known);
	const plan: PhotoPick<T> = { accept: [], duplicates: 0, overflow: 0 };
	for (const f of files) {
		const key = photoKey(f);
		if (seen.has(key)) plan.duplicates++;
		else if (plan.accept.length >= opts.room) plan.overflow++;
		else {
			seen.add(key);
			plan.accept.push(f);
		}
	}
	return plan;
}

/**
 * The location once the resident picks a ward by hand: coordinates stay only when they agree with
 * that ward (`agrees`: domain/geo.ts `wardMatcher`, with its GPS tolerance); a fix elsewhere (another
 * province, another ward) or one the device cannot check is dropped, so handlers and the public
 * never see a position that contradicts the ward, and the server never refuses it.
 */
export function placeForWard(location: Location | undefined, agrees: boolean | null): Location {
	if (location && location.source !== 'ward' && agrees === true) return location;
	return { source: 'ward' };
}

/** The counter shows from this many characters left. */
const COUNTER_FROM_REMAINING = 500;

/** The description's counter and limit message (the textarea's maxlength stops typing at the limit). */
export function descriptionStatus(text: string, max = MAX_DESCRIPTION) {
	const length = text.length;
	const remaining = Math.max(0, max - length);
	return { length, remaining, max, showCounter: remaining <= COUNTER_FROM_REMAINING, atLimit: length >= max };
}
