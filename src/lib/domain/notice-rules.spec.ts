import { describe, expect, it } from 'vitest';
import { isNoticeEvent } from './notice-rules';

describe('notice rules (in-app notices and Web Push)', () => {
	it('are news only when staff or the system acted after receipt', () => {
		expect(isNoticeEvent({ type: 'resolved', actorRole: 'handler' })).toBe(true);
		expect(isNoticeEvent({ type: 'directive', actorRole: 'leader' })).toBe(true);
		expect(isNoticeEvent({ type: 'overdue', actorRole: 'system' })).toBe(true);
		expect(isNoticeEvent({ type: 'received', actorRole: 'system' })).toBe(false);
		expect(isNoticeEvent({ type: 'assigned', actorRole: 'system' })).toBe(false);
		expect(isNoticeEvent({ type: 'seen', actorRole: 'handler' })).toBe(false);
		expect(isNoticeEvent({ type: 'feedback', actorRole: 'resident' })).toBe(false);
		expect(isNoticeEvent({ type: 'info_provided', actorRole: 'resident' })).toBe(false);
	});
});
