import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OfficeConfig } from '$lib/domain/office';
import '$lib/i18n/areas/admin-offices';
import { placeOf, reasonText, shownAt, slugOf, withIds } from './settings';

const demo = (): OfficeConfig => JSON.parse(readFileSync('data/tenants/lam-dong/tenant.json', 'utf8')).office;

describe('admin office settings', () => {
	it('gives new counters "quay-<number>" and new services the slug of their name, never touching saved ids', () => {
		const cfg = demo();
		cfg.offices[0].counters.push({ id: '', number: 5, serviceIds: ['chung-thuc-ban-sao'] });
		cfg.offices[0].counters.push({ id: '', number: 1, serviceIds: ['chung-thuc-ban-sao'] });
		cfg.services.push({ ...cfg.services[0], id: '', nameVi: 'Đăng ký khai sinh' });
		const out = withIds(cfg);
		expect(out.offices[0].counters.map((c) => c.id)).toEqual(['quay-1', 'quay-2', 'quay-3', 'quay-4', 'quay-5', 'quay-1-2']);
		expect(out.services.at(-1)!.id).toBe('dang-ky-khai-sinh-2');
		expect(cfg.offices[0].counters[4].id).toBe(''); // the draft itself is left as typed
		expect(slugOf('Cấp Giấy phép xây dựng — nhà ở')).toBe('cap-giay-phep-xay-dung-nha-o');
	});

	it('puts a refused path into words, and tells which are shown under a field of the office on screen', () => {
		const cfg = demo();
		expect(placeOf('offices.0.counters.1.serviceIds', cfg, 'vi')).toBe('Văn phòng Bộ phận Một cửa phường Lâm Viên - Đà Lạt, quầy 2: dịch vụ');
		expect(placeOf('offices.1.week.0.periods.1.to', cfg, 'vi')).toMatch(/Xuân Hương.*, nhóm ngày 1, buổi 2: giờ kết thúc$/);
		expect(placeOf('services.2.prefix', cfg, 'vi')).toBe('Dịch vụ Cấp giấy xác nhận tình trạng hôn nhân: chữ số đầu');
		expect(placeOf('notifyAhead', cfg, 'vi')).toBe('Cài đặt chung: báo trước khi còn bao nhiêu người');
		expect(shownAt('offices.0.counters.1.serviceIds', 0)).toBe(true);
		expect(shownAt('offices.0.counters.1.serviceIds', 1)).toBe(false);
		expect(shownAt('offices.0.wardCode', 0)).toBe(false);
		expect(shownAt('services.3.nameVi', 1)).toBe(true);
	});

	it('says the server’s reasons plainly, with the service’s name', () => {
		const name = (id: string) => (id === 'dang-ky-khai-sinh' ? 'Đăng ký khai sinh' : id);
		expect(reasonText('no counter serves "dang-ky-khai-sinh"', name)).toBe('chưa có quầy nào làm dịch vụ "Đăng ký khai sinh"');
		expect(reasonText('Too small: expected array to have >=1 items')).toBe('cần chọn ít nhất một');
		expect(reasonText('Too small: expected string to have >=1 characters')).toBe('cần điền');
		expect(reasonText('counter number 3 is used twice')).toBe('bị trùng');
		expect(reasonText('something new')).toBe('something new');
	});
});
