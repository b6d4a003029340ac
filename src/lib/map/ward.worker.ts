import { createWardLookup, type WardCall, type WardReply } from './ward-lookup';

/**
 * The ward worker: the province's boundaries are fetched, stored, decoded and searched here, off
 * the page's main thread (ward-detect.ts is its client; ward-lookup.ts does the work).
 */
// The part of a dedicated worker's global scope used here (no webworker lib for the whole program).
const scope = self as unknown as { postMessage(m: WardReply): void; onmessage: ((e: MessageEvent<WardCall>) => void) | null };
const lookup = createWardLookup();
const reply = (m: WardReply) => scope.postMessage(m);

scope.onmessage = async ({ data }: MessageEvent<WardCall>) => {
	try {
		reply({ id: data.id, ok: true, value: await lookup.handle(data.origin, data.req) });
	} catch (e) {
		reply({ id: data.id, ok: false, error: e instanceof Error ? e.message : String(e) });
	}
};
// Started: the page sends its questions from now on (until then it falls back if the worker fails).
reply({ ready: true });
