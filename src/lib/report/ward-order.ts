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

export function orderWards(units: readonly AdminUnit[], opts: WardOrderOptions): AdminUnit[] {
	const collator = new Intl.Collator(opts.locale === 'en' ? 'en' : 'vi', { sensitivity: 'base', numeric: true });
	const label = (u: AdminUnit) => (opts.locale === 'en' ? u.nameEn : u.name.replace(TYPE_PREFIX, ''));
	const first = new Set(opts.first ?? []);
	const far = (u: AdminUnit) => opts.distances?.get(u.code) ?? Infinity;
	return [...units].sort(
		(a, b) =>
			Number(first.has(b.code)) - Number(first.has(a.code)) ||
			(opts.distances ? far(a) - far(b) || 0 : 0) ||
			collator.compare(label(a), label(b)) ||
			collator.compare(a.name, b.name)
	);
}
