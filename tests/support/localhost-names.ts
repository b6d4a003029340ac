/**
 * Lets Node's fetch reach `<name>.localhost` as browsers do (Chromium resolves every `*.localhost` to
 * this machine; glibc without systemd-resolved does not). Node's fetch drops a Host header set by hand,
 * so a test of host-based tenants needs the name itself to resolve. Test processes only.
 */
import dns from 'node:dns';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

let installed = false;

export function resolveLocalhostNames(): void {
	if (installed) return;
	installed = true;
	const original = dns.lookup;
	const patched = (host: string, options: unknown, callback?: LookupCallback) => {
		const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
		const opts = (typeof options === 'object' && options) || {};
		if (!/\.localhost\.?$/i.test(host)) return (original as (...a: unknown[]) => void).call(dns, host, options, callback);
		if ((opts as dns.LookupAllOptions).all) return process.nextTick(cb, null, [{ address: '127.0.0.1', family: 4 }]);
		return process.nextTick(cb, null, '127.0.0.1', 4);
	};
	(dns as { lookup: unknown }).lookup = patched;
}
