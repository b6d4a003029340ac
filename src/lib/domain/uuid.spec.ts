import { describe, expect, it } from 'vitest';
import { uuidv7, uuidv7Time } from './uuid';

describe('uuidv7Time', () => {
	it('reads back the moment a UUIDv7 was made, to the millisecond', () => {
		for (const at of [0, 1_796_434_000_123, Date.UTC(2089, 0, 1)]) expect(uuidv7Time(uuidv7(at))).toBe(at);
	});

	it('is null for a UUID of another version or anything else', () => {
		expect(uuidv7Time('3b241101-e2bb-4255-8caf-4136c566a962')).toBeNull(); // v4
		expect(uuidv7Time('not-a-uuid')).toBeNull();
		expect(uuidv7Time(`${uuidv7()}x`)).toBeNull();
	});
});
