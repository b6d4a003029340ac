/**
 * A page's questions to a dedicated worker that holds heavy reference data (the ward boundaries, the
 * procedure catalogue) so the page's main thread never downloads, parses or keeps it. Each call
 * carries the origin `/api/…` is appended to (the page's, with its base). Where a worker cannot start
 * (an old browser, no Worker, the script missing offline) or dies, the same work runs on the main
 * thread instead — slower, but nothing is lost, and calls already waiting are answered there.
 */

/** A message to the worker. */
export interface WorkerCall<Req> {
	id: number;
	origin: string;
	req: Req;
}
/** The worker's answer to a call; `{ ready: true }` once, when it has started. */
export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string } | { ready: true };

/** Answers one question (in the worker, or on the main thread when it cannot run). */
export type Ask<Req> = (origin: string, req: Req) => Promise<unknown>;

export interface WorkerBackend<Req> {
	ask: Ask<Req>;
	/** Stops the worker and forgets what it loaded: the next question starts afresh. */
	reset(): void;
}

/**
 * `create` makes the worker (`new Worker(new URL('./x.worker.ts', import.meta.url), { type: 'module' })`,
 * written out at the call so the bundler finds the script); `onMainThread` loads the same work here.
 */
export function workerBackend<Req>(create: () => Worker, onMainThread: () => Promise<Ask<Req>>): WorkerBackend<Req> {
	let backend: Promise<Ask<Req>> | null = null;
	let stop: (() => void) | null = null;

	function start(): Promise<Ask<Req>> {
		if (typeof Worker === 'undefined') return onMainThread();
		return new Promise<Ask<Req>>((resolve) => {
			let worker: Worker;
			try {
				worker = create();
			} catch {
				return resolve(onMainThread());
			}
			const pending = new Map<number, { call: WorkerCall<Req>; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
			let next = 1;
			let ready = false;
			const ask: Ask<Req> = (origin, req) =>
				new Promise((resolve, reject) => {
					const call = { id: next++, origin, req };
					pending.set(call.id, { call, resolve, reject });
					worker.postMessage(call);
				});
			worker.onmessage = ({ data }: MessageEvent<WorkerReply>) => {
				if ('ready' in data) {
					ready = true;
					return resolve(ask);
				}
				const p = pending.get(data.id);
				pending.delete(data.id);
				if (data.ok) p?.resolve(data.value);
				else p?.reject(new Error(data.error));
			};
			// The worker failed to load or died: from now on the work runs here, the questions waiting included.
			worker.onerror = (e) => {
				e.preventDefault();
				worker.terminate();
				const fallback = onMainThread();
				if (!ready) return resolve(fallback);
				backend = fallback;
				for (const { call, resolve: done, reject } of pending.values()) void fallback.then((a) => a(call.origin, call.req)).then(done, reject);
				pending.clear();
			};
			stop = () => worker.terminate();
		});
	}

	return {
		async ask(origin, req) {
			backend ??= start();
			return (await backend)(origin, req);
		},
		reset() {
			stop?.();
			stop = null;
			backend = null;
		}
	};
}

/** The worker's side: answers each call with `handle`, and says it has started. */
export function serveCalls<Req>(handle: Ask<Req>): void {
	const scope = self as unknown as { postMessage(m: WorkerReply): void; onmessage: ((e: MessageEvent<WorkerCall<Req>>) => void) | null };
	scope.onmessage = async ({ data }) => {
		try {
			scope.postMessage({ id: data.id, ok: true, value: await handle(data.origin, data.req) });
		} catch (e) {
			scope.postMessage({ id: data.id, ok: false, error: e instanceof Error ? e.message : String(e) });
		}
	};
	// Started: the page sends its questions from now on (until then it falls back if the worker fails).
	scope.postMessage({ ready: true });
}
