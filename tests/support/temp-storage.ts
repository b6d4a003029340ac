/**
 * Test support only: the real storage (LevelDB) in a fresh temporary directory, for the specs of
 * the services that run over it. `close` closes the stores and removes the directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPouchStorage } from '../../sync-server/storage/pouch-storage';
import type { Storage, StoreName, StoredDoc } from '../../sync-server/storage/storage';

export async function openTempStorage(label: string): Promise<Storage> {
	const dir = await mkdtemp(path.join(tmpdir(), `caunoi-${label}-`));
	const storage = await openPouchStorage({ dataDir: dir, dbPrefix: 't-' });
	return {
		kind: storage.kind,
		store: <T extends StoredDoc>(name: StoreName) => storage.store<T>(name),
		async close() {
			await storage.close();
			await rm(dir, { recursive: true, force: true });
		}
	};
}
