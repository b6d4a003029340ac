/**
 * Finding a parcel by its address as residents type it (issue 14: "or by address/ward"): with or
 * without accents, any case, "tdp" / "tổ" / "tổ dân phố" alike, "số" optional, numbers as whole
 * numbers ("28" is not "128"). Pure and zod-free: the sync-server and a downloaded ward on the device
 * (offline-area/offline-lookups.ts) answer the same way. Each address is folded and cut into words
 * once, when the index is built (per plan or per downloaded package): a keystroke only looks words up.
 */

/** What the matcher needs of a parcel (domain/zoning.ts Parcel has these). */
export interface AddressedParcel {
	wardCode: string;
	sheet: number;
	number: number;
	address?: string;
}

/** Lower case, no tone marks or hats, đ → d (as i18n/fold.ts; repeated here to keep the domain free of the UI's modules). */
const foldText = (text: string) =>
	text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[đĐ]/g, 'd')
		.toLowerCase();

/**
 * Words written several ways in addresses, each read as one word. Longest first: "tổ dân phố" before
 * "tổ". Only the words of addresses in general (no place's names): a tenant's own spellings are data.
 */
const PHRASES: [string[], string][] = [
	[['to', 'dan', 'pho'], 'tdp'],
	[['khu', 'pho'], 'kp'],
	[['thanh', 'pho'], 'tp'],
	[['thi', 'tran'], 'tt'],
	[['so', 'nha'], 'so'],
	[['to'], 'tdp']
];
/** Words that say what the number after them is: "số 28" (the house), "tổ 4" (the residential group). */
const LABELS = new Set(['so', 'tdp', 'kp', 'hem', 'ngo', 'kiet', 'ngach', 'thon', 'ap', 'khom']);

interface Word {
	text: string;
	/** The number's value, when the word is one. */
	num?: number;
	/** For a number: the label word before it (LABELS), which a query's label must agree with. */
	label?: string;
}

/** Letters and digits apart ("tdp4" → "tdp 4", "28/4" → "28 4"), every other sign a space. */
const rawWords = (text: string) =>
	foldText(text)
		.replace(/(\d)(?=[a-z])|([a-z])(?=\d)/g, '$1$2 ')
		.split(/[^a-z0-9]+/)
		.filter(Boolean);

/**
 * Folded words with the phrases joined, "số" dropped (kept only as a number's label). `partialEnd`:
 * a query still being typed, whose last words may be the start of a phrase ("tổ dân").
 */
function wordsOf(text: string, partialEnd = false): Word[] {
	const raw = rawWords(text);
	const joined: string[] = [];
	for (let i = 0; i < raw.length; ) {
		let step = 1;
		let word = raw[i];
		for (const [phrase, as] of PHRASES) {
			const full = phrase.every((p, k) => raw[i + k] === p);
			// "to dan ph" at the end of a query: the start of "tổ dân phố" (at least "to d…").
			const rest = raw.length - i;
			const started =
				partialEnd && !full && rest >= 2 && rest <= phrase.length &&
				raw.slice(i).every((w, k) => (k === rest - 1 ? phrase[k].startsWith(w) : phrase[k] === w));
			if (full || started) {
				word = as;
				step = full ? phrase.length : rest;
				break;
			}
		}
		joined.push(word);
		i += step;
	}
	const words: Word[] = [];
	joined.forEach((text, i) => {
		if (/^\d+$/.test(text)) {
			const before = joined[i - 1];
			// "028" is the house 28: a number's word is its value's own digits.
			words.push({ text: String(Number(text)), num: Number(text), ...(before && LABELS.has(before) ? { label: before } : {}) });
		} else if (text !== 'so') words.push({ text });
	});
	return words;
}

/** How well one query word fits one address word: 2 exact, 1 the start of it (still typing), 0 not. */
function fit(q: Word, a: Word): number {
	if (q.num !== undefined) {
		if (a.num !== q.num) return 0;
		return q.label && a.label && q.label !== a.label ? 0 : 2;
	}
	if (a.num !== undefined) return 0;
	return a.text === q.text ? 2 : a.text.startsWith(q.text) ? 1 : 0;
}

