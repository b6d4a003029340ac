import { storageName } from '../pwa/namespace';

/**
 * Whether this device holds a downloaded commune, readable at once and without the area database:
 * a map page decides before it draws its first tile whether to look in the store first (which loads
 * IndexedDB's wrapper), and a device with nothing downloaded — most — pays nothing for it. A hint
 * only: the store is the truth, and a stale "yes" costs one empty look-up per tile.
 */
/** Per build of the app (a province under a path has its own): as the area database's name. */
const KEY = storageName('caunoi.offlineAreas');

export function hasDownloadedAreas(): boolean {
	try {
		return Number(localStorage.getItem(KEY) ?? 0) > 0;
	} catch {
		return false;
	}
}

/** After a download or a delete: how many areas are stored now. */
export function noteDownloadedAreas(count: number): void {
	try {
		localStorage.setItem(KEY, String(count));
	} catch {
		// Private mode or a full quota: the map then reads the network first, as with nothing stored.
	}
}
