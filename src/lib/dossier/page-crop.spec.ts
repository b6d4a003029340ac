import { describe, expect, it } from 'vitest';
import { clampCrop, cornerPoint, initialCrop, keyMove, moveCorner, MIN_SIDE, nudgeCorner, pointToFraction, toNaturalPixels, type CropRect } from './page-crop';

/**
 * A page's crop rectangle as the resident moves its corners: it opens just inside the edges, a
 * corner follows the finger or the arrow keys while the opposite corner stays put, and however hard
 * it is pushed it stays on the page and never shrinks below a tenth of it.
 */

const near = (r: CropRect) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));

describe('the crop rectangle', () => {
	it('opens on the whole page less 3 % on each edge', () => {
		expect(initialCrop()).toEqual({ x: 0.03, y: 0.03, w: 0.94, h: 0.94 });
	});

	it('moves the bottom-right corner up and left by 1 % per arrow key, 10 % with Shift, the top-left corner staying', () => {
		let r = initialCrop();
		for (let i = 0; i < 5; i++) r = nudgeCorner(r, 'se', keyMove('ArrowUp', false)!);
		r = nudgeCorner(r, 'se', keyMove('ArrowLeft', true)!);
		expect(near(r)).toEqual({ x: 0.03, y: 0.03, w: 0.84, h: 0.89 });
		expect(cornerPoint(r, 'nw')).toEqual({ x: 0.03, y: 0.03 });
		expect(keyMove('Enter', false)).toBeNull();
	});

	it('keeps a corner on the page', () => {
		const r = moveCorner(initialCrop(), 'nw', { x: -0.5, y: -2 });
		expect(near(r)).toEqual({ x: 0, y: 0, w: 0.97, h: 0.97 });
		const s = moveCorner(initialCrop(), 'se', { x: 3, y: 1.2 });
		expect(near(s)).toEqual({ x: 0.03, y: 0.03, w: 0.97, h: 0.97 });
	});

	it('never lets a corner come closer than a tenth of the page to the opposite one, even dragged past it', () => {
		const r = moveCorner(initialCrop(), 'ne', { x: 0, y: 1 });
		expect(near(r)).toEqual({ x: 0.03, y: 0.87, w: MIN_SIDE, h: MIN_SIDE });
		let s = initialCrop();
		for (let i = 0; i < 30; i++) s = nudgeCorner(s, 'sw', keyMove('ArrowRight', true)!);
		expect(s.w).toBeCloseTo(MIN_SIDE);
		expect(s.x + s.w).toBeCloseTo(0.97);
	});

	it('brings any rectangle back onto the page at its minimum size', () => {
		expect(near(clampCrop({ x: 0.95, y: -0.2, w: 0.01, h: 2 }))).toEqual({ x: 0.9, y: 0, w: MIN_SIDE, h: 1 });
	});
});

describe('from the screen to the photo', () => {
	it('takes a pointer on the shown page as fractions of it, held on the page', () => {
		const box = { left: 20, top: 100, width: 300, height: 400 };
		expect(pointToFraction(170, 300, box)).toEqual({ x: 0.5, y: 0.5 });
		expect(pointToFraction(0, 600, box)).toEqual({ x: 0, y: 1 });
		expect(pointToFraction(5, 5, { left: 0, top: 0, width: 0, height: 0 })).toEqual({ x: 0, y: 0 });
	});

	it('gives the same part of the photo at its own size as was framed on the small preview', () => {
		const shownBox = { left: 0, top: 0, width: 300, height: 400 };
		let r = initialCrop();
		r = moveCorner(r, 'nw', pointToFraction(30, 40, shownBox));
		r = moveCorner(r, 'se', pointToFraction(240, 360, shownBox));
		expect(toNaturalPixels(r, { width: 1200, height: 1600 })).toEqual({ sx: 120, sy: 160, sw: 840, sh: 1280 });
	});

	it('gives whole pixels inside the image, at least one on each side', () => {
		const px = toNaturalPixels({ x: 0.999, y: 0.999, w: 0.5, h: 0.5 }, { width: 7, height: 5 });
		expect(px.sx + px.sw).toBeLessThanOrEqual(7);
		expect(px.sy + px.sh).toBeLessThanOrEqual(5);
		expect(px.sw).toBeGreaterThanOrEqual(1);
		expect(px.sh).toBeGreaterThanOrEqual(1);
		expect(Number.isInteger(px.sx) && Number.isInteger(px.sw)).toBe(true);
	});
});
