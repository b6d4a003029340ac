import { describe, expect, it } from 'vitest';
import type { SyncCollection } from '../domain/sync-protocol';
import { SCHEMA_HASHES, schemaHash } from '../../../tests/support/rx-schema-history';
import { migrationStrategies, rxSchemas, SCHEMA_VERSIONS } from './rx-schemas';

/**
 * A device keeps what it stored under an older schema only if every change of a derived schema
 * comes with a new version and a migration strategy: otherwise RxDB refuses to open the database
 * (DB6) and the app can only drop it. These tests make a zod change that forgets it fail here,
 * before any device meets it.
 */

const collections = Object.keys(rxSchemas) as SyncCollection[];

describe('RxDB schema versions', () => {
	it.each(collections)('%s: the derived schema is the one pinned for its version', (c) => {
		const version = rxSchemas[c].version;
		const hash = schemaHash(rxSchemas[c]);
		const released = version > 0 ? ` If version ${version} never left your tree (it is not at git HEAD), just update its hash.` : '';
		expect(
			hash,
			`The RxDB schema of '${c}' derived from its zod schema changed (hash ${hash}) but its version is still ${version}. ` +
				`Devices that stored '${c}' under version ${version} could not open it any more. Bump SCHEMA_VERSIONS.${c} in ` +
				`src/lib/sync/rx-schemas.ts to ${version + 1}, add migrationStrategies.${c}[${version + 1}] (keep the document ` +
				`as it is for an added optional field; fill or convert it otherwise), and pin ${version + 1}: '${hash}' in ` +
				`SCHEMA_HASHES.${c} (tests/support/rx-schema-history.ts).${released}`
		).toBe(SCHEMA_HASHES[c][version]);
	});

	it.each(collections)('%s: one migration strategy for each version after the first, and a pin for each', (c) => {
		const version = SCHEMA_VERSIONS[c];
		expect(rxSchemas[c].version).toBe(version);
		const steps = Array.from({ length: version }, (_, i) => i + 1);
		expect(Object.keys(migrationStrategies[c]).map(Number).sort(), `migrationStrategies.${c} must have ${steps}`).toEqual(steps);
		expect(Object.keys(SCHEMA_HASHES[c]).map(Number).sort(), `SCHEMA_HASHES.${c}`).toEqual([0, ...steps]);
	});
});
