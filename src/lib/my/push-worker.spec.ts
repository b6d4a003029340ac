import { describe, expect, it } from 'vitest';
import { showPushNotification } from './push-worker';

/** The service worker's registration, recording what it was asked to show. */
function fakeWorker() {
	const shown: { title: string; options: NotificationOptions & { data?: { url: string } } }[] = [];
	const sw = { registration: { showNotification: async (title: string, options: NotificationOptions) => void shown.push({ title, options }) } };
	return { sw: sw as unknown as ServiceWorkerGlobalScope, shown };
}
const data = (payload: object) => ({ json: () => payload }) as unknown as PushMessageData;

describe('a queue ticket push', () => {
	it('says how many are ahead, then which counter calls, one notification per ticket that opens the ticket', async () => {
		const { sw, shown } = fakeWorker();
		const base = { kind: 'ticket', ticketId: '01a2-ticket', number: '1023', officeVi: 'Bộ phận Một cửa phường Lâm Viên', officeEn: 'Lam Vien one-stop office' };
		await showPushNotification(sw, data({ ...base, type: 'turn_near', ahead: 3 }));
		await showPushNotification(sw, data({ ...base, type: 'called', counter: 2 }));
		expect(shown[0].title).toBe('Số 1023 · Bộ phận Một cửa phường Lâm Viên');
		expect(shown[0].options.body).toBe('Còn 3 người trước bạn. Hãy đến gần quầy.');
		expect(shown[1].options.body).toBe('Mời số 1023 đến quầy số 2.');
		expect(shown.map((s) => s.options.tag)).toEqual(['ticket-01a2-ticket', 'ticket-01a2-ticket']);
		expect(shown[1].options.data!.url).toMatch(/\/ticket\/view\?id=01a2-ticket$/);
	});
});
