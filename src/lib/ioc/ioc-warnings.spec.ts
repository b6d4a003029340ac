import { describe, expect, it } from 'vitest';
import type { IocWarning } from '../domain/ioc';
import { showPushNotification } from '../my/push-worker';
import { parseWarningPush, warningPushText, warningText, type WarningNames } from './ioc-warnings';

const names: WarningNames = {
	ward: (c) => ({ '24781': 'Phường Lâm Viên' })[c] ?? c,
	category: (c) => ({ environment: 'Môi trường' })[c] ?? c,
	unit: (id) => ({ 'ubnd-lam-vien': 'UBND phường Lâm Viên' })[id] ?? id,
	office: (id) => ({ 'mot-cua-lam-vien': 'Bộ phận Một cửa phường Lâm Viên' })[id] ?? id
};
const base = { id: 'w1', at: '2026-12-05T03:00:00.000Z', unitIds: ['ubnd-lam-vien'] };

describe('a warning in words on /ioc', () => {
	it('says each type with its numbers and the names the page knows, in both languages', () => {
		const overdue: IocWarning = { ...base, type: 'report_overdue', reportId: '0193-abc', trackingCode: 'LV-0042', value: 26.5 };
		expect(warningText(overdue, 'vi', names)).toBe('Phản ánh LV-0042 đã quá hạn 26,5 giờ.');
		expect(warningText(overdue, 'en', names)).toBe('Report LV-0042 is 26.5 h overdue.');
		const unseen: IocWarning = { ...base, type: 'unit_unseen', value: 3, baseline: 9.2 };
		expect(warningText(unseen, 'vi', names)).toBe('UBND phường Lâm Viên chưa mở 3 phản ánh được giao; phản ánh lâu nhất đã 9,2 giờ.');
		const spike: IocWarning = { ...base, type: 'spike', wardCode: '24781', categoryCode: 'environment', value: 7, baseline: 0.4 };
		expect(warningText(spike, 'vi', names)).toBe('Môi trường ở Phường Lâm Viên: hôm nay 7 phản ánh, trung bình mỗi ngày 0,4.');
		expect(warningText(spike, 'en', names)).toBe('Môi trường in Phường Lâm Viên: 7 reports today, against a daily average of 0.4.');
		const queue: IocWarning = { ...base, type: 'queue_wait', officeId: 'mot-cua-lam-vien', value: 72.4 };
		expect(warningText(queue, 'en', names)).toBe('Bộ phận Một cửa phường Lâm Viên: the longest wait is 72 minutes.');
	});
});

describe('a warning pushed to a staff device', () => {
	it('reads only a well-formed warning payload', () => {
		expect(parseWarningPush({ kind: 'ioc-warning', id: 'spike|24781|environment|2026-12-05', type: 'spike', value: 7, at: 'x' })).toMatchObject({ type: 'spike', value: 7 });
		expect(parseWarningPush({ kind: 'ioc-warning', id: 'x', type: 'fire', value: 1 })).toBeNull();
		expect(parseWarningPush({ kind: 'ioc-warning', id: 'x', type: 'spike', value: 'many' })).toBeNull();
		expect(parseWarningPush({ kind: 'ticket', ticketId: 'x' })).toBeNull();
		expect(parseWarningPush(null)).toBeNull();
	});

	it('says what happened without names, with or without a tracking code', () => {
		expect(warningPushText({ kind: 'ioc-warning', id: 'a', type: 'report_overdue', value: 3, trackingCode: 'LV-7', at: '' }, 'vi')).toEqual({
			title: 'Cảnh báo — trung tâm điều hành',
			body: 'Phản ánh LV-7 đã quá hạn 3 giờ.'
		});
		expect(warningPushText({ kind: 'ioc-warning', id: 'a', type: 'report_overdue', value: 3, at: '' }, 'en').body).toBe('A report is 3 h overdue.');
		expect(warningPushText({ kind: 'ioc-warning', id: 'a', type: 'queue_wait', value: 61.6, at: '' }, 'en').body).toBe('A one-stop office queue has waited 62 minutes.');
	});

	it('the service worker shows it, one notification per warning, opening /ioc', async () => {
		const shown: { title: string; options: NotificationOptions & { data?: { url: string } } }[] = [];
		const sw = { registration: { showNotification: async (title: string, options: NotificationOptions) => void shown.push({ title, options }) } } as unknown as ServiceWorkerGlobalScope;
		const payload = { kind: 'ioc-warning', id: 'spike|24781|environment|2026-12-05', type: 'spike', value: 6, at: '2026-12-05T03:00:00.000Z' };
		await showPushNotification(sw, { json: () => payload } as unknown as PushMessageData);
		expect(shown).toHaveLength(1);
		expect(shown[0].title).toBe('Cảnh báo — trung tâm điều hành');
		expect(shown[0].options.body).toBe('Tăng đột biến: 6 phản ánh cùng lĩnh vực ở một phường/xã hôm nay.');
		expect(shown[0].options.tag).toBe('ioc-warning-spike|24781|environment|2026-12-05');
		expect(shown[0].options.data!.url).toMatch(/\/ioc$/);
	});
});
