/**
 * Dictionaries of one area of the app (handling, public pages, the resident's reports…), kept out
 * of the core dictionary so that a page only ships the words it shows: the report form's first
 * load stays small. A page imports its area module; importing it registers the words, and `t()`
 * finds them under `<area>.<key>`. English is typed from Vietnamese, so a missing key is a type error.
 */

export type AreaDictionary<T> = { [K in keyof T]: T[K] extends string ? string : AreaDictionary<T[K]> };

export interface Area<T> {
	name: string;
	vi: T;
	en: AreaDictionary<T>;
}

/** Every area loaded so far, by name. */
export const areas = new Map<string, Area<unknown>>();

export function defineArea<const N extends string, T extends Record<string, unknown>>(
	name: N,
	dict: { vi: T; en: AreaDictionary<T> }
): Area<T> & { name: N } {
	const area = { name, ...dict };
	areas.set(name, area as Area<unknown>);
	return area;
}
