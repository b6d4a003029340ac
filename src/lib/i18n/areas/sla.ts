import { defineArea } from '../area';

/** The SLA clock: overdue flags in the inbox and the leader's "overdue by unit" summary. */
export const sla = defineArea('sla', {
	vi: {
		title: 'Hạn xử lý',
		overdue: 'Quá hạn',
		overdueSince: 'Quá hạn từ {time}',
		filterLabel: 'Lọc danh sách phản ánh',
		filterAll: 'Tất cả ({count})',
		filterOverdue: 'Quá hạn ({count})',
		noneOverdue: 'Không có phản ánh nào quá hạn.',
		summaryTitle: 'Quá hạn theo đơn vị',
		summaryHint: 'Phản ánh đang mở đã quá hạn mà đơn vị chưa xử lý (chưa tiếp nhận, chưa cập nhật tiến độ).',
		summaryNone: 'Không có đơn vị nào để phản ánh quá hạn mà chưa xử lý.',
		summaryCount: '{count} phản ánh',
		summaryUnseen: '{count} chưa xem'
	},
	en: {
		title: 'Handling deadlines',
		overdue: 'Overdue',
		overdueSince: 'Overdue since {time}',
		filterLabel: 'Filter the reports',
		filterAll: 'All ({count})',
		filterOverdue: 'Overdue ({count})',
		noneOverdue: 'No report is overdue.',
		summaryTitle: 'Overdue by unit',
		summaryHint: 'Open reports past their due time that the unit has not acted on yet (not accepted, no progress).',
		summaryNone: 'No unit has an overdue report waiting for action.',
		summaryCount: '{count} reports',
		summaryUnseen: '{count} not seen'
	}
});
