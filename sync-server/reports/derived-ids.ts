import { createHash } from 'node:crypto';

/**
 * A UUID derived deterministically from another id and a label (like UUIDv5, but SHA-256 and
 * version 8, RFC 9562's "custom" version). The server's own documents about a report (its
 * `received` and `assigned` events) get ids like this, so a retried intake writes the same ids
 * and never doubles them. The first 48 bits are copied from the base id: a UUIDv7 base keeps its
 * timestamp, so the derived ids stay time-ordered, which keeps the LevelDB store compact.
 */
export function derivedId(baseId: string, label: string): string {
	const digest = createHash('sha256').update(`${baseId}\u0000${label}`).digest();
	const b = Buffer.from(digest.subarray(0, 16));
	const baseHex = baseId.replace(/-/g, '');
	if (/^[0-9a-f]{32}$/i.test(baseHex)) Buffer.from(baseHex.slice(0, 12), 'hex').copy(b, 0);
	b[6] = (b[6] & 0x0f) | 0x80;
	b[8] = (b[8] & 0x3f) | 0x80;
	const h = b.toString('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
