import { describe, expect, it } from 'vitest';
import { createCodeLookupLimiter } from './code-lookup-limiter';

describe('code look-up limiter', () => {
	it('counts different codes per address, a code already counted is free, and frees tries as the window moves', () => {
		let t = 0;
		const limiter = createCodeLookupLimiter({ max: 2, windowMs: 1000, now: () => t });
		expect(limiter.check('a', 'X')).toEqual({ ok: true });
		expect(limiter.check('a', 'X')).toEqual({ ok: true });
		t = 400;
		expect(limiter.check('a', 'Y')).toEqual({ ok: true });
		expect(limiter.check('a', 'Z')).toEqual({ ok: false, retryAfterMs: 1000 });
		expect(limiter.check('a', 'Y')).toEqual({ ok: true });
		expect(limiter.check('b', 'Z')).toEqual({ ok: true }); // another address, its own tries
		t = 1000; // X's try has expired
		expect(limiter.check('a', 'Z')).toEqual({ ok: true });
		expect(limiter.check('a', 'X')).toMatchObject({ ok: false });
	});

	it('has no limit at 0', () => {
		const limiter = createCodeLookupLimiter({ max: 0, windowMs: 1000 });
		for (let i = 0; i < 100; i++) expect(limiter.check('a', String(i)).ok).toBe(true);
	});
});
