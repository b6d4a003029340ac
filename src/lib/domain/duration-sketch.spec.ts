import { describe, expect, it } from 'vitest';
import { prng as rng } from '../../../tests/support/prng';
import { addTo, mergeInto, quantile, quantileDense, sketchCount, SKETCH_BUCKETS, type Sketch } from './duration-sketch';

/** Nearest-rank percentile of exact values: what the sketch approximates. */
function exact(values: number[], q: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}


const HOUR = 3_600_000;

describe('duration sketch', () => {
	it('p50 and p90 within 5 % of the exact percentiles, on handling times of several shapes', () => {
		const r = rng(7);
		const shapes: Record<string, () => number> = {
			// Most reports answered within a day, a long tail of weeks (log-normal).
			lognormal: () => Math.exp(Math.log(6 * HOUR) + 1.4 * Math.sqrt(-2 * Math.log(r() || 1e-9)) * Math.cos(2 * Math.PI * r())),
			uniform: () => 2 * 60_000 + r() * 30 * 24 * HOUR,
			// Two populations: same-day fixes and month-long works.
			bimodal: () => (r() < 0.6 ? 2 * HOUR + r() * 4 * HOUR : 20 * 24 * HOUR + r() * 15 * 24 * HOUR)
		};
		for (const [name, gen] of Object.entries(shapes)) {
			const values = Array.from({ length: 20_000 }, gen);
			const s: Sketch = {};
			for (const v of values) addTo(s, v);
			for (const q of [0.5, 0.9]) {
				const err = Math.abs(quantile(s, q)! - exact(values, q)) / exact(values, q);
				expect(err, `${name} p${q * 100}`).toBeLessThan(0.05);
			}
		}
	});

	it('merging the parts equals sketching the whole, and taking back undoes adding', () => {
		const r = rng(11);
		const values = Array.from({ length: 5_000 }, () => r() * 90 * 24 * HOUR);
		const whole: Sketch = {};
		for (const v of values) addTo(whole, v);
		const parts: Sketch[] = [{}, {}, {}];
		values.forEach((v, i) => addTo(parts[i % 3], v));
		const merged: Sketch = {};
		for (const p of parts) mergeInto(merged, p);
		expect(merged).toEqual(whole);

		for (const v of values.slice(0, 2_000)) addTo(merged, v, -1);
		const rest: Sketch = {};
		for (const v of values.slice(2_000)) addTo(rest, v);
		expect(merged).toEqual(rest);
		expect(sketchCount(merged)).toBe(3_000);
	});

	it('reads the same quantiles from a dense sketch (a sum of cells) as from the sparse one', () => {
		const r = rng(5);
		const s: Sketch = {};
		const dense = new Float64Array(SKETCH_BUCKETS);
		for (let i = 0; i < 3_000; i++) addTo(s, r() * 40 * 24 * HOUR);
		for (const [b, n] of Object.entries(s)) dense[Number(b)] = n;
		for (const q of [0.1, 0.5, 0.9, 1]) expect(quantileDense(dense, q)).toBe(quantile(s, q));
		expect(quantileDense(new Float64Array(SKETCH_BUCKETS), 0.5)).toBeNull();
	});

	it('says nothing of an empty sketch, and keeps the smallest and largest durations in range', () => {
		expect(quantile({}, 0.5)).toBeNull();
		const s: Sketch = {};
		addTo(s, 5_000); // under a minute
		addTo(s, 10 * 365 * 24 * HOUR); // ten years: the last bucket
		expect(quantile(s, 0.5)).toBeLessThan(60_000);
		expect(quantile(s, 1)).toBeGreaterThan(365 * 24 * HOUR);
	});
});
