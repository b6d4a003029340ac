import { describe, expect, it } from 'vitest';
import { SHADES, shadeOf, shadeSteps } from './ioc-map';

describe("the map's shading by reports received", () => {
	it('has a step for none, then up to four ranges up to the most received, the last open-ended', () => {
		expect(shadeSteps(0)).toEqual([{ from: 0, to: 0, color: SHADES[0] }]);
		expect(shadeSteps(2).map((s) => [s.from, s.to])).toEqual([[0, 0], [1, 1], [2, null]]);
		expect(shadeSteps(40).map((s) => [s.from, s.to])).toEqual([[0, 0], [1, 10], [11, 20], [21, 30], [31, null]]);
	});

	it('shades a commune by the step its count falls in', () => {
		const steps = shadeSteps(40);
		expect(shadeOf(0, steps)).toBe(SHADES[0]);
		expect(shadeOf(10, steps)).toBe(SHADES[1]);
		expect(shadeOf(11, steps)).toBe(SHADES[2]);
		expect(shadeOf(99, steps)).toBe(SHADES[4]);
	});
});
