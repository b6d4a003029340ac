import { z } from 'zod';

/** Ids are made on the device (UUIDv7: time-ordered, so storage stays compact), so a retried push stores once. */
export const Id = z.uuid();
export const IsoTime = z.iso.datetime({ offset: true });
export const TenantId = z.string().regex(/^[a-z0-9-]{2,40}$/);
/** Every admin-unit code carries the code-set it belongs to: after the 2025 merger a new ward reuses an old code. */
export const CodeSet = z.string().regex(/^\d{4}$/);
export const AdminCode = z.string().regex(/^\d{5}$/);
export const UnitId = z.string().regex(/^[a-z0-9-]{2,60}$/);
export const ActorId = z.string().min(3).max(80);

/** The fields RxDB's replication adds to every document it syncs. */
export const syncFields = { _deleted: z.boolean().default(false) } as const;

/** Vietnamese mobile or landline number: 0xxxxxxxxx or +84xxxxxxxxx. */
export const Phone = z
	.string()
	.transform((s) => s.replace(/[\s.-]/g, ''))
	.pipe(z.string().regex(/^(0|\+84)\d{9,10}$/));

/** UUIDv7 (RFC 9562): 48-bit ms timestamp, then random bits. Works in browsers, workers and Node. */
export function uuidv7(now = Date.now()): string {
	const b = new Uint8Array(16);
	crypto.getRandomValues(b);
	let t = now;
	for (let i = 5; i >= 0; i--) {
		b[i] = t % 256;
		t = Math.floor(t / 256);
	}
	b[6] = (b[6] & 0x0f) | 0x70;
	b[8] = (b[8] & 0x3f) | 0x80;
	const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
