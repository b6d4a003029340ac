import { beforeEach, describe, expect, it } from 'vitest';
import { localDb } from '../sync/local-db';
import { markReportRead, recordNotices, recordPushNotice, unreadByReport, unreadCount } from './notices';

const at = (m: number) => `2025-07-01T02:${String(m).padStart(2, '0')}:00.000Z`;

beforeEach(async () => {
	await localDb.notices.clear();
});

describe('in-app notices', () => {
	it('count each event once, whether it came by sync or by push', async () => {
		expect(await recordPushNotice({ reportId: 'r1', eventId: 'e1', type: 'accepted', trackingCode: 'DL-1', at: at(1) })).toBe(true);
		const added = await recordNotices([
			{ id: 'e1', reportId: 'r1', type: 'accepted', actorRole: 'handler', at: at(1) },
			{ id: 'e2', reportId: 'r1', type: 'resolved', actorRole: 'handler', at: at(2) },
			{ id: 'e3', reportId: 'r1', type: 'feedback', actorRole: 'resident', at: at(3) },
			{ id: 'e4', reportId: 'r2', type: 'info_requested', actorRole: 'handler', at: at(4) }
		]);
		expect(added).toBe(2);
		expect(await unreadCount()).toBe(3);
		expect(await recordPushNotice({ reportId: 'r1', eventId: 'e2', type: 'resolved' })).toBe(false);
		expect(await unreadCount()).toBe(3);
		expect(Object.fromEntries(await unreadByReport())).toEqual({ r1: 2, r2: 1 });
	});

	it('are read when the report is opened, and stay read when the same event comes again', async () => {
		await recordNotices([{ id: 'e1', reportId: 'r1', type: 'progress', actorRole: 'handler', at: at(1) }]);
		await markReportRead('r1');
		expect(await unreadCount()).toBe(0);
		await recordNotices([{ id: 'e1', reportId: 'r1', type: 'progress', actorRole: 'handler', at: at(1) }]);
		expect(await unreadCount()).toBe(0);
	});

	it('of a report just followed: its past is recorded as read, what comes later is news', async () => {
		await recordNotices(
			[
				{ id: 'e1', reportId: 'r9', type: 'accepted', actorRole: 'handler', at: at(1) },
				{ id: 'e2', reportId: 'r9', type: 'progress', actorRole: 'handler', at: at(5) }
			],
			{ readBefore: at(3) }
		);
		expect(await unreadCount()).toBe(1);
	});
});
