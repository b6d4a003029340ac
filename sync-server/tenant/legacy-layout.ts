import { access, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { levelDbDir } from '../storage/pouch-storage';
import { STORE_NAMES } from '../storage/storage';
import { tenantDbPrefix, tenantFilesDir } from './tenant-names';

const exists = (p: string) =>
	access(p).then(
		() => true,
		() => false
	);

/**
 * A data directory written before provinces were folders held one tenant's databases as
 * `db/<DB_PREFIX><collection>` and its photos in `media/` and `uploads/`. When this server serves
 * exactly one tenant and that tenant has no databases yet, those are moved to the tenant's names
 * (`db/<DB_PREFIX><tenant>-<collection>`, `tenants/<tenant>/media`), so nothing stored is left behind.
 * LevelDB only: a CouchDB cluster's databases are renamed by its operator (replication), see README.
 * Returns what was moved.
 */
export async function adoptLegacyLayout(opts: { dataDir: string; dbPrefix: string; tenantId: string }): Promise<string[]> {
	const dbDir = levelDbDir(opts.dataDir);
	const target = tenantDbPrefix(opts.dbPrefix, opts.tenantId);
	if (!(await exists(path.join(dbDir, opts.dbPrefix + 'reports')))) return [];
	if (await exists(path.join(dbDir, target + 'reports'))) return [];
	const moved: string[] = [];
	for (const name of STORE_NAMES) {
		const from = path.join(dbDir, opts.dbPrefix + name);
		if (!(await exists(from))) continue;
		await rename(from, path.join(dbDir, target + name));
		moved.push(`db/${opts.dbPrefix + name} → db/${target + name}`);
	}
	const files = tenantFilesDir(opts.dataDir, opts.tenantId);
	for (const dir of ['media', 'uploads']) {
		const from = path.join(opts.dataDir, dir);
		if (!(await exists(from)) || (await exists(path.join(files, dir)))) continue;
		await mkdir(files, { recursive: true });
		await rename(from, path.join(files, dir));
		moved.push(`${dir}/ → ${path.relative(opts.dataDir, path.join(files, dir))}/`);
	}
	return moved;
}
