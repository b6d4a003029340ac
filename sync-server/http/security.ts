import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyHelmetOptions } from '@fastify/helmet';

/**
 * The CSP hashes of the inline scripts in the built PWA's HTML. SvelteKit's static build boots from
 * one inline <script> per page; allowing exactly those (by hash) keeps `script-src` free of
 * 'unsafe-inline'. The hashes are read at start: restart the server after a new build.
 */
export async function inlineScriptHashes(staticDir: string): Promise<string[]> {
	const hashes = new Set<string>();
	async function walk(dir: string, depth: number): Promise<void> {
		let entries;
		try {
			entries = await readdir(dir, { withFileTypes: true });
		} catch {
			return;
		}
		for (const e of entries) {
			const full = path.join(dir, e.name);
			// Hashed assets under _app hold no HTML.
			if (e.isDirectory() && depth < 6 && e.name !== '_app') await walk(full, depth + 1);
			else if (e.isFile() && e.name.endsWith('.html')) {
				const html = await readFile(full, 'utf8');
				for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
					if (m[1].trim()) hashes.add(`'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
				}
			}
		}
	}
	await walk(staticDir, 0);
	return [...hashes].sort();
}

export function helmetOptions(scriptHashes: string[]): FastifyHelmetOptions {
	return {
		contentSecurityPolicy: {
			useDefaults: true,
			directives: {
				defaultSrc: ["'self'"],
				scriptSrc: ["'self'", ...scriptHashes],
				// Svelte transitions and Leaflet set inline styles.
				styleSrc: ["'self'", "'unsafe-inline'"],
				// Photos being prepared are blob: URLs; map tiles come from the tenant's tile server (https).
				imgSrc: ["'self'", 'blob:', 'data:', 'https:'],
				// The image-compression worker may start from a blob: URL.
				workerSrc: ["'self'", 'blob:'],
				connectSrc: ["'self'"],
				manifestSrc: ["'self'"],
				// A commune office may serve the app over plain http on its LAN: forcing https there
				// would break every request.
				upgradeInsecureRequests: null
			}
		},
		// Leaflet's tiles and photos are loaded cross-origin without CORP headers.
		crossOriginEmbedderPolicy: false
	};
}

/**
 * Headers that only mean something on a document (or a worker script): CSP, framing, referrer,
 * opener policy. A hashed JS/CSS asset or a map image gains nothing from them, and on a weak link
 * they cost ~1.3 KB on every response (the CSP lists the app's script hashes): on each of the ~18
 * files a first visit loads, and on each of the ~300 tiles of a commune downloaded for offline use —
 * four times the tiles' own bytes (docs/BENCHMARKS.md). `nosniff` and CORP stay.
 */
const DOCUMENT_ONLY_HEADERS = [
	'content-security-policy',
	'cross-origin-opener-policy',
	'origin-agent-cluster',
	'referrer-policy',
	'strict-transport-security',
	'x-dns-prefetch-control',
	'x-download-options',
	'x-frame-options',
	'x-permitted-cross-domain-policies',
	'x-xss-protection'
];

/** Answers that are never a document: the app's hashed files, base-map tiles (one or a batch) and the map poster. */
export function isStaticAsset(url: string): boolean {
	return url.startsWith('/_app/immutable/') || url.startsWith('/api/tiles/') || url.startsWith('/api/map/') || /^\/api\/offline-areas\/\d+\/tiles\?/.test(url);
}

export function stripDocumentHeaders(reply: { removeHeader(name: string): unknown }): void {
	for (const h of DOCUMENT_ONLY_HEADERS) reply.removeHeader(h);
}

/**
 * What helmet (helmetOptions) puts on every Fastify answer, for the answers Fastify never sees:
 * photo uploads (tus) and photo downloads under /api/media are plain Node handlers. An API answer
 * is never a document to frame or render, so its CSP allows nothing at all.
 */
export const RAW_API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Resource-Policy': 'same-origin',
	'Origin-Agent-Cluster': '?1',
	'Referrer-Policy': 'no-referrer',
	'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
	'X-Content-Type-Options': 'nosniff',
	'X-DNS-Prefetch-Control': 'off',
	'X-Download-Options': 'noopen',
	'X-Frame-Options': 'SAMEORIGIN',
	'X-Permitted-Cross-Domain-Policies': 'none',
	'X-XSS-Protection': '0'
};

/**
 * The same for /_db (express-pouchdb), except the script policy: it serves Fauxton, whose scripts
 * and styles are not ours to list; framing, sniffing and referrers are refused all the same.
 */
export const DB_ADMIN_SECURITY_HEADERS: Readonly<Record<string, string>> = {
	...RAW_API_SECURITY_HEADERS,
	'Content-Security-Policy': "frame-ancestors 'self'; object-src 'none'; base-uri 'self'"
};

export function setSecurityHeaders(res: { setHeader(name: string, value: string): unknown }, headers = RAW_API_SECURITY_HEADERS): void {
	for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
}
