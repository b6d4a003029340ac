import { afterEach, describe, expect, it } from 'vitest';
import { formatTime, setDisplayTimeZone } from './locale.svelte';

describe('formatTime', () => {
	afterEach(() => setDisplayTimeZone('Asia/Ho_Chi_Minh'));

	it('shows times in Vietnam until the tenant says otherwise, whatever the device’s zone', () => {
		// 2026-12-07 08:30 UTC is 15:30 in Vietnam: the due time of a Friday-evening report.
		expect(formatTime('2026-12-07T08:30:00.000Z')).toContain('15:30');
	});

	it('follows the zone of the tenant’s calendar, and ignores one the browser does not know', () => {
		setDisplayTimeZone('Asia/Tokyo');
		expect(formatTime('2026-12-07T08:30:00.000Z')).toContain('17:30');
		setDisplayTimeZone('Mars/Olympus');
		expect(formatTime('2026-12-07T08:30:00.000Z')).toContain('17:30');
	});
});
