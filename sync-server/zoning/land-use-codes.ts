import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseLandUseCsv, type LandUse } from '$lib/domain/land-use';

/** The national land-use codes (data/land-use-codes.csv; its source in data/README.md), the same for every tenant. */
export const LAND_USE_FILE = fileURLToPath(new URL('../../data/land-use-codes.csv', import.meta.url));

let cached: Map<string, LandUse> | null = null;

/** Read once per process: a few kilobytes every tenant shares. */
export function landUseCodes(): Map<string, LandUse> {
	return (cached ??= new Map(parseLandUseCsv(readFileSync(LAND_USE_FILE, 'utf8')).map((u) => [u.code, u])));
}
