import { defineArea } from '../area';

/** A report's timeline: the same words on the public page, the resident's page and the handler's. */
export const timeline = defineArea('timeline', {
	vi: {
		title: 'Quá trình xử lý',
		empty: 'Chưa có hoạt động nào.',
		system: 'Hệ thống',
		resident: 'Người phản ánh',
		leader: 'Lãnh đạo',
		event: {
			received: 'Đã tiếp nhận phản ánh',
			assigned: 'Giao cho {units}',
			seen: '{unit} đã xem',
			accepted: '{unit} đã nhận xử lý',
			progress: '{unit} cập nhật tiến độ',
			directive: 'Ý kiến chỉ đạo',
			info_requested: '{unit} đề nghị người phản ánh bổ sung thông tin',
			info_provided: 'Người phản ánh đã bổ sung thông tin',
			resolved: '{unit} đã xử lý xong',
			rejected_invalid: '{unit} xác định phản ánh không đúng sự thật',
			transferred: '{unit} chuyển cho {units}',
			added: '{unit} mời thêm {units} cùng xử lý',
			reopened: 'Mở lại để xử lý tiếp',
			feedback: 'Người phản ánh đánh giá kết quả',
			overdue: 'Quá hạn xử lý ({units})',
			withdrawn: 'Người phản ánh đã rút phản ánh',
			contested: 'Người phản ánh không đồng ý với kết luận, đề nghị lãnh đạo xem lại'
		},
		satisfied: 'Hài lòng',
		unsatisfied: 'Chưa hài lòng',
		units: 'Đơn vị tiếp nhận',
		seen: 'Đã xem',
		notSeen: 'Chưa xem',
		pending: 'Chưa gửi lên máy chủ',
		publicText: 'Công khai:'
	},
	en: {
		title: 'Handling',
		empty: 'Nothing has happened yet.',
		system: 'System',
		resident: 'Reporter',
		leader: 'Leader',
		event: {
			received: 'Report received',
			assigned: 'Assigned to {units}',
			seen: '{unit} has seen it',
			accepted: '{unit} accepted it',
			progress: '{unit} posted progress',
			directive: 'Directive',
			info_requested: '{unit} asked the reporter for more information',
			info_provided: 'The reporter added information',
			resolved: '{unit} resolved it',
			rejected_invalid: '{unit} found the report untrue',
			transferred: '{unit} transferred it to {units}',
			added: '{unit} brought in {units} to help',
			reopened: 'Reopened for further handling',
			feedback: 'The reporter rated the result',
			overdue: 'Overdue ({units})',
			withdrawn: 'The reporter withdrew the report',
			contested: 'The reporter disagreed with the decision and asked a leader to review it'
		},
		satisfied: 'Satisfied',
		unsatisfied: 'Not satisfied',
		units: 'Units',
		seen: 'Seen',
		notSeen: 'Not seen yet',
		pending: 'Not sent to the server yet',
		publicText: 'Public:'
	}
});
