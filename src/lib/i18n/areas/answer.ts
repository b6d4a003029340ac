import { defineArea } from '../area';

/** Photos with the resident's answer to a handler's question (/my): picked, prepared, sent after the answer. */
export const answer = defineArea('answer', {
	vi: {
		photos: 'Ảnh kèm câu trả lời ({n}/{max}, không bắt buộc)',
		addPhoto: 'Chụp hoặc chọn ảnh',
		removePhoto: 'Bỏ ảnh {n}',
		preparing: 'Đang chuẩn bị ảnh…',
		photoFailed: 'Không đọc được ảnh này. Hãy chụp hoặc chọn ảnh khác.',
		tooMany: 'Mỗi câu trả lời kèm được tối đa {max} ảnh.',
		photoPending: 'Ảnh chưa gửi xong',
		photoRefused: 'Ảnh không gửi được: {reason}'
	},
	en: {
		photos: 'Photos with your answer ({n}/{max}, optional)',
		addPhoto: 'Take or choose a photo',
		removePhoto: 'Remove photo {n}',
		preparing: 'Preparing the photo…',
		photoFailed: 'This photo could not be read. Take or choose another one.',
		tooMany: 'An answer can carry at most {max} photos.',
		photoPending: 'Photo not sent yet',
		photoRefused: 'The photo could not be sent: {reason}'
	}
});
