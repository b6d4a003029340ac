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

/** When a UUIDv7 was made (its 48-bit ms timestamp); null for anything else (another version, not a UUID). */
export function uuidv7Time(id: string): number | null {
	const m = /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.exec(id);
	return m ? parseInt(m[1] + m[2], 16) : null;
}
