import MiniSearch from 'minisearch';
import type { Procedure } from '../domain/procedure';
import { queryTerms, syllables } from './vi-terms';

/**
 * Search over a tenant's procedure catalogue, on the device (offline after one visit), as the
 * resident types. MiniSearch, chosen by measurement against Orama and FlexSearch and a hand-made
 * index (bench/procedure-search.bench.ts, figures in docs/BENCHMARKS.md): the text is folded and cut
 * into syllables by our own code (vi-terms.ts) before any library sees it, so no library's idea of
 * accents (some fold only Latin-1 and mangle Vietnamese) matters.
 *
 * - diacritics and case: folded on both sides ("giay phep" finds "Giấy phép");
 * - word order: the ranking is by the syllables that match, wherever they are;
 * - one typo: a syllable of 5 letters or more ("truong", "nguoi") matches at one edit, weighted
 *   below an exact match (shorter ones would match half the language: "phep" is one edit from
 *   "phap", "khep", "pheo");
 * - as you type: the last syllable, from its second letter, matches as a prefix (not fuzzily: it
 *   is not finished);
 * - a document's name is not searched: it made each keystroke twice as slow for no better hits
 *   (bench/procedure-search.bench.ts);
 * - abbreviations ("xd", "gcn") are expanded, everyday names are each procedure's `aliases`.
 */

interface Entry {
	id: string;
	name: string;
	aliases: string;
	nameEn: string;
	field: string;
}

export interface ProcedureSearch {
	/** Codes of the best matches first; an empty or blank query gives none. */
	search(query: string, limit?: number): string[];
}

const FIELDS = ['name', 'aliases', 'nameEn', 'field'] as const;
/** How much a name fully said by the query adds to its score (×1.3 at most; 0.3 hit best on the test set). */
const NAME_COVERAGE_WEIGHT = 0.3;
/** Results scoring under this share of the best one are left out. */
const RELEVANT_SHARE = 0.25;

export function createProcedureSearch(procedures: readonly Procedure[]): ProcedureSearch {
	const index = new MiniSearch<Entry>({
		idField: 'id',
		fields: [...FIELDS],
		// Folded syllables at indexing; queries arrive folded and expanded (queryTerms), split on spaces.
		tokenize: (text) => syllables(text),
		processTerm: (term) => term,
		searchOptions: {
			tokenize: (text) => text.split(' ').filter(Boolean),
			boost: { name: 3, aliases: 2.5, nameEn: 1.2, field: 1 },
			prefix: (term, i, terms) => i === terms.length - 1 && term.length >= 2,
			fuzzy: (term, i, terms) => (i < terms.length - 1 && term.length >= 5 ? 1 : false),
			weights: { fuzzy: 0.45, prefix: 0.6 }
		}
	});
	index.addAll(
		procedures.map((p) => ({
			id: p.code,
			name: p.nameVi,
			aliases: p.aliases.join(' . '),
			nameEn: p.nameEn,
			field: `${p.fieldVi} ${p.fieldEn}`
		}))
	);
	// A name the query says whole outranks a longer one that merely contains it ("Đăng ký khai sinh"
	// before "Đăng ký khai sinh kết hợp nhận cha, mẹ, con"): the score grows with the share of the
	// name's syllables the query has.
	const nameSyllables = new Map(procedures.map((p) => [p.code, new Set(syllables(p.nameVi))]));
	return {
		search(query, limit = 20) {
			const terms = queryTerms(query);
			if (!terms.length) return [];
			const asked = new Set(terms);
			return index
				.search(terms.join(' '))
				.map((r) => {
					const name = nameSyllables.get(String(r.id));
					let covered = 0;
					for (const s of name ?? []) if (asked.has(s)) covered++;
					return { id: String(r.id), score: r.score * (1 + (name?.size ? (NAME_COVERAGE_WEIGHT * covered) / name.size : 0)) };
				})
				.sort((a, b) => b.score - a.score)
				// What matched one syllable in passing ("do" in "kinh doanh" while "sổ đỏ" is typed) is not
				// offered next to what matched the query.
				.filter((r, _, all) => r.score >= RELEVANT_SHARE * all[0].score)
				.slice(0, limit)
				.map((r) => r.id);
		}
	};
}
