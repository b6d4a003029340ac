/**
 * A weak link between the browser and the sync-server: a loopback TCP proxy that throttles, delays,
 * stalls and CUTS connections at byte offsets drawn from a seeded PRNG, in both directions — in the
 * middle of a request (a tus PATCH half sent, a report push without its end) or of its answer (the
 * server did the work, the device never hears of it). Unlike the DevTools throttling of the
 * benchmarks (bench/support/throttle.ts), it reaches every requester alike — page and service
 * worker — and can lose bytes, which emulation cannot.
 *
 * It reads just enough HTTP/1.1 (request heads and Content-Length bodies, client to server) to aim
 * at requests, and records the tus bodies it sees by upload offset: the bytes the device sent for
 * each photo, to compare with what the server says it stored.
 *
 * Replay: each connection's plan comes from (seed, connection number), so a failing run's seed
 * gives the same faults to the same-numbered connections (the browser's timing still varies).
 */
import net from 'node:net';
import { createHash } from 'node:crypto';
import { prng } from '../../support/prng';



/** The seed of a run: CHAOS_SEED to replay one, else a fresh one (printed by the caller). */
export function chaosSeed(): number {
	const given = process.env.CHAOS_SEED;
	if (given && /^\d+$/.test(given)) return Number(given) >>> 0;
	return Math.floor(Math.random() * 2 ** 31);
}

export interface ChaosSettings {
	/** Chance that an API write (push, upload, sign-in) is cut, in its request or its answer. */
	cutWrite: number;
	/** The same for every other request (pulls, live streams, app files). */
	cutOther: number;
	/** Chance that a request stalls for a while (0.3–2.5 s) somewhere in its bytes. */
	stall: number;
	/** Per-connection, per-direction throughput is drawn in [minBps, maxBps] bytes per second. */
	minBps: number;
	maxBps: number;
	/** Per-connection one-way delay, drawn in [0, maxLatencyMs]. */
	maxLatencyMs: number;
	/**
	 * Faults every run must contain, whatever the seed: the first request of each route here is cut
	 * there (so a run never passes for want of the faults it is about).
	 */
	mustCut: Record<string, 'request body' | 'answer'>;
}

export const DEFAULT_CHAOS: ChaosSettings = {
	cutWrite: 0.5,
	cutOther: 0.1,
	stall: 0.15,
	minBps: 48 * 1024,
	maxBps: 256 * 1024,
	maxLatencyMs: 150,
	// The server stores a report and the device never hears so; a photo's upload breaks off halfway.
	mustCut: { 'push reports': 'answer', 'tus POST': 'request body' }
};

type Direction = 'up' | 'down';
type Fault = { at: number; kind: 'cut'; reset: boolean; route: string; where: string } | { at: number; kind: 'stall'; ms: number };

/** What the proxy did, by route: for the test's report and for a failing run's message. */
export interface ChaosStats {
	connections: number;
	requests: Record<string, number>;
	cuts: Record<string, number>;
	stalls: number;
}

/** The bytes a device sent for one tus upload, placed by upload offset across all its requests. */
interface RecordedUpload {
	length: number;
	bytes: Buffer;
	seen: Uint8Array;
	/** Offsets where two requests sent different bytes (a device that changed its photo mid-upload). */
	mismatches: number;
}

export interface UploadEvidence {
	length: number;
	/** Bytes of the upload the proxy saw at least once. */
	covered: number;
	mismatches: number;
	/** sha256 of the reassembled bytes; meaningful when covered === length. */
	sha256: string;
}

const SLICE = 8 * 1024;
const HIGH_WATER = 256 * 1024;
const MAX_HEAD = 64 * 1024;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Which kind of request a path is, for aiming faults and counting them. */
export function routeOf(method: string, path: string): string {
	if (path.startsWith('/api/media/uploads')) return `tus ${method}`;
	const push = /^\/api\/sync\/(\w+)\/push/.exec(path);
	if (push) return `push ${push[1]}`;
	if (path.startsWith('/api/auth/')) return 'auth';
	if (path.startsWith('/api/')) return 'api other';
	return 'app files';
}

const isWrite = (route: string) => route.startsWith('tus') || route.startsWith('push') || route === 'auth';

