import { defineArea } from '../area';

/**
 * Smaller things users of such apps expect: photo upload progress in bytes and time left, the
 * "install the app" button where the browser offers it, and a blurred public position.
 */
export const niceties = defineArea('niceties', {
	vi: {
		/** "1,2/2,9 MB · còn ~20 giây" */
		uploadBytes: '{sent}/{total} MB',
		leftSeconds: 'còn ~{n} giây',
		leftMinutes: 'còn ~{n} phút',
		uploadLabel: 'Đã gửi {sent} trên {total} MB ảnh',
		install: 'Cài ứng dụng',
		installHint: 'Mở nhanh từ màn hình chính, dùng được cả khi không có mạng.',
		installDismiss: 'Để sau',
		approximate: 'Vị trí gần đúng, trong khoảng {m} m (để không lộ nhà người phản ánh)',
		approximateMarker: 'vị trí gần đúng'
	},
	en: {
		uploadBytes: '{sent}/{total} MB',
		leftSeconds: '~{n} s left',
		leftMinutes: '~{n} min left',
		uploadLabel: '{sent} of {total} MB of photos sent',
		install: 'Install the app',
		installHint: 'Opens quickly from the home screen, works offline too.',
		installDismiss: 'Not now',
		approximate: 'Approximate place, within about {m} m (so the reporter’s home is not shown)',
		approximateMarker: 'approximate place'
	}
});
