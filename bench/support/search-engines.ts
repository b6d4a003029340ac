/**
 * The procedure search's contenders, for bench/procedure-search.bench.ts: the same catalogue and
 * queries through each, so the choice (src/lib/procedures/procedure-search.ts) rests on figures.
 * Each library gets our Vietnamese folding and syllables (lib/procedures/vi-terms.ts) — the fair
 * comparison — and FlexSearch and Orama also run once with their own default text handling, to
 * show what that does to Vietnamese. Same fields and weights everywhere: name 3, aliases 2.5,
 * English name 1.2, field 1 (Orama and FlexSearch take what they can of that).
 */
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import FlexSearch from 'flexsearch';
import type { Procedure } from '../../src/lib/domain/procedure';
import { foldedIncludes } from '../../src/lib/i18n/fold';
import { createProcedureSearch } from '../../src/lib/procedures/procedure-search';
import { queryTerms, syllables } from '../../src/lib/procedures/vi-terms';

export interface Engine {
	name: string;
	/** Builds the index; returns the search (codes, best first). */
	build(procedures: readonly Procedure[]): (query: string) => string[];
}

const docOf = (p: Procedure) => ({
	id: p.code,
	name: p.nameVi,
	aliases: p.aliases.join(' . '),
	nameEn: p.nameEn,
	field: `${p.fieldVi} ${p.fieldEn}`
});
const FIELDS = ['name', 'aliases', 'nameEn', 'field'] as const;
const BOOST: Record<(typeof FIELDS)[number], number> = { name: 3, aliases: 2.5, nameEn: 1.2, field: 1 };

const miniSearch: Engine = { name: 'MiniSearch 7 (chosen)', build: (ps) => createProcedureSearch(ps).search };

/** Every query word folded in the text (what the ward picker does): the naive baseline. */
const substring: Engine = {
	name: 'substring, all words (baseline)',
	build(ps) {
		const texts = ps.map((p) => ({ code: p.code, text: `${p.nameVi} ${p.aliases.join(' ')}` }));
		return (q) => texts.filter((t) => foldedIncludes(t.text, q)).map((t) => t.code);
	}
};

function orama(ourText: boolean): Engine {
	return {
		name: ourText ? 'Orama 3' : 'Orama 3, its own tokenizer',
		build(ps) {
			const db = create({
				schema: { name: 'string', aliases: 'string', nameEn: 'string', field: 'string' } as const,
				...(ourText ? { components: { tokenizer: { language: 'vietnamese', normalizationCache: new Map(), tokenize: (raw: string) => syllables(raw) } } } : {})
			});
			void insertMultiple(db, ps.map(docOf) as never);
			return (q) => {
				const term = ourText ? queryTerms(q).join(' ') : q;
				const r = oramaSearch(db, { term, boost: BOOST, tolerance: 1, limit: 20 }) as unknown as { hits: { document: { id: string } }[] };
				return r.hits.map((h) => h.document.id);
			};
		}
	};
}

function flexSearch(ourText: boolean): Engine {
	return {
		name: ourText ? 'FlexSearch 0.8' : 'FlexSearch 0.8, its own encoder',
		build(ps) {
			const indexes = FIELDS.map((f) => {
				const index = new FlexSearch.Index(ourText ? { tokenize: 'forward', encode: (t: string) => syllables(t) } : { tokenize: 'forward' });
				ps.forEach((p, i) => index.add(i, docOf(p)[f]));
				return { f, index };
			});
			return (q) => {
				const term = ourText ? queryTerms(q).join(' ') : q;
				const score = new Map<number, number>();
				for (const { f, index } of indexes) {
					const ids = index.search(term, { limit: 50, suggest: true }) as number[];
					ids.forEach((id, rank) => score.set(id, (score.get(id) ?? 0) + BOOST[f] / (1 + rank)));
				}
				return [...score].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([i]) => ps[i].code);
			};
		}
	};
}

export const ENGINES: Engine[] = [miniSearch, orama(true), flexSearch(true), orama(false), flexSearch(false), substring];
