/**
 * When will my number be called? An estimate from the office's own recent service times, with its
 * uncertainty said honestly. Zod-free: the ticket page computes it on the phone from what it pulled.
 *
 * Model: each person ahead takes one service time, drawn from the service's recent ones (mean μ,
 * standard deviation σ), and `counters` counters serve the queue in parallel. The wait for `ahead`
 * people is then about ahead·μ/counters; the sum of `ahead` independent times spreads as √ahead·σ,
 * so an 80 % range is ±1.28·√ahead·σ/counters (normal approximation; never below zero). With fewer
 * than MIN_SAMPLES recent times the service's typical minutes (tenant data) stand in, with σ = μ/2:
 * a wider range, and the basis says so.
 */

export const MIN_SAMPLES = 5;
/** How many recent service times count, and how old they may be. */
export const MAX_SAMPLES = 30;
export const SAMPLE_DAYS = 14;
const Z80 = 1.2816;

export interface WaitEstimate {
	/** Expected minutes until the call, and an 80 % range. */
	minutes: number;
	low: number;
	high: number;
	/** `history`: from `samples` recent service times at this office; `typical`: from the service's usual time. */
	basis: 'history' | 'typical';
	samples: number;
}

/** Service minutes of finished tickets (called → finished), newest first, within SAMPLE_DAYS of `now`. */
export function recentServiceMinutes(
	tickets: { status: string; calledAt?: string; finishedAt?: string }[],
	now: Date
): number[] {
	const since = now.getTime() - SAMPLE_DAYS * 86_400_000;
	return tickets
		.filter((t) => t.status === 'finished' && t.calledAt && t.finishedAt && Date.parse(t.finishedAt) >= since)
		.sort((a, b) => (a.finishedAt! < b.finishedAt! ? 1 : -1))
		.slice(0, MAX_SAMPLES)
		.map((t) => (Date.parse(t.finishedAt!) - Date.parse(t.calledAt!)) / 60_000)
		.filter((m) => m >= 0 && m < 8 * 60);
}

export function estimateWait(opts: { ahead: number; counters: number; samples: number[]; typicalMinutes: number }): WaitEstimate {
	const counters = Math.max(1, opts.counters);
	const ahead = Math.max(0, opts.ahead);
	const history = opts.samples.length >= MIN_SAMPLES;
	let mean = opts.typicalMinutes;
	let sd = opts.typicalMinutes / 2;
	if (history) {
		const n = opts.samples.length;
		mean = opts.samples.reduce((a, b) => a + b, 0) / n;
		sd = Math.sqrt(opts.samples.reduce((a, m) => a + (m - mean) ** 2, 0) / (n - 1));
	}
	const minutes = (ahead * mean) / counters;
	const spread = (Z80 * Math.sqrt(ahead) * sd) / counters;
	return {
		minutes: Math.round(minutes),
		low: Math.max(0, Math.floor(minutes - spread)),
		high: Math.ceil(minutes + spread),
		basis: history ? 'history' : 'typical',
		samples: opts.samples.length
	};
}
