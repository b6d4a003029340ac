import type { Report } from '$lib/domain/report';
import { isClosed } from '$lib/domain/report-state';
import { liveView } from '../storage/live-view';
import type { Change, Store } from '../storage/storage';
import { isPublicReport } from '../public/ward-index';

/**
 * The province's public reports by the time they were received, kept in memory, for GeoReport's
 * `GET requests` (a date range of at most 90 days, a service, open or closed, newest first). The
 * store has no index for it (its feed is ordered by write; see public/ward-index.ts for why no
 * Mango index), so like the ward index this one is built once from the reports' changes feed and
 * kept live by following it, which every instance behind a load balancer sees. Per report it holds
 * its key, category and whether it is closed (~120 bytes), never the document: a page is read with
 * one `getMany`.
 */

interface Entry {
	/** `<receivedAt> <id>`: string order is time order (ISO times in UTC, as the server writes them). */
	key: string;
	categoryCode: string;
	closed: boolean;
}

export interface RequestQuery {
	/** ISO instants, inclusive. */
	from: string;
	to: string;
	serviceCode?: string;
	status?: 'open' | 'closed';
	/** 1-based. */
	page: number;
	pageSize: number;
}

export interface RequestIndex {
	ready(): Promise<void>;
	/** Ids of the matching reports, newest received first, one page of them. */
	find(q: RequestQuery): string[];
	close(): void;
}

const idOf = (key: string) => key.slice(key.indexOf(' ') + 1);

/** First position whose key is >= `key` in ascending `sorted`. */
function lowerBound(sorted: Entry[], key: string): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (sorted[mid].key < key) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

export function createRequestIndex(reports: Store<Report>, tenantId: string, opts: { onError?: (err: unknown) => void } = {}): RequestIndex {
	/** Ascending by key. Reports arrive nearly in receipt order, so inserts are appends. */
	const entries: Entry[] = [];
	const byId = new Map<string, Entry>();

	function remove(id: string) {
		const old = byId.get(id);
		if (!old) return;
		byId.delete(id);
		const at = lowerBound(entries, old.key);
		if (entries[at] === old) entries.splice(at, 1);
	}

	function apply(change: Change<Report>) {
		const doc = change.doc;
		if (change.deleted || !isPublicReport(doc, tenantId) || !doc.receivedAt) return remove(change.id);
		const old = byId.get(doc.id);
		const key = `${doc.receivedAt} ${doc.id}`;
		if (old && old.key === key) {
			// The common change: a status moved. Nothing to re-sort.
			old.closed = isClosed(doc.status);
			old.categoryCode = doc.categoryCode;
			return;
		}
		remove(doc.id);
		const entry: Entry = { key, categoryCode: doc.categoryCode, closed: isClosed(doc.status) };
		if (!entries.length || entries[entries.length - 1].key < key) entries.push(entry);
		else entries.splice(lowerBound(entries, key), 0, entry);
		byId.set(doc.id, entry);
	}

	const view = liveView(reports, apply, {
		onError: opts.onError,
		reset: () => {
			entries.length = 0;
			byId.clear();
		}
	});

	return {
		ready: view.ready,
		find(q) {
			// `<to>~` sorts after every `<to> <id>`: the range is inclusive at both ends.
			const start = lowerBound(entries, q.from);
			const end = lowerBound(entries, `${q.to}~`);
			const skip = (q.page - 1) * q.pageSize;
			const out: string[] = [];
			let matched = 0;
			for (let i = end - 1; i >= start && out.length < q.pageSize; i--) {
				const e = entries[i];
				if (q.serviceCode && e.categoryCode !== q.serviceCode) continue;
				if (q.status && e.closed !== (q.status === 'closed')) continue;
				if (matched++ >= skip) out.push(idOf(e.key));
			}
			return out;
		},
		close: view.close
	};
}
