/**
 * Cropping a photographed page, as geometry only (no DOM): the rectangle is kept in fractions of
 * the page (0–1 on each axis), so it means the same on a phone's small preview and on the photo's
 * own pixels; only the last step maps it to pixels of the image. The dialog (PageCrop.svelte) moves
 * a corner with a finger, a mouse or the arrow keys; each move keeps the rectangle on the page and
 * no smaller than MIN_SIDE on either side, so a slip of the finger cannot crop a page to nothing.
 */

export interface CropRect {
	x: number;
	y: number;
	w: number;
	h: number;
}

export type Corner = 'nw' | 'ne' | 'sw' | 'se';
export const CORNERS: readonly Corner[] = ['nw', 'ne', 'sw', 'se'];

/** A tenth of the page on each side: smaller is never a page any more, and is hard to grab again. */
export const MIN_SIDE = 0.1;
/** Opened with a little taken off each edge: the table under the paper, which most photos show. */
export const INITIAL_MARGIN = 0.03;
export const KEY_STEP = 0.01;
export const KEY_STEP_LARGE = 0.1;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
/** Steps of 1 % added many times drift (0.07 + 0.01 …): kept to a millionth. */
const tidy = (v: number) => Math.round(v * 1e6) / 1e6;

export function initialCrop(): CropRect {
	return { x: INITIAL_MARGIN, y: INITIAL_MARGIN, w: tidy(1 - 2 * INITIAL_MARGIN), h: tidy(1 - 2 * INITIAL_MARGIN) };
}

/** Any rectangle made to fit the page at least MIN_SIDE on each side (a stored or hand-made one). */
export function clampCrop(r: CropRect): CropRect {
	const w = clamp(r.w, MIN_SIDE, 1);
	const h = clamp(r.h, MIN_SIDE, 1);
	return { x: tidy(clamp(r.x, 0, 1 - w)), y: tidy(clamp(r.y, 0, 1 - h)), w: tidy(w), h: tidy(h) };
}

export function cornerPoint(r: CropRect, corner: Corner): { x: number; y: number } {
	return { x: corner.endsWith('w') ? r.x : r.x + r.w, y: corner.startsWith('n') ? r.y : r.y + r.h };
}

/**
 * The corner put at `to` (fractions of the page), the opposite corner staying where it is: the
 * point is held on the page and at least MIN_SIDE away from the opposite corner on each axis.
 */
export function moveCorner(r: CropRect, corner: Corner, to: { x: number; y: number }): CropRect {
	const left = r.x;
	const top = r.y;
	const right = r.x + r.w;
	const bottom = r.y + r.h;
	let x0 = left,
		x1 = right,
		y0 = top,
		y1 = bottom;
	if (corner.endsWith('w')) x0 = clamp(to.x, 0, right - MIN_SIDE);
	else x1 = clamp(to.x, left + MIN_SIDE, 1);
	if (corner.startsWith('n')) y0 = clamp(to.y, 0, bottom - MIN_SIDE);
	else y1 = clamp(to.y, top + MIN_SIDE, 1);
	return { x: tidy(x0), y: tidy(y0), w: tidy(x1 - x0), h: tidy(y1 - y0) };
}

/** The arrow keys' move (1 % of the page, 10 % with Shift), or null for any other key. */
export function keyMove(key: string, shift: boolean): { dx: number; dy: number } | null {
	const step = shift ? KEY_STEP_LARGE : KEY_STEP;
	switch (key) {
		case 'ArrowLeft':
			return { dx: -step, dy: 0 };
		case 'ArrowRight':
			return { dx: step, dy: 0 };
		case 'ArrowUp':
			return { dx: 0, dy: -step };
		case 'ArrowDown':
			return { dx: 0, dy: step };
		default:
			return null;
	}
}

export function nudgeCorner(r: CropRect, corner: Corner, by: { dx: number; dy: number }): CropRect {
	const p = cornerPoint(r, corner);
	return moveCorner(r, corner, { x: p.x + by.dx, y: p.y + by.dy });
}

/** A pointer's place on the shown page (its box on screen, in CSS pixels) as fractions of the page, held on it. */
export function pointToFraction(clientX: number, clientY: number, box: { left: number; top: number; width: number; height: number }): { x: number; y: number } {
	if (box.width <= 0 || box.height <= 0) return { x: 0, y: 0 };
	return { x: clamp((clientX - box.left) / box.width, 0, 1), y: clamp((clientY - box.top) / box.height, 0, 1) };
}

/**
 * The rectangle in the image's own pixels, whole pixels inside the image and at least one on each
 * side (what a canvas draws from): a page shown at 300 px and stored at 1600 px crops the same.
 */
export function toNaturalPixels(r: CropRect, natural: { width: number; height: number }): { sx: number; sy: number; sw: number; sh: number } {
	const c = clampCrop(r);
	const sx = clamp(Math.round(c.x * natural.width), 0, natural.width - 1);
	const sy = clamp(Math.round(c.y * natural.height), 0, natural.height - 1);
	const sw = clamp(Math.round((c.x + c.w) * natural.width) - sx, 1, natural.width - sx);
	const sh = clamp(Math.round((c.y + c.h) * natural.height) - sy, 1, natural.height - sy);
	return { sx, sy, sw, sh };
}

/** The whole page minus nothing: applying it would only re-encode the photo and lose a little. */
export function isWholePage(r: CropRect): boolean {
	return r.x <= 0 && r.y <= 0 && r.w >= 1 && r.h >= 1;
}
