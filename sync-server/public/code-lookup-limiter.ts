/**
 * How many DIFFERENT tracking codes one address may look up in a window. A code has five random
 * characters after a date anyone can guess: a stranger trying codes one after another must run out
 * of tries long before finding someone's report. A resident who reloads their own code, or types it
 * again spelled otherwise, is not trying codes: a code already counted in the window is free. Codes
 * are counted in their canonical form (domain/tracking-code.ts, the one the look-up reads), so no
 * spelling of a code buys a fresh try.
 *
 * In memory, per province and per instance (like the other per-address limiters): a restart or a
 * second instance gives some more tries, which still leaves enumeration hopeless.
 */

export interface CodeLookupLimiter {
	/** Counts `code` for `address`; refused with the wait, in ms, until a try frees up. */
	check(address: string, code: string): { ok: true } | { ok: false; retryAfterMs: number };
}

/** Addresses remembered at most: past it the stalest are forgotten (bounded memory under a flood). */
const MAX_ADDRESSES = 50_000;

export function createCodeLookupLimiter(opts: { max: number; windowMs: number; now?: () => number }): CodeLookupLimiter {
	const now = opts.now ?? Date.now;
	/** Address → code → when it was first looked up in the window; Map order = least recently active first. */
	const byAddress = new Map<string, Map<string, number>>();

	const expire = (codes: Map<string, number>, t: number) => {
		for (const [code, at] of codes) if (at + opts.windowMs <= t) codes.delete(code);
	};

	return {
		check(address, code) {
			if (!opts.max) return { ok: true };
			const t = now();
			let codes = byAddress.get(address);
			if (codes) {
				expire(codes, t);
				byAddress.delete(address); // re-inserted below: most recently active last
			} else codes = new Map();
			byAddress.set(address, codes);
			if (byAddress.size > MAX_ADDRESSES) byAddress.delete(byAddress.keys().next().value!);
			if (codes.has(code)) return { ok: true };
			if (codes.size >= opts.max) {
				const oldest = Math.min(...codes.values());
				return { ok: false, retryAfterMs: Math.max(1000, oldest + opts.windowMs - t) };
			}
			codes.set(code, t);
			return { ok: true };
		}
	};
}
