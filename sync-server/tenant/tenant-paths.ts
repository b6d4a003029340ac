import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * A province under a path of one host, where a host name per province is not possible:
 * `https://caunoi.example/dak-lak/…`. The app is then a build made for that path
 * (`BASE_PATH=/dak-lak`, served from `STATIC_DIR/dak-lak/`), so its pages, service worker and the
 * phone's local data all live under `/dak-lak/`. Its API calls arrive as `/dak-lak/api/…`: the
 * prefix is taken off before the tenant's routes see them, and put back on the `Location` of a
 * photo upload (tus answers with a path).
 */
export interface PathMatch {
	tenantId: string;
	/** `/dak-lak` */
	base: string;
	/** What the tenant's routes see: `/api/…` for the API; pages and assets keep their prefix. */
	url: string;
}

const isApi = (rest: string) => rest === '/api' || rest.startsWith('/api/') || rest.startsWith('/api?');

/** The province a URL's first segment names, if it is one of `tenantIds`; null otherwise. */
export function matchTenantPath(url: string, tenantIds: ReadonlySet<string>): PathMatch | null {
	const m = /^\/([a-z0-9-]+)(?=[/?]|$)/.exec(url);
	if (!m || !tenantIds.has(m[1])) return null;
	const base = `/${m[1]}`;
	const rest = url.slice(base.length);
	return { tenantId: m[1], base, url: isApi(rest) ? rest : url };
}

/** Puts the base back on a path-absolute `Location` (`/api/media/uploads/…` → `/dak-lak/api/…`). */
export function prefixLocations(res: ServerResponse, base: string): void {
	const fix = (value: unknown) => (typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? base + value : value);
	const setHeader = res.setHeader.bind(res);
	res.setHeader = ((name: string, value: number | string | readonly string[]) =>
		setHeader(name, name.toLowerCase() === 'location' ? (fix(value) as string) : value)) as typeof res.setHeader;
	const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => ServerResponse;
	res.writeHead = ((status: number, ...rest: unknown[]) => {
		const headers = rest.find((r) => typeof r === 'object' && r !== null && !Array.isArray(r)) as OutgoingHttpHeaders | undefined;
		if (headers) for (const k of Object.keys(headers)) if (k.toLowerCase() === 'location') headers[k] = fix(headers[k]) as string;
		return writeHead(status, ...rest);
	}) as typeof res.writeHead;
}

/** `/dak-lak` alone: to `/dak-lak/`, where the app and its service worker's scope are. */
export function redirectToSlash(req: IncomingMessage, res: ServerResponse, base: string): boolean {
	const [pathname, query] = (req.url ?? '').split(/\?(.*)/s, 2);
	if (pathname !== base) return false;
	res.writeHead(308, { location: `${base}/${query ? `?${query}` : ''}`, 'cache-control': 'no-cache' });
	res.end();
	return true;
}
