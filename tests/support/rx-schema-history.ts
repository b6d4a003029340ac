import { createHash } from 'node:crypto';
import type { RxJsonSchema } from 'rxdb';
import type { SyncCollection } from '$lib/domain/sync-protocol';

/**
 * The hash of each collection's derived RxDB schema at each of its versions, for the unit tests
 * only (never imported by app code). A device keeps what it stored under an older version: RxDB
 * migrates it with the collection's migration strategies (src/lib/sync/rx-schemas.ts). A zod change
 * that alters a derived schema without a new version would meet RxDB's DB6 on every device that
 * opens it, so src/lib/sync/rx-schemas.spec.ts fails until the version is bumped, a strategy added
 * and the new hash pinned here. A version that never left the developer's tree (not at git HEAD)
 * may have its hash updated instead.
 */
export const SCHEMA_HASHES: Record<SyncCollection, Record<number, string>> = {
	// 1: status 'withdrawn', 'contested' and leadUnitId (optional) added. 4: actedByUnitIds (optional) added. 5: filedVia (optional, Open311) added.
	reports: { 0: 'b25245fb32864913', 1: '1269b7aaa7e977d6', 2: '6474bd586a537b4c', 3: '18ae1925a56c7c8c', 4: '1bd6a58a0e8a9035', 5: '0b3653e0a5481ba7' },
	contacts: { 0: '9491fc1bef778358' },
	// 1: publicNote and scope (optional) added. 2: types 'withdrawn' and 'contested' added.
	events: { 0: '50491a786e8ebf2e', 1: 'bd07a29280d38979', 2: 'c661b46284b1300e' },
	// 1: sha256 (optional) added.
	media: { 0: '92693f9975a1d1ed', 1: '18d654967e9aa967' }
};

function canonical(v: unknown): unknown {
	if (Array.isArray(v)) return v.map(canonical);
	if (v && typeof v === 'object') {
		return Object.fromEntries(
			Object.keys(v)
				.sort()
				.map((k) => [k, canonical((v as Record<string, unknown>)[k])])
		);
	}
	return v;
}

/** The schema's content without its version: the same fields hash the same at any version. */
export function schemaHash(schema: RxJsonSchema<any>): string {
	const { version: _version, ...content } = schema;
	return createHash('sha256').update(JSON.stringify(canonical(content))).digest('hex').slice(0, 16);
}
