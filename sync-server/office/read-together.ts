/**
 * Reads shared by the callers who ask at about the same time, each answer read after its caller
 * asked: whoever asks while a read of the group is under way waits for the next one, which starts as
 * that one ends and answers everyone who asked meanwhile. Under the 7:30 rush 500 takes then cost a
 * handful of reads of the store, not 500 queued one behind the other (over HTTP to CouchDB each is a
 * request), and no answer is older than its question: nothing a caller wrote before asking is missed.
 */
export function readTogether<A, R>(read: (group: string, asks: A[]) => Promise<R[]>): (group: string, ask: A) => Promise<R> {
	const waiting = new Map<string, { ask: A; resolve(r: R): void; reject(e: unknown): void }[]>();
	const running = new Set<string>();

	async function run(group: string): Promise<void> {
		running.add(group);
		try {
			for (let batch = waiting.get(group); batch?.length; batch = waiting.get(group)) {
				waiting.delete(group);
				try {
					const out = await read(group, batch.map((w) => w.ask));
					batch.forEach((w, i) => w.resolve(out[i]));
				} catch (e) {
					for (const w of batch) w.reject(e);
				}
			}
		} finally {
			running.delete(group);
		}
	}

	return (group, ask) =>
		new Promise<R>((resolve, reject) => {
			const queue = waiting.get(group) ?? [];
			queue.push({ ask, resolve, reject });
			waiting.set(group, queue);
			if (!running.has(group)) void run(group);
		});
}
