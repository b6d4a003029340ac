import { randomUUID } from 'node:crypto';
import { ZoningPlanFile, type Parcel, type ZoningPlan, type ZoningZone } from '$lib/domain/zoning';
import type { Storage, StoredDoc } from '../storage/storage';

/**
 * Imported zoning plan versions in the province's storage ('zoning-plans'). A version is its
 * features in chunks (`c/<upload>/<n>`) and then one header (`v/<version>`) naming them: the header
 * is written last, create-only, so a version exists whole or not at all, and two instances importing
 * at once cannot both take one number. Chunks because CouchDB refuses documents over its
 * max_document_size (8 MB by default) and a 25 MB plan is one upload; ~1 MB keeps each write small.
 */
export interface PlanHeaderDoc extends StoredDoc {
	kind: 'header';
	plan: ZoningPlan;
	chunks: string[];
	zones: number;
	parcels: number;
	storedAt: string;
	storedBy: string;
}
interface PlanChunkDoc extends StoredDoc {
	kind: 'chunk';
	zones: ZoningZone[];
	parcels: Parcel[];
}
type PlanDoc = PlanHeaderDoc | PlanChunkDoc;

export const CHUNK_BYTES = 1_000_000;
const HEADER_PREFIX = 'v/';
export const headerId = (version: number) => `${HEADER_PREFIX}${String(version).padStart(8, '0')}`;
export const isHeaderId = (id: string) => id.startsWith(HEADER_PREFIX);

/** Features grouped so that each group's JSON stays near `max` bytes (one oversized feature gets a chunk of its own). */
export function chunkFeatures(zones: readonly ZoningZone[], parcels: readonly Parcel[], max = CHUNK_BYTES): { zones: ZoningZone[]; parcels: Parcel[] }[] {
	const out: { zones: ZoningZone[]; parcels: Parcel[] }[] = [];
	let cur = { zones: [] as ZoningZone[], parcels: [] as Parcel[] }, size = 0;
	const add = (kind: 'zones' | 'parcels', f: ZoningZone | Parcel) => {
		const n = JSON.stringify(f).length;
		if (size > 0 && size + n > max) {
			out.push(cur);
			cur = { zones: [], parcels: [] };
			size = 0;
		}
		(cur[kind] as unknown[]).push(f);
		size += n;
	};
	zones.forEach((z) => add('zones', z));
	parcels.forEach((p) => add('parcels', p));
	if (size > 0 || out.length === 0) out.push(cur);
	return out;
}

export function zoningPlanStore(storage: Storage) {
	const store = storage.store<PlanDoc>('zoning-plans');

	/** Every stored version's header, oldest first. */
	async function headers(): Promise<PlanHeaderDoc[]> {
		const ids: string[] = [];
		for (let after: string | null = null; ; ) {
			const page = await store.idsInRange({ start: HEADER_PREFIX, end: 'v0', limit: 500, after });
			ids.push(...page);
			if (page.length < 500) break;
			after = page[page.length - 1];
		}
		const docs = await store.getMany(ids);
		return ids.map((id) => docs.get(id)?.doc).filter((d): d is PlanHeaderDoc => d?.kind === 'header');
	}

	/** A version's whole file, checked again (a hand-edited or half-copied database must not take the look-up down); null: incomplete. */
	async function load(h: PlanHeaderDoc): Promise<ZoningPlanFile | null> {
		const docs = await store.getMany(h.chunks);
		const zones: ZoningZone[] = [], parcels: Parcel[] = [];
		for (const id of h.chunks) {
			const d = docs.get(id)?.doc;
			if (d?.kind !== 'chunk') return null;
			zones.push(...d.zones);
			parcels.push(...d.parcels);
		}
		const parsed = ZoningPlanFile.safeParse({ plan: h.plan, zones, parcels });
		return parsed.success ? parsed.data : null;
	}

	/**
	 * Stores a new version: the chunks, then the header under the next free number (above `floor`,
	 * the newest version already known, e.g. the tenant folder's). Returns the header as stored.
	 */
	async function save(file: Omit<ZoningPlanFile, 'plan'> & { plan: Omit<ZoningPlan, 'version'> }, floor: number, by: string, now: Date): Promise<PlanHeaderDoc> {
		const upload = randomUUID();
		const chunks = chunkFeatures(file.zones, file.parcels).map((c, i): PlanChunkDoc => ({ id: `c/${upload}/${String(i).padStart(5, '0')}`, kind: 'chunk', ...c }));
		// A few at a time: each chunk is up to ~1 MB, and one bulk request of 25 MB is what we avoid.
		for (let i = 0; i < chunks.length; i += 4) {
			const res = await store.bulkPut(chunks.slice(i, i + 4).map((doc) => ({ doc, rev: null })));
			const bad = res.find((r) => !r.ok);
			if (bad && !bad.ok) throw new Error(`zoning chunk not stored: ${bad.error}`);
		}
		for (let attempt = 0; attempt < 10; attempt++) {
			const newest = (await headers()).reduce((m, h) => Math.max(m, h.plan.version), floor);
			const version = newest + 1;
			const header: PlanHeaderDoc = {
				id: headerId(version),
				kind: 'header',
				plan: { ...file.plan, version },
				chunks: chunks.map((c) => c.id),
				zones: file.zones.length,
				parcels: file.parcels.length,
				storedAt: now.toISOString(),
				storedBy: by
			};
			const [r] = await store.bulkPut([{ doc: header, rev: null }]);
			if (r.ok) return header;
			if (!r.conflict) throw new Error(`zoning header not stored: ${r.error}`);
			// Another instance took this number in the meantime: take the next one.
		}
		throw new Error('zoning header not stored: too many concurrent imports');
	}

	return { headers, load, save, subscribe: (fn: (id: string) => void) => store.subscribe((c) => fn(c.id)) };
}
export type ZoningPlanStore = ReturnType<typeof zoningPlanStore>;
