/**
 * Ticket numbers under load, as a province runs when one machine is not enough: two sync-server
 * processes (as `npm start` runs them) sharing one CouchDB-compatible server (the stand-in), 500
 * residents taking a number at the same moment through either of them, some of them sending the
 * same request to both (a retry after a lost answer). Every number is given once, none is skipped,
 * and a retried request gets its first ticket.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../bench/support/server-process';
import { uuidv7 } from '$lib/domain/common';
import { alwaysOpenTenantDir } from '../support/office-tenant';
import { startCouchStandIn, type CouchStandIn } from './couch-standin';
import { STORAGE_MODE, TEST_TENANT_KEY, TEST_TOKEN_SECRET } from './harness';

const TAKES = 500;
const RETRIED = 40;
const OFFICE = 'lam-vien';
const SERVICES = ['dang-ky-khai-sinh', 'chung-thuc-ban-sao']; // prefixes 1 and 4

let couch: CouchStandIn;
let tenantDir = '';
const dataDirs: string[] = [];
const servers: ServerProcess[] = [];

const deviceToken = (sub: string) =>
	new SignJWT({ role: 'resident', tenantId: 'lam-dong', unitIds: [] })
		.setProtectedHeader({ alg: 'HS256' })
		.setSubject(sub)
		.setAudience('lam-dong')
		.setExpirationTime(Math.floor(Date.now() / 1000) + 600)
		.sign(TEST_TENANT_KEY);

interface Taken {
	status: number;
	ms: number;
	body: { ticket?: { id: string; number: string; seq: number; serviceId: string }; error?: { code: string } };
}

async function take(base: string, token: string, body: object): Promise<Taken> {
	const t0 = performance.now();
	const res = await fetch(`${base}/api/office/tickets`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify(body)
	});
	return { status: res.status, body: (await res.json()) as Taken['body'], ms: performance.now() - t0 };
}

/** A read from the stand-in (fetch refuses credentials in the URL: they go in the header). */
async function couchGet(route: string): Promise<unknown> {
	const u = new URL(couch.url);
	const auth = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
	return (await fetch(`${u.origin}${route}`, { headers: { authorization: auth } })).json();
}

beforeAll(async () => {
	couch = await startCouchStandIn();
	tenantDir = alwaysOpenTenantDir(OFFICE);
	for (let i = 0; i < 2; i++) {
		const dataDir = await mkdtemp(path.join(tmpdir(), 'caunoi-it-'));
		dataDirs.push(dataDir);
		servers.push(
			await startServerProcess(dataDir, {
				LOG_LEVEL: 'silent',
				OVERDUE_CHECK_MS: '0',
				COUCHDB_URL: couch.url,
				TOKEN_SECRET: TEST_TOKEN_SECRET,
				TENANT_DIR: tenantDir,
				// The per-address rate limit of the route is not what this test measures.
				TICKET_RATE_LIMIT: '100000'
			})
		);
	}
}, 180_000);

afterAll(async () => {
	await Promise.all(servers.map((s) => s.kill()));
	await couch?.close();
	await Promise.all([...dataDirs, tenantDir].filter(Boolean).map((d) => rm(d, { recursive: true, force: true })));
});

// It brings its own CouchDB stand-in: once is enough (the couch project would run it a second time).
describe.skipIf(STORAGE_MODE === 'couch')('ticket numbers across two instances on one CouchDB', () => {
	it(`${TAKES} concurrent takes: no number twice, none skipped, a retried request keeps its ticket`, { timeout: 120_000 }, async () => {
		const requests = await Promise.all(
			Array.from({ length: TAKES }, async (_, i) => ({
				token: await deviceToken(`device:${randomUUID()}`),
				body: { ticketId: uuidv7(), officeId: OFFICE, serviceId: SERVICES[i % 5 === 0 ? 1 : 0] }
			}))
		);
		const sends = requests.map((r, i) => take(servers[i % 2].url, r.token, r.body));
		// The same request sent to the other instance too, at the same moment.
		const retries = requests.slice(0, RETRIED).map((r, i) => take(servers[(i + 1) % 2].url, r.token, r.body));
		const answers = await Promise.all(sends);
		const again = await Promise.all(retries);

		const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
		console.log(`ticket take latency over ${TAKES} concurrent on 2 instances: p50 ${ms[Math.floor(TAKES / 2)].toFixed(0)} ms, p99 ${ms[Math.floor(TAKES * 0.99)].toFixed(0)} ms`);
		const refused = answers.filter((a) => a.status !== 201);
		expect(refused.map((a) => `${a.status} ${a.body.error?.code}`)).toEqual([]);
		for (let i = 0; i < RETRIED; i++) {
			expect(again[i].status).toBe(201);
			expect(again[i].body.ticket!.number).toBe(answers[i].body.ticket!.number);
		}
		for (const [k, serviceId] of SERVICES.entries()) {
			const seqs = answers
				.filter((a) => a.body.ticket!.serviceId === serviceId)
				.map((a) => a.body.ticket!.seq)
				.sort((a, b) => a - b);
			const expected = requests.filter((r) => r.body.serviceId === serviceId).length;
			expect(seqs.length, `service ${k}`).toBe(expected);
			const dup = seqs.filter((x, j) => seqs[j - 1] === x);
			const missing = Array.from({ length: expected }, (_, j) => j + 1).filter((x) => !seqs.includes(x));
			if (dup.length || missing.length) {
				// Seen once in ~10 CI runs under load (dup 216, missing 400): what the next look needs.
				const odd = new Set([...dup, ...missing]);
				const who = answers
					.map((a, i) => ({ i, instance: i % 2, retried: i < RETRIED, ticketId: requests[i].body.ticketId, seq: a.body.ticket!.seq, ms: Math.round(a.ms), serviceId: a.body.ticket!.serviceId }))
					.filter((x) => x.serviceId === serviceId && odd.has(x.seq));
				const claimsDb = ((await couchGet('/_all_dbs')) as string[]).find((d) => d.endsWith('lam-dong-ticket-numbers'))!;
				const claims = (await couchGet(`/${claimsDb}/_all_docs?include_docs=true&conflicts=true`)) as { rows: { id: string; doc: object }[] };
				console.error('ticket numbers: odd sequence', JSON.stringify({ dup, missing, who, claims: claims.rows.filter((r) => [...odd].some((n) => r.id.endsWith(`|${String(n).padStart(3, '0')}`))) }));
			}
			expect({ dup, missing }, `service ${k}`).toEqual({ dup: [], missing: [] });
			// 1, 2, 3 … n: no duplicate, no gap.
			expect(seqs).toEqual(Array.from({ length: expected }, (_, j) => j + 1));
		}
		// What the database holds agrees: one claim per ticket, none voided, none extra.
		const dbs = (await couchGet('/_all_dbs')) as string[];
		const claimsDb = dbs.find((d) => d.endsWith('lam-dong-ticket-numbers'))!;
		const all = (await couchGet(`/${claimsDb}/_all_docs?include_docs=true`)) as { rows: { doc: { ticketId: string; voided?: boolean } }[] };
		expect(all.rows.length).toBe(TAKES);
		expect(new Set(all.rows.map((r) => r.doc.ticketId)).size).toBe(TAKES);
		expect(all.rows.filter((r) => r.doc.voided)).toEqual([]);

	});
});
