/**
 * Test support only: the media service on a real HTTP server on an ephemeral port, with in-memory
 * stand-ins for what the rest of the sync-server provides (token check, report and media storage,
 * read scope). Used by the media specs and, until the full server harness takes over, by
 * tests/integration/media.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Media } from '$lib/domain/media';
import type { Report } from '$lib/domain/report';
import type { Principal } from '$lib/domain/principal';
import { ApiError } from '../../sync-server/http/api-error';
import { createMediaService, type MediaServiceOptions } from '../../sync-server/media/media.service';

export const TENANT = 'lam-dong';
/** Bearer tokens the stand-in `authenticate` accepts, and who they are. */
export const PRINCIPALS = {
	'token-ana': { sub: 'device:ana', role: 'resident', tenantId: TENANT, unitIds: [] },
	'token-binh': { sub: 'device:binh', role: 'resident', tenantId: TENANT, unitIds: [] },
	'token-handler': { sub: 'staff:handler1', role: 'handler', tenantId: TENANT, unitIds: ['ubnd-da-lat'] }
} satisfies Record<string, Principal>;
/** A token the stand-in answers 401 token_expired for, as the real auth does for an old token. */
export const EXPIRED_TOKEN = 'token-expired';

export interface MediaTestServer {
	/** http://127.0.0.1:<port> */
	origin: string;
	port: number;
	dataDir: string;
	media: Map<string, Media>;
	reports: Map<string, Report>;
	/** Number of saveMedia calls that should fail before it works again (to test recovery). */
	failNextSaves: { count: number };
	/**
	 * A stored report of `authorId` listing one new photo id: uploads name a report the server has
	 * (a device pushes its report before its photos). Answers the ids to upload under.
	 */
	slot(authorId?: string): { mediaId: string; reportId: string };
	/** What the service logged (its `log`), in order. */
	logs: { level: string; obj: object; msg: string }[];
	close(): Promise<void>;
}

export async function startMediaTestServer(overrides: Partial<MediaServiceOptions> = {}): Promise<MediaTestServer> {
	const dataDir = await mkdtemp(join(tmpdir(), 'cau-noi-media-'));
	const media = new Map<string, Media>();
	const reports = new Map<string, Report>();
	const failNextSaves = { count: 0 };
	const logs: MediaTestServer['logs'] = [];
	const service = createMediaService({
		log: (level, obj, msg) => void logs.push({ level, obj, msg }),
		dataDir,
		async authenticate(req) {
			const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
			if (!token) throw new ApiError(401, 'unauthenticated', 'Log in first.');
			if (token === EXPIRED_TOKEN) throw new ApiError(401, 'token_expired', 'The token has expired.');
			const principal = (PRINCIPALS as Record<string, Principal>)[token];
			if (!principal) throw new ApiError(401, 'token_invalid', 'Unknown token.');
			return principal;
		},
		getReport: async (id) => reports.get(id) ?? null,
		async saveMedia(doc) {
			if (failNextSaves.count > 0) {
				failNextSaves.count--;
				throw new Error('storage unavailable (test)');
			}
			media.set(doc.id, doc);
		},
		getMedia: async (id) => media.get(id) ?? null,
		// Staff of the tenant may read every report's photos; residents only their own (checked by the service).
		canRead: async (p) => p.role !== 'resident',
		...overrides
	});
	const server = createServer((req, res) => void service.handle(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		origin: `http://127.0.0.1:${port}`,
		port,
		dataDir,
		media,
		reports,
		failNextSaves,
		logs,
		slot(authorId = PRINCIPALS['token-ana'].sub) {
			const ids = { mediaId: randomUUID(), reportId: randomUUID() };
			reports.set(ids.reportId, { id: ids.reportId, tenantId: TENANT, authorId, photoIds: [ids.mediaId] } as unknown as Report);
			return ids;
		},
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await service.close();
			await rm(dataDir, { recursive: true, force: true });
		}
	};
}
