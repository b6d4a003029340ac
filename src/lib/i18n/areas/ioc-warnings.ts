import { defineArea } from '../area';

/**
 * The operations centre's warnings in words (issue 15): on /ioc (with the names the page knows) and
 * in the service worker's notification (the push carries no names: it travels through the vendor's
 * push service, so it says what, never who or where). Imported statically by the service worker.
 */
export const iocWarnings = defineArea('ioc-warnings', {
	vi: {
		heading: 'Cảnh báo',
		none: 'Không có cảnh báo nào đang mở.',
		noneAtAll: 'Chưa có cảnh báo nào.',
		showAcked: 'Hiện cả cảnh báo đã nắm',
		ack: 'Đã nắm',
		acking: 'Đang ghi nhận…',
		acked: 'Đã nắm lúc {time}',
		ackFailed: 'Chưa ghi nhận được cảnh báo này.',
		ackGone: 'Cảnh báo này không còn hoặc không thuộc đơn vị của bạn.',
		loadFailed: 'Chưa tải được danh sách cảnh báo.',
		newWarnings: 'Có {n} cảnh báo mới.',
		raisedAt: 'Lúc {time}',
		openReport: 'Mở phản ánh ở hộp thư',
		types: {
			report_overdue: 'Quá hạn',
			unit_unseen: 'Đơn vị chưa xem',
			spike: 'Tăng đột biến',
			queue_wait: 'Chờ lâu ở một cửa'
		},
		text: {
			report_overdue: 'Phản ánh {code} đã quá hạn {hours} giờ.',
			unit_unseen: '{unit} chưa mở {count} phản ánh được giao; phản ánh lâu nhất đã {hours} giờ.',
			spike: '{category} ở {ward}: hôm nay {count} phản ánh, trung bình mỗi ngày {average}.',
			queue_wait: '{office}: người chờ lâu nhất đã {minutes} phút.'
		},
		push: {
			title: 'Cảnh báo — trung tâm điều hành',
			report_overdue: 'Phản ánh {code} đã quá hạn {value} giờ.',
			report_overdue_nocode: 'Một phản ánh đã quá hạn {value} giờ.',
			unit_unseen: 'Một đơn vị chưa mở {value} phản ánh được giao.',
			spike: 'Tăng đột biến: {value} phản ánh cùng lĩnh vực ở một phường/xã hôm nay.',
			queue_wait: 'Một hàng chờ ở bộ phận một cửa đã chờ {value} phút.',
			other: 'Có cảnh báo mới. Mở trang trung tâm điều hành để xem.'
		}
	},
	en: {
		heading: 'Warnings',
		none: 'No open warnings.',
		noneAtAll: 'No warnings yet.',
		showAcked: 'Show acknowledged warnings too',
		ack: 'Acknowledge',
		acking: 'Acknowledging…',
		acked: 'Acknowledged at {time}',
		ackFailed: 'Could not acknowledge this warning.',
		ackGone: 'This warning is gone or does not concern your units.',
		loadFailed: 'Could not load the warnings.',
		newWarnings: '{n} new warning(s).',
		raisedAt: 'At {time}',
		openReport: 'Open the report in the inbox',
		types: {
			report_overdue: 'Overdue',
			unit_unseen: 'Unit has not looked',
			spike: 'Spike',
			queue_wait: 'Long queue'
		},
		text: {
			report_overdue: 'Report {code} is {hours} h overdue.',
			unit_unseen: '{unit} has not opened {count} assigned reports; the oldest came {hours} h ago.',
			spike: '{category} in {ward}: {count} reports today, against a daily average of {average}.',
			queue_wait: '{office}: the longest wait is {minutes} minutes.'
		},
		push: {
			title: 'Warning — operations centre',
			report_overdue: 'Report {code} is {value} h overdue.',
			report_overdue_nocode: 'A report is {value} h overdue.',
			unit_unseen: 'A unit has not opened {value} assigned reports.',
			spike: 'Spike: {value} reports of one category in one commune today.',
			queue_wait: 'A one-stop office queue has waited {value} minutes.',
			other: 'A new warning. Open the operations centre to see it.'
		}
	}
});
