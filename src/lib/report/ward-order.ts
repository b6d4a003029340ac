import type { AdminUnit } from '$lib/domain/tenant';

/**
 * The order of the ward/commune list on the report form. A resident scrolling 124 names looks for
 * the one they stand in: with a location, nearest first (the ward that contains it is at 0 m);
 * without one, alphabetically by the name itself ("Phường"/"Xã" before every name would otherwise
 * split the list in two). A volunteer team's own communes (its units' wards) come first either way.
 */
export interface WardOrderOptions {
	locale: 'vi' | 'en';
	/** Metres from the known location to each ward (0 inside), when there is a location. */
	distances?: ReadonlyMap<string, number> | null;
	/** Codes shown before the others (a volunteer team's communes). */
	first?: readonly string[];
}

const TYPE_PREFIX = /^(phường|xã|đặc khu|thị trấn)\s+/iu;

/**
 * The alphabetical order of a province's list in one language, sorted once per page: comparing 124
 * Vietnamese names with Intl.Collator costs tens of milliseconds on a cheap phone, too much to pay
 * again on every keystroke in the picker or every new GPS fix.
 */
const alphabetical = new WeakMap<readonly AdminUnit[], Map<WardOrderOptions['locale'], readonly AdminUnit[]>>();

function alphabeticalOrder(units: readonly AdminUnit[], locale: WardOrderOptions['locale']): readonly AdminUnit[] {
	let byLocale = alphabetical.get(units);
	if (!byLocale) alphabetical.set(units, (byLocale = new Map()));
	let sorted = byLocale.get(locale);
	if (!sorted) {
		const collator = new Intl.Collator(locale === 'en' ? 'en' : 'vi', { sensitivity: 'base', numeric: true });
		const keyed = units.map((u) => ({ u, label: locale === 'en' ? u.nameEn : u.name.replace(TYPE_PREFIX, '') }));
		keyed.sort((a, b) => collator.compare(a.label, b.label) || collator.compare(a.u.name, b.u.name));
		sorted = keyed.map((k) => k.u);
		byLocale.set(locale, sorted);
	}
	return sorted;
}

export function orderWards(units: readonly AdminUnit[], opts: WardOrderOptions): AdminUnit[] {
	const base = alphabeticalOrder(units, opts.locale);
	const first = new Set(opts.first ?? []);
	if (!first.size && !opts.distances) return [...base];
	const far = (u: AdminUnit) => opts.distances?.get(u.code) ?? Infinity;
	// Array.prototype.sort is stable: equals (same distance, both first or not) stay alphabetical.
	return [...base].sort(
		(a, b) => Number(first.has(b.code)) - Number(first.has(a.code)) || (opts.distances ? far(a) - far(b) || 0 : 0)
	);
}
