import { describe, expect, it } from 'vitest';
import { MAX_DESCRIPTION, MAX_PHOTOS } from '../domain/limits';
import { descriptionStatus, photoKey, planPhotoPick, placeForWard } from './form-rules';

const file = (name: string, size = 1000, lastModified = 1_700_000_000_000) =>
	Object.assign(new Blob([new Uint8Array(size)], { type: 'image/jpeg' }), { name, lastModified });

describe('planPhotoPick: which picked photos are added', () => {
	it('6 picked on an empty form: 5 added, 1 over the limit (a notice, not an error that stays)', () => {
		const files = Array.from({ length: 6 }, (_, i) => file(`IMG_${i}.jpg`, 1000 + i));
		const plan = planPhotoPick(files, { room: MAX_PHOTOS, known: [] });
		expect(plan.accept).toHaveLength(5);
		expect(plan.accept.map((f) => f.name)).toEqual(['IMG_0.jpg', 'IMG_1.jpg', 'IMG_2.jpg', 'IMG_3.jpg', 'IMG_4.jpg']);
		expect(plan.overflow).toBe(1);
		expect(plan.duplicates).toBe(0);
	});

	it('the same file picked again is not added twice (same name, size and date)', () => {
		const a = file('IMG_1.jpg', 2000);
		const plan = planPhotoPick([file('IMG_1.jpg', 2000), file('IMG_2.jpg', 2000)], { room: 4, known: [photoKey(a)] });
		expect(plan.accept.map((f) => f.name)).toEqual(['IMG_2.jpg']);
		expect(plan.duplicates).toBe(1);
		expect(plan.overflow).toBe(0);
	});

	it('a file twice in one pick is added once; a duplicate does not use up room', () => {
		const plan = planPhotoPick([file('A.jpg'), file('A.jpg'), file('B.jpg')], { room: 2, known: [] });
		expect(plan.accept.map((f) => f.name)).toEqual(['A.jpg', 'B.jpg']);
		expect(plan.duplicates).toBe(1);
		expect(plan.overflow).toBe(0);
	});

	it('two camera shots with the same name but other bytes or time are two photos', () => {
		const plan = planPhotoPick([file('image.jpg', 1000, 1), file('image.jpg', 1200, 2)], { room: 5, known: [] });
		expect(plan.accept).toHaveLength(2);
	});

	it('no room: nothing added, all over the limit', () => {
		const plan = planPhotoPick([file('A.jpg')], { room: 0, known: [] });
		expect(plan).toMatchObject({ accept: [], overflow: 1, duplicates: 0 });
	});
});

describe('placeForWard: coordinates agree with a ward picked by hand, or are dropped', () => {
	const hanoi = { source: 'gps' as const, lat: 21.0285, lng: 105.8542, accuracyM: 8 };

	it('a fix the picked ward does not contain is dropped: the ward alone is the location', () => {
		expect(placeForWard(hanoi, false)).toEqual({ source: 'ward' });
	});

	it('a fix the ward contains (or that the device cannot judge against any ward) — kept only when it agrees', () => {
		expect(placeForWard(hanoi, true)).toEqual(hanoi);
		// No boundaries on the device: the fix could not be checked, so it is not sent as the ward's.
		expect(placeForWard(hanoi, null)).toEqual({ source: 'ward' });
	});

	it('no location yet, or the ward already: the ward', () => {
		expect(placeForWard(undefined, null)).toEqual({ source: 'ward' });
		expect(placeForWard({ source: 'ward' }, null)).toEqual({ source: 'ward' });
	});
});

describe('descriptionStatus: a counter near the limit, a message at it', () => {
	it('short text: no counter', () => {
		expect(descriptionStatus('Rác đổ trộm')).toMatchObject({ length: 11, showCounter: false, atLimit: false });
	});

	it('near the limit: the counter shows', () => {
		const s = descriptionStatus('a'.repeat(MAX_DESCRIPTION - 300));
		expect(s).toMatchObject({ showCounter: true, atLimit: false, remaining: 300 });
	});

	it('at the limit: the message', () => {
		expect(descriptionStatus('a'.repeat(MAX_DESCRIPTION))).toMatchObject({ showCounter: true, atLimit: true, remaining: 0 });
		expect(MAX_DESCRIPTION).toBe(4000);
	});
});
