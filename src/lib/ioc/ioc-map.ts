/**
 * The map's shading: each commune a step of one blue scale by the reports it received in the period
 * (light to dark; none is left unshaded), the steps rounded so the legend reads in whole reports.
 */

/** Light to dark (ColorBrewer's Blues); each commune's grey outline keeps the lightest visible. */
export const SHADES = ['#f1f5f9', '#c6dbef', '#6baed6', '#2171b5', '#08306b'] as const;

export interface ShadeStep {
	/** The smallest count of the step (inclusive). */
	from: number;
	/** The largest (inclusive); null for the last, open-ended one. */
	to: number | null;
	color: string;
}

/** The steps for counts up to `max`: "0", then up to four equal ranges (fewer when `max` is small). */
export function shadeSteps(max: number): ShadeStep[] {
	const steps: ShadeStep[] = [{ from: 0, to: 0, color: SHADES[0] }];
	if (max < 1) return steps;
	const ranges = Math.min(4, max);
	const size = Math.ceil(max / ranges);
	for (let i = 0; i < ranges; i++) {
		const from = i * size + 1;
		if (from > max) break;
		steps.push({ from, to: i === ranges - 1 ? null : Math.min(max, (i + 1) * size), color: SHADES[i + 1] });
	}
	// The last step is open-ended: a count that grows past the max before the next answer still has a colour.
	steps[steps.length - 1].to = null;
	return steps;
}

export function shadeOf(count: number, steps: readonly ShadeStep[]): string {
	for (let i = steps.length - 1; i >= 0; i--) if (count >= steps[i].from) return steps[i].color;
	return steps[0].color;
}
