/**
 * A mergeable sketch of durations, for percentiles that can be kept incrementally (issue 15: the
 * operations centre's "time to first response / to resolution, p50 and p90").
 *
 * Why a log-bucket histogram rather than t-digest or a reservoir: figures are kept per cell (day ×
 * commune × category × unit) and added together for any period and area asked, and a report's
 * contribution is taken back out when it changes (a resolution, a reopening). Bucket counts add and
 * subtract exactly, in any order, so "rebuilt from scratch" and "kept as events came" give the same
 * sketch bit for bit; t-digest merges are order-dependent and cannot subtract.
 *
 * Buckets grow geometrically by RATIO from one minute: a value is placed in bucket
 * floor(log(v / MIN) / log(RATIO)), and a percentile is read at the geometric middle of its bucket,
 * so its relative error is at most √RATIO − 1 ≈ 5 % (duration-sketch.spec.ts checks it against exact
 * percentiles of generated data). Below one minute is bucket 0; above ~2 years is the last bucket.
 */

const MIN_MS = 60_000;
const RATIO = 1.1;
const LOG_RATIO = Math.log(RATIO);
/** 1 min × 1.1^150 ≈ 2.9 years. */
export const SKETCH_BUCKETS = 151;

/** Sparse: bucket index → count. Serialisable as it is (JSON object keys are the indexes). */
export type Sketch = Record<number, number>;

export function bucketOf(ms: number): number {
	if (!(ms > MIN_MS)) return 0;
	return Math.min(SKETCH_BUCKETS - 1, Math.floor(Math.log(ms / MIN_MS) / LOG_RATIO));
}

/** The value a bucket stands for: the geometric middle of its bounds. */
export function bucketValue(b: number): number {
	if (b <= 0) return MIN_MS / 2;
	return MIN_MS * Math.pow(RATIO, b + 0.5);
}

/** Adds `times` (negative: takes back) one duration to the sketch, in place. */
export function addTo(s: Sketch, ms: number, times = 1): void {
	const b = bucketOf(ms);
	const n = (s[b] ?? 0) + times;
	if (n) s[b] = n;
	else delete s[b];
}

/** Adds sketch `b` into `a`, in place. */
export function mergeInto(a: Sketch, b: Sketch): void {
	for (const k in b) {
		const n = (a[k as unknown as number] ?? 0) + b[k as unknown as number];
		if (n) a[k as unknown as number] = n;
		else delete a[k as unknown as number];
	}
}

export function sketchCount(s: Sketch): number {
	let n = 0;
	for (const k in s) n += s[k as unknown as number];
	return n;
}

/**
 * The q-quantile (0..1) in ms, or null for an empty sketch: the value of the bucket holding the
 * ⌈q·n⌉-th smallest duration (nearest rank, as the exact check in the spec computes it).
 */
export function quantile(s: Sketch, q: number): number | null {
	const n = sketchCount(s);
	if (!n) return null;
	const rank = Math.max(1, Math.ceil(q * n));
	const keys = Object.keys(s)
		.map(Number)
		.sort((a, b) => a - b);
	let seen = 0;
	for (const k of keys) {
		seen += s[k];
		if (seen >= rank) return bucketValue(k);
	}
	return bucketValue(keys[keys.length - 1]);
}

/**
 * The same quantile over a dense sketch: counts indexed by bucket (a Float64Array of SKETCH_BUCKETS),
 * what a sum of many cells is kept as (adding into an array beats adding into object keys).
 */
export function quantileDense(counts: ArrayLike<number>, q: number): number | null {
	let n = 0;
	for (let b = 0; b < counts.length; b++) n += counts[b];
	if (!n) return null;
	const rank = Math.max(1, Math.ceil(q * n));
	let seen = 0;
	for (let b = 0; b < counts.length; b++) {
		seen += counts[b];
		if (seen >= rank) return bucketValue(b);
	}
	return bucketValue(counts.length - 1);
}
