import { defineArea } from '../area';

/**
 * Removing or withdrawing a report from the outbox (resident and volunteer). A report that left the
 * phone is the units' too: it is withdrawn (rút phản ánh), never silently deleted. The reason is for
 * the units only; the public page says it was withdrawn, without the words.
 */
export const withdraw = defineArea('withdraw', {
	vi: {
		action: 'Rút phản ánh',
		hide: 'Ẩn khỏi danh sách',
		confirmRemoveUnsent: 'Phản ánh này chưa gửi đi. Xóa phản ánh và ảnh khỏi máy này? Không lấy lại được.',
		confirmHide:
			'Chỉ ẩn khỏi danh sách trên máy này: phản ánh vẫn ở với các đơn vị và vẫn được xử lý (xem ở "Phản ánh của tôi"). Muốn các đơn vị thôi xử lý, hãy bấm "Rút phản ánh".',
		confirmHideYes: 'Ẩn',
		title: 'Rút phản ánh này?',
		explain:
			'Các đơn vị sẽ thấy bạn đã rút phản ánh (kèm lý do nếu bạn ghi) và thôi xử lý. Ảnh đã gửi vẫn ở lại với phản ánh; ảnh còn đang gửi sẽ được gửi nốt. Trang công khai chỉ ghi "Người phản ánh đã rút", không ghi lý do. Không hoàn tác được.',
		reason: 'Lý do (không bắt buộc, chỉ các đơn vị đọc được)',
		reasonCount: '{n}/{max} ký tự',
		yes: 'Rút phản ánh',
		no: 'Không rút',
		pending: 'Yêu cầu rút phản ánh đang chờ gửi tới các đơn vị',
		done: 'Bạn đã rút phản ánh này. Các đơn vị đã được báo.',
		refused: 'Không rút được phản ánh: {reason}'
	},
	en: {
		action: 'Withdraw report',
		hide: 'Hide from this list',
		confirmRemoveUnsent: 'This report has not been sent. Remove it and its photos from this phone? It cannot be undone.',
		confirmHide:
			'This only hides it from the list on this phone: the report stays with the units and is still handled (see "My reports"). To have the units stop, tap "Withdraw report".',
		confirmHideYes: 'Hide',
		title: 'Withdraw this report?',
		explain:
			'The units will see that you withdrew it (with your reason, if you give one) and stop handling it. Photos already sent stay with the report; photos still being sent are finished. The public page only says "withdrawn by the reporter", not your reason. This cannot be undone.',
		reason: 'Reason (optional, read by the units only)',
		reasonCount: '{n}/{max} characters',
		yes: 'Withdraw report',
		no: 'Keep it',
		pending: 'Your withdrawal is waiting to be sent to the units',
		done: 'You withdrew this report. The units have been told.',
		refused: 'The report could not be withdrawn: {reason}'
	}
});
