import { defineArea } from '../area';

/** /ioc: the day-by-day chart of the period and its table; figures still being counted after a start; the list of reports. */
export const iocTrend = defineArea('ioc-trend', {
	vi: {
		heading: 'Diễn biến theo ngày',
		headingMonths: 'Diễn biến theo tháng',
		month: 'Tháng',
		received: 'Tiếp nhận',
		resolved: 'Đã xử lý (trong số tiếp nhận hôm đó)',
		overdue: 'Quá hạn',
		chartLabel: 'Biểu đồ số phản ánh tiếp nhận và đã xử lý, từ {from} đến {to}. Số liệu chi tiết ở bảng bên dưới.',
		table: 'Bảng số liệu của biểu đồ',
		day: 'Ngày',
		loading: 'Đang vẽ biểu đồ…',
		failed: 'Không vẽ được biểu đồ trên máy này; số liệu vẫn có trong bảng.',
		exportReports: 'Tải danh sách phản ánh (CSV)',
		incomplete: 'Máy chủ vừa khởi động và đang tính lại số liệu từ cơ sở dữ liệu: các con số đang tăng dần và chưa đủ. Trang tự cập nhật khi tính xong.'
	},
	en: {
		heading: 'Day by day',
		headingMonths: 'Month by month',
		month: 'Month',
		received: 'Received',
		resolved: 'Resolved (of those received that day)',
		overdue: 'Overdue',
		chartLabel: 'Chart of reports received and resolved, from {from} to {to}. The figures are in the table below.',
		table: 'The chart’s figures',
		day: 'Day',
		loading: 'Drawing the chart…',
		failed: 'The chart cannot be drawn on this device; the figures are in the table.',
		exportReports: 'Download the reports (CSV)',
		incomplete: 'The server has just started and is counting the figures again from its database: the numbers are still growing and not complete yet. The page updates itself when it is done.'
	}
});