function tusMediaId(metadata: string | undefined): string | null {
	for (const pair of (metadata ?? '').split(',')) {
		const [key, value] = pair.trim().split(' ');
		if (key === 'mediaId' && value) return Buffer.from(value, 'base64').toString('utf8');
	}
	return null;
}

export class ChaosProxy {
	readonly stats: ChaosStats = { connections: 0, requests: {}, cuts: {}, stalls: 0 };
	private mode: 'calm' | 'chaos' = 'calm';
	private readonly uploads = new Map<string, RecordedUpload>();
	private readonly live = new Set<Link>();
	private readonly hitRoutes = new Set<string>();
	private server!: net.Server;
	url = '';

	constructor(
		readonly seed: number,
		private readonly target: { host: string; port: number },
		readonly settings: ChaosSettings = DEFAULT_CHAOS
	) {}

	async start(): Promise<string> {
		this.server = net.createServer((client) => {
			const n = this.stats.connections++;
			const link = new Link(this, n, client, prng((this.seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0));
			this.live.add(link);
			client.once('close', () => this.live.delete(link));
		});
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as net.AddressInfo;
		this.url = `http://127.0.0.1:${port}`;
		return this.url;
	}

	/** `calm`: a plain pipe (faults already aimed are dropped); `chaos`: every new request may be hit. */
	setMode(mode: 'calm' | 'chaos'): void {
		this.mode = mode;
		if (mode === 'calm') for (const link of this.live) link.calm();
	}

	get chaotic(): boolean {
		return this.mode === 'chaos';
	}

	connectTarget(): net.Socket {
		return net.connect(this.target.port, this.target.host);
	}

	/** Whether this is the first request of `route` seen in chaos mode. */
	firstInChaos(route: string): boolean {
		if (this.hitRoutes.has(route)) return false;
		this.hitRoutes.add(route);
		return true;
	}

	count(table: 'requests' | 'cuts', key: string): void {
		this.stats[table][key] = (this.stats[table][key] ?? 0) + 1;
	}

	/** Records body bytes of a tus request at their upload offset. */
	recordUpload(id: string, length: number | null, offset: number, chunk: Buffer): void {
		let up = this.uploads.get(id);
		if (!up || (length !== null && up.length < length)) {
			const size = Math.max(length ?? 0, up?.length ?? 0, offset + chunk.length);
			const grown: RecordedUpload = { length: size, bytes: Buffer.alloc(size), seen: new Uint8Array(size), mismatches: up?.mismatches ?? 0 };
			if (up) {
				up.bytes.copy(grown.bytes);
				grown.seen.set(up.seen);
			}
			this.uploads.set(id, (up = grown));
		}
		const end = Math.min(offset + chunk.length, up.length);
		for (let i = offset; i < end; i++) {
			const b = chunk[i - offset];
			if (up.seen[i] && up.bytes[i] !== b) up.mismatches++;
			up.bytes[i] = b;
			up.seen[i] = 1;
		}
	}

	/** What the device sent for each upload id the proxy saw. */
	uploadEvidence(): Map<string, UploadEvidence> {
		const out = new Map<string, UploadEvidence>();
		for (const [id, up] of this.uploads) {
			out.set(id, {
				length: up.length,
				covered: up.seen.reduce((a, b) => a + b, 0),
				mismatches: up.mismatches,
				sha256: createHash('sha256').update(up.bytes).digest('hex')
			});
		}
		return out;
	}

	async close(): Promise<void> {
		for (const link of this.live) link.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

/** Parses the client's byte stream into requests (head + Content-Length body), as it arrives. */
interface RequestParser {
	state: 'head' | 'body' | 'opaque';
	head: Buffer;
	/** Offset in the upstream byte stream where the current request began. */
	start: number;
	bodyLeft: number;
	bodyPos: number;
	tus: { id: string; length: number | null; offset: number } | null;
}

/** One client connection and its connection to the server. */
class Link {
	private readonly upstream: net.Socket;
	private readonly queues: Record<Direction, { buf: Buffer; t: number }[]> = { up: [], down: [] };
	private readonly queued: Record<Direction, number> = { up: 0, down: 0 };
	private readonly forwarded: Record<Direction, number> = { up: 0, down: 0 };
	private readonly received: Record<Direction, number> = { up: 0, down: 0 };
	private readonly faults: Record<Direction, Fault[]> = { up: [], down: [] };
	private readonly pumping: Record<Direction, boolean> = { up: false, down: false };
	private readonly ended: Record<Direction, boolean> = { up: false, down: false };
	private readonly bps: Record<Direction, number>;
	private readonly latencyMs: number;
	private readonly parser: RequestParser = { state: 'head', head: Buffer.alloc(0), start: 0, bodyLeft: 0, bodyPos: 0, tus: null };
	private dead = false;

	constructor(
		private readonly proxy: ChaosProxy,
		readonly n: number,
		private readonly client: net.Socket,
		private readonly rnd: () => number
	) {
		const s = proxy.settings;
		this.bps = { up: s.minBps + rnd() * (s.maxBps - s.minBps), down: s.minBps + rnd() * (s.maxBps - s.minBps) };
		this.latencyMs = rnd() * s.maxLatencyMs;
		this.upstream = proxy.connectTarget();
		const sides: Record<Direction, [net.Socket, net.Socket]> = { up: [client, this.upstream], down: [this.upstream, client] };
		for (const dir of ['up', 'down'] as const) {
			const [from] = sides[dir];
			from.on('data', (chunk: Buffer) => {
				if (this.dead) return;
				if (dir === 'up') this.parse(chunk);
				this.received[dir] += chunk.length;
				this.queues[dir].push({ buf: chunk, t: Date.now() });
				this.queued[dir] += chunk.length;
				if (this.queued[dir] > HIGH_WATER) from.pause();
				void this.pump(dir, sides[dir]);
			});
			from.on('end', () => {
				this.ended[dir] = true;
				void this.pump(dir, sides[dir]);
			});
			from.on('error', () => this.destroy());
			from.on('close', () => {
				// The other side may still be reading what is queued: close it once that is written.
				this.ended[dir] = true;
				void this.pump(dir, sides[dir]);
			});
		}
	}

	/** Drops faults not yet reached: the link turns good. */
	calm(): void {
		this.faults.up = [];
		this.faults.down = [];
	}

	destroy(reset = false): void {
		if (this.dead) return;
		this.dead = true;
		for (const s of [this.client, this.upstream]) {
			if (reset && typeof s.resetAndDestroy === 'function' && !s.destroyed) s.resetAndDestroy();
			else s.destroy();
		}
	}

	private aim(dir: Direction, fault: Fault): void {
		this.faults[dir].push(fault);
		this.faults[dir].sort((a, b) => a.at - b.at);
	}

	/** A request's head is complete: count it and, in chaos, decide whether and where it is hit. */
	private onRequest(method: string, path: string, headLen: number, bodyLen: number): void {
		const route = routeOf(method, path);
		this.proxy.count('requests', route);
		if (!this.proxy.chaotic) return;
		const r = this.rnd;
		const start = this.parser.start;
		const total = headLen + bodyLen;
		if (r() < this.proxy.settings.stall) {
			this.aim('up', { at: start + Math.floor(r() * total), kind: 'stall', ms: 300 + r() * 2_200 });
		}
		const forced = this.proxy.firstInChaos(route) ? this.proxy.settings.mustCut[route] : undefined;
		if (!forced && r() >= (isWrite(route) ? this.proxy.settings.cutWrite : this.proxy.settings.cutOther)) return;
		const reset = r() < 0.5;
		if (forced === 'request body' || (!forced && r() < 0.5)) {
			// In the request: mostly in its body, where a photo's bytes are.
			const at = bodyLen > 0 && (forced || r() < 0.8) ? headLen + Math.floor(r() * bodyLen) : Math.floor(r() * total);
			this.aim('up', { at: start + at, kind: 'cut', reset, route, where: at < headLen ? 'request head' : 'request body' });
		} else {
			// In the answer: the server has (or will have) done the work; the device never hears of it.
			// Answers before this request's end are none (no pipelining), so count from what came so far.
			// A forced cut stays within the answer's head (>100 bytes), so it lands in this very answer.
			const k = Math.floor(r() * (forced ? 100 : 700));
			this.aim('down', { at: this.received.down + k, kind: 'cut', reset, route, where: 'answer' });
		}
	}

	private parse(chunk: Buffer): void {
		const p = this.parser;
		let data = chunk;
		while (data.length && p.state !== 'opaque') {
			if (p.state === 'head') {
				p.head = Buffer.concat([p.head, data]);
				const end = p.head.indexOf('\r\n\r\n');
				if (end < 0) {
					if (p.head.length > MAX_HEAD) p.state = 'opaque';
					return;
				}
				const headLen = end + 4;
				const lines = p.head.subarray(0, end).toString('latin1').split('\r\n');
				data = p.head.subarray(headLen);
				p.head = Buffer.alloc(0);
				const [method = '', target = ''] = lines[0].split(' ');
				const headers = new Map<string, string>();
				for (const line of lines.slice(1)) {
					const i = line.indexOf(':');
					if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
				}
				if (headers.get('transfer-encoding')?.includes('chunked')) p.state = 'opaque';
				const bodyLen = Number(headers.get('content-length') ?? 0) || 0;
				const path = target.split('?')[0];
				p.tus = null;
				if (method === 'POST' && path === '/api/media/uploads' && bodyLen > 0) {
					const id = tusMediaId(headers.get('upload-metadata'));
					if (id) p.tus = { id, length: Number(headers.get('upload-length')) || null, offset: 0 };
				} else if (method === 'PATCH' && path.startsWith('/api/media/uploads/')) {
					p.tus = { id: decodeURIComponent(path.split('/').pop()!), length: null, offset: Number(headers.get('upload-offset') ?? 0) };
				}
				this.onRequest(method, path, headLen, bodyLen);
				if (p.state === 'opaque') return;
				p.bodyLeft = bodyLen;
				p.bodyPos = 0;
				p.state = 'body';
			}
			if (p.state === 'body') {
				const take = data.subarray(0, p.bodyLeft);
				if (p.tus && take.length) this.proxy.recordUpload(p.tus.id, p.tus.length, p.tus.offset + p.bodyPos, take);
				p.bodyPos += take.length;
				p.bodyLeft -= take.length;
				data = data.subarray(take.length);
				if (p.bodyLeft === 0) {
					p.state = 'head';
					p.start = this.received.up + (chunk.length - data.length);
				}
			}
		}
	}

	/** Writes what is queued in one direction, at the link's pace, and applies the faults it reaches. */
	private async pump(dir: Direction, [from, to]: [net.Socket, net.Socket]): Promise<void> {
		if (this.pumping[dir]) return;
		this.pumping[dir] = true;
		try {
			while (!this.dead) {
				const item = this.queues[dir][0];
				if (!item) break;
				const chaos = this.proxy.chaotic;
				const wait = chaos ? item.t + this.latencyMs - Date.now() : 0;
				if (wait > 0) await sleep(wait);
				let slice = item.buf.subarray(0, chaos ? SLICE : item.buf.length);
				const fault = this.faults[dir][0];
				if (fault && fault.at < this.forwarded[dir] + slice.length) {
					slice = slice.subarray(0, Math.max(0, fault.at - this.forwarded[dir]));
				}
				if (slice.length) {
					const ok = to.write(slice);
					this.forwarded[dir] += slice.length;
					item.buf = item.buf.subarray(slice.length);
					this.queued[dir] -= slice.length;
					if (!item.buf.length) this.queues[dir].shift();
					if (this.queued[dir] < HIGH_WATER / 2 && from.isPaused()) from.resume();
					if (!ok) await new Promise((r) => to.once('drain', r).once('close', r));
					if (chaos) await sleep((slice.length / this.bps[dir]) * 1000);
				}
				if (fault && fault.at <= this.forwarded[dir] && this.faults[dir][0] === fault) {
					this.faults[dir].shift();
					if (fault.kind === 'stall') {
						this.proxy.stats.stalls++;
						await sleep(fault.ms);
					} else {
						this.proxy.count('cuts', `${fault.route}: ${fault.where}`);
						this.destroy(fault.reset);
						return;
					}
				}
			}
			if (!this.dead && this.ended[dir] && !this.queues[dir].length && !to.destroyed) to.end();
		} finally {
			this.pumping[dir] = false;
		}
	}
}
