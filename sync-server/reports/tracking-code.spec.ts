import { describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { Id } from '$lib/domain/common';
import { normalizeTrackingCode } from '$lib/domain/tracking-code';
import { derivedId } from './derived-ids';
import { trackingCandidate } from './tracking-code';

describe('tracking codes', () => {
	it('read LD-YYMMDD-XXXXX with the date in Vietnam and no ambiguous letters', () => {
		// 20:00 UTC on 31 Dec is already 1 Jan in Vietnam.
		const code = trackingCandidate('LD', uuidv7(), new Date('2025-12-31T20:00:00Z'), 0);
		expect(code).toMatch(/^LD-260101-[0-9A-HJKMNP-TV-Z]{5}$/);
	});
	it('are the same for the same report and differ between attempts and reports', () => {
		const id = uuidv7();
		const at = new Date();
		expect(trackingCandidate('LD', id, at, 0)).toBe(trackingCandidate('LD', id, at, 0));
		expect(trackingCandidate('LD', id, at, 1)).not.toBe(trackingCandidate('LD', id, at, 0));
		expect(trackingCandidate('LD', uuidv7(), at, 0)).not.toBe(trackingCandidate('LD', id, at, 0));
	});
	it('are their own canonical form, the one the look-up reads (domain/tracking-code.ts)', () => {
		for (let i = 0; i < 200; i++) {
			const code = trackingCandidate('DLK', uuidv7(), new Date(Date.UTC(2026, 0, 1) + i * 86_400_000), i % 3);
			expect(normalizeTrackingCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
		}
	});
});

describe('derived ids', () => {
	it('are valid, stable UUIDs that keep the base id’s time order', () => {
		const a = uuidv7(1_000_000), b = uuidv7(2_000_000);
		const ra = derivedId(a, 'received');
		expect(Id.safeParse(ra).success).toBe(true);
		expect(ra[14]).toBe('8');
		expect(derivedId(a, 'received')).toBe(ra);
		expect(derivedId(a, 'assigned')).not.toBe(ra);
		expect(ra.slice(0, 13)).toBe(a.slice(0, 13));
		expect(derivedId(b, 'received') > ra).toBe(true);
	});
});
