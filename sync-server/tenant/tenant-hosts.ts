import type { ServerResponse } from 'node:http';
import { ApiError } from '../http/api-error';
import { setSecurityHeaders } from '../http/security';

/**
 * Which province a request is for, from its Host header. A device's data (IndexedDB, service worker,
 * tokens) is per origin in the browser, so a host per province keeps each device in one province
 * without anything in the app knowing about the others.
 *
 * - One tenant: every host serves it (a plain `npm start`, an IP address on the LAN).
 * - Several: the host names given in TENANT_HOSTS (`daklak.example=dak-lak,...`), and `<id>.localhost`
 *   (browsers resolve it to this machine: a developer tries both provinces without a DNS entry).
 *   Any other host is answered 404, never another province's app.
 */
export interface TenantHosts {
	/** The tenant id serving this Host header, or null. */
	resolve(hostHeader: string | undefined): string | null;
	/** The host names a tenant answers on (for the start message), `<id>.localhost` last. */
	hostsOf(tenantId: string): string[];
}

/** `Daklak.Example.:8787` → `daklak.example`; `[::1]:8787` → `[::1]`. */
export function hostName(hostHeader: string | undefined): string {
	const h = (hostHeader ?? '').trim().toLowerCase();
	const name = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d*$/, '');
	return name.replace(/\.$/, '');
}

/** TENANT_HOSTS: `host=tenant` pairs separated by commas or white space. Throws on a malformed pair. */
export function parseTenantHosts(value: string | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const pair of (value ?? '').split(/[\s,]+/).filter(Boolean)) {
		const m = /^([^=]+)=([a-z0-9-]+)$/i.exec(pair);
		if (!m) throw new Error(`TENANT_HOSTS: expected host=tenant, got "${pair}"`);
		out[hostName(m[1])] = m[2].toLowerCase();
	}
	return out;
}

export function createTenantHosts(tenantIds: readonly string[], explicit: Record<string, string> = {}): TenantHosts {
	const ids = new Set(tenantIds);
	for (const [host, id] of Object.entries(explicit))
		if (!ids.has(id)) throw new Error(`TENANT_HOSTS: ${host} names tenant "${id}", which is not served (${[...ids].join(', ')})`);
	const only = tenantIds.length === 1 ? tenantIds[0] : null;
	return {
		resolve(hostHeader) {
			if (only) return only;
			const name = hostName(hostHeader);
			const named = explicit[name];
			if (named) return named;
			const local = /^([a-z0-9-]+)\.localhost$/.exec(name);
			return local && ids.has(local[1]) ? local[1] : null;
		},
		hostsOf: (tenantId) => [...Object.entries(explicit).filter(([, id]) => id === tenantId).map(([h]) => h), `${tenantId}.localhost`]
	};
}

/** The answer to a host that serves no province: JSON for the API, a short page for a browser. */
export function answerUnknownHost(url: string, res: ServerResponse): void {
	const message = 'Địa chỉ này không phục vụ tỉnh, thành nào. Hãy kiểm tra lại địa chỉ / No province is served at this address. Check the address.';
	setSecurityHeaders(res);
	res.statusCode = 404;
	res.setHeader('cache-control', 'no-store');
	// The API of the app, also under a path (`/<tenant>/api/…`): a device reads JSON, a browser a page.
	if (/^(\/[^/?]+)?\/api(\/|\?|$)/.test(url)) {
		res.setHeader('content-type', 'application/json; charset=utf-8');
		res.end(JSON.stringify(new ApiError(404, 'unknown_tenant', message).toBody()));
		return;
	}
	res.setHeader('content-type', 'text/html; charset=utf-8');
	res.end(
		'<!doctype html><html lang="vi"><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
			'<title>Cầu Nối — không tìm thấy / not found</title>' +
			'<h1>Không tìm thấy tỉnh, thành / Province not found</h1>' +
			'<p>Địa chỉ này không phục vụ tỉnh, thành nào. Hãy kiểm tra lại địa chỉ trong thư mời hoặc hỏi cán bộ xã.</p>' +
			'<p lang="en">No province is served at this address. Check the address you were given, or ask the commune office.</p></html>'
	);
}
