import { beforeEach, describe, expect, it } from 'vitest';
import { localDb } from '../sync/local-db';
import { markReportRead, noticeSources, recordNotices, recordPushNotice, unreadByReport, unreadCount } from './notices';
import { NOTICE_EVENT_TYPES, PART_REPORTED } from '../domain/notice-rules';
import type { ReportEvent } from '../domain/event';
import { my } from '../i18n/areas/my';

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

	it('name a coordinating unit’s result as its part reported, the lead’s as the result, whatever order they come in', async () => {
		const ev = (id: string, m: number, type: ReportEvent['type'], extra: Partial<ReportEvent> = {}) =>
			({ id, reportId: 'r5', type, actorRole: 'handler', serverAt: at(m), ...extra }) as ReportEvent;
		const events = [
			ev('e4', 4, 'resolved', { unitId: 'ward' }),
			ev('e3', 3, 'resolved', { unitId: 'environment' }),
			ev('e1', 1, 'received', { actorRole: 'system', unitIds: ['environment', 'ward'] }),
			ev('e2', 1, 'assigned', { actorRole: 'system', unitIds: ['environment', 'ward'], unitId: 'ward' })
		];
		await recordNotices(noticeSources(events));
		expect(Object.fromEntries((await localDb.notices.toArray()).map((n) => [n.id, n.type]))).toEqual({ e3: PART_REPORTED, e4: 'resolved' });
		// A push of the same event names it the same: the row is not written twice, and says the same.
		expect(await recordPushNotice({ reportId: 'r5', eventId: 'e3', type: PART_REPORTED })).toBe(false);
	});

	it('have words for every kind, in both languages (a push shows them)', () => {
		for (const lang of ['vi', 'en'] as const)
			for (const type of [...NOTICE_EVENT_TYPES, PART_REPORTED]) expect(my[lang].notification, `${lang} ${type}`).toHaveProperty(type);
	});
});