interface Entry<P> {
	parcel: P;
	words: Word[];
}

interface WardIndex<P> {
	entries: Entry<P>[];
	/** Every word of the ward's addresses → the entries holding it: a query's rarest word narrows the scan. */
	byWord: Map<string, number[]>;
}

/** A match's rank: more exact words, then in the order typed, then earlier in the address, then fewer extra words. */
type Rank = [exact: number, ordered: number, position: number, extra: number];

function rankOf(query: Word[], words: Word[]): Rank | null {
	const used = new Set<number>();
	let exact = 0, ordered = 0, position = 0, last = -1;
	for (const q of query) {
		let best = -1, bestFit = 0;
		for (let i = 0; i < words.length; i++) {
			if (used.has(i)) continue;
			const f = fit(q, words[i]);
			// The best fit; among equals the first after the previous word (the order typed), else the first.
			if (f > bestFit || (f === bestFit && f > 0 && best < last && i > last)) {
				best = i;
				bestFit = f;
			}
		}
		if (best < 0) return null;
		used.add(best);
		if (bestFit === 2) exact++;
		if (best > last) ordered++;
		position += best;
		last = best;
	}
	return [exact, ordered, position, words.length - query.length];
}

const better = (a: Rank, b: Rank) => b[0] - a[0] || b[1] - a[1] || a[2] - b[2] || a[3] - b[3];

/** What a resident types, as the route accepts it (the page asks from 2 characters on). */
export const ADDRESS_QUERY = { min: 2, max: 80 } as const;

/** At most this many answers: a short list a resident reads on a phone. */
export const ADDRESS_MATCH_LIMIT = 10;

/**
 * An address index over a plan's (or a downloaded ward's) parcels, built once; `search(ward, query)`
 * answers the parcels of that ward whose address holds every word typed, best first, at most 10.
 * A query with no word left (only "số", signs) answers nothing.
 */
export function parcelAddressIndex<P extends AddressedParcel>(parcels: readonly P[]) {
	const wards = new Map<string, WardIndex<P>>();
	for (const parcel of parcels) {
		if (!parcel.address?.trim()) continue;
		let w = wards.get(parcel.wardCode);
		if (!w) wards.set(parcel.wardCode, (w = { entries: [], byWord: new Map() }));
		const words = wordsOf(parcel.address);
		const at = w.entries.push({ parcel, words }) - 1;
		for (const text of new Set(words.map((x) => x.text))) {
			const list = w.byWord.get(text);
			if (list) list.push(at);
			else w.byWord.set(text, [at]);
		}
	}

	/** The entries that could hold a word: exactly for a number, by its start for a word being typed. */
	function holding(w: WardIndex<P>, q: Word): Set<number> {
		if (q.num !== undefined) return new Set(w.byWord.get(q.text) ?? []);
		const found = new Set<number>();
		for (const [text, list] of w.byWord) if (text.startsWith(q.text)) for (const i of list) found.add(i);
		return found;
	}

	return {
		search(wardCode: string, query: string, limit = ADDRESS_MATCH_LIMIT): P[] {
			const w = wards.get(wardCode);
			const words = wordsOf(query.slice(0, 200), true);
			if (!w || !words.length) return [];
			let candidates = holding(w, words[0]);
			for (const q of words.slice(1)) {
				if (!candidates.size) return [];
				const has = holding(w, q);
				candidates = new Set([...candidates].filter((i) => has.has(i)));
			}
			const ranked: { entry: Entry<P>; rank: Rank }[] = [];
			for (const i of candidates) {
				const rank = rankOf(words, w.entries[i].words);
				if (rank) ranked.push({ entry: w.entries[i], rank });
			}
			ranked.sort((a, b) => better(a.rank, b.rank) || a.entry.parcel.sheet - b.entry.parcel.sheet || a.entry.parcel.number - b.entry.parcel.number);
			return ranked.slice(0, limit).map((r) => r.entry.parcel);
		}
	};
}
export type ParcelAddressIndex<P extends AddressedParcel> = ReturnType<typeof parcelAddressIndex<P>>;
