import Dexie, { type EntityTable } from 'dexie';
import type { OfflineAreaManifest } from '../domain/offline-area';
import type { ZoningWardPackage } from '../domain/zoning';
import { storageName } from '../pwa/namespace';

/**
 * The communes downloaded for use with no signal: a database of its own (not the app's local-db),
 * so a download of megabytes of tiles never holds up a report's outbox, and deleting or losing it
 * touches nothing else.
 *
 * Tiles are one row each (a Blob keyed `z/x/y`), not one archive blob: measured in
 * bench/offline-tiles.bench.ts (docs/BENCHMARKS.md): a row per tile is stored as it arrives, so a cut
 * download keeps every tile it got and an update rewrites only a changed tile, where an archive is
 * written whole at the end (or rewritten on each change). Tiles are written several a transaction
 * (offline-area.service.ts groupWriter): one transaction per tile measured 4× slower.
 */

export interface AreaRow {
	code: string;
	/** The manifest the parts were (or are being) downloaded for. */
	manifest: OfflineAreaManifest;
	/** What is stored: part key (`zoning`, `tile:z/x/y`) → its hash. */
	stored: Record<string, string>;
	/** Bytes stored (as listed by the manifest: compressed size for the zoning package). */
	bytes: number;
	/** ms since epoch of the last download that finished; null: never finished. */
	downloadedAt: number | null;
	/** Every part of `manifest` is stored: nothing half-stored counts as complete. */
	complete: boolean;
}

export interface TileRow {
	/** `z/x/y`. */
	key: string;
	blob: Blob;
	hash: string;
	/** The areas holding this tile (neighbouring wards share their edge tiles): deleted when none is left. */
	areas: string[];
}

export interface ZoningRow {
	code: string;
	hash: string;
	pkg: ZoningWardPackage;
}

export class AreaDb extends Dexie {
	areas!: EntityTable<AreaRow, 'code'>;
	tiles!: EntityTable<TileRow, 'key'>;
	zoning!: EntityTable<ZoningRow, 'code'>;

	constructor(name = storageName('caunoi-areas')) {
		super(name);
		this.version(1).stores({ areas: 'code', tiles: 'key, *areas', zoning: 'code' });
	}
}

let db: AreaDb | null = null;
/** Opened on first use: a page that never touches offline areas never opens the database. */
export const areaDb = () => (db ??= new AreaDb());
/** Tests: a fresh database per test. */
export function useAreaDb(next: AreaDb | null) {
	db = next;
}
