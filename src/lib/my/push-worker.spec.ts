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

describe('an online application push', () => {
	it("says the step with the procedure, the code and the due day, one notification per application that opens /my", async () => {
		const { sw, shown } = fakeWorker();
		const base = { kind: 'dossier', applicationId: '0193a6f2-app', procedureVi: 'Đăng ký khai sinh', procedureEn: 'Birth registration', at: '2026-12-31T03:00:00Z' };
		await showPushNotification(sw, data({ ...base, type: 'needs_documents' }));
		await showPushNotification(sw, data({ ...base, type: 'accepted', dossierCode: 'LAM-VIEN-261231-0001', dueAt: '2027-01-06T10:00:00.000Z' }));
		expect(shown[0].options.body).toBe('Hồ sơ Đăng ký khai sinh cần bổ sung giấy tờ: mở ứng dụng để xem');
		expect(shown[1].title).toBe('Hồ sơ trực tuyến LAM-VIEN-261231-0001');
		expect(shown[1].options.body).toBe('Hồ sơ Đăng ký khai sinh đã được tiếp nhận, mã LAM-VIEN-261231-0001, hẹn trả 06/01/2027');
		expect(shown.map((s) => s.options.tag)).toEqual(['dossier-0193a6f2-app', 'dossier-0193a6f2-app']);
		expect(shown[1].options.data!.url).toMatch(/\/my\?application=0193a6f2-app$/);
	});
});
