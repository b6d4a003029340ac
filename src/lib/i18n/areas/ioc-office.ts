import { defineArea } from '../area';

/** /ioc beyond the field reports: the one-stop offices' queues, the dossiers, the map, staff push notices. */
export const iocOffice = defineArea('ioc-office', {
	vi: {
		office: {
			heading: 'Bộ phận một cửa — lượt lấy số',
			taken: 'Lượt lấy số',
			online: 'Lấy trên điện thoại',
			atOffice: 'Lấy tại bộ phận',
			served: 'Đã phục vụ',
			noShow: 'Vắng mặt',
			cancelled: 'Đã hủy',
			waiting: 'Đang chờ',
			wait: 'Thời gian chờ',
			service: 'Thời gian phục vụ',
			minutes: 'trung vị {p50} phút · 90 % trong {p90} phút',
			ratings: 'Đánh giá',
			verySatisfied: 'Rất hài lòng',
			satisfied: 'Hài lòng',
			unsatisfied: 'Chưa hài lòng',
			rate: 'Tỷ lệ hài lòng',
			rateOf: '{rate} (n = {n})',
			onlineSplit: '{online} trên điện thoại · {atOffice} tại bộ phận',
			empty: 'Không có lượt lấy số nào trong khoảng thời gian này.',
			counter: '{office} — quầy {n}',
			tables: { offices: 'Theo bộ phận một cửa', counters: 'Theo quầy', officials: 'Theo cán bộ' }
		},
		dossiers: {
			heading: 'Hồ sơ thủ tục hành chính',
			received: 'Tiếp nhận',
			finished: 'Đã giải quyết',
			onTime: 'Đúng hạn',
			late: 'Trễ hạn',
			overdue: 'Đang quá hạn',
			processing: 'Thời gian giải quyết',
			days: 'trung vị {p50} ngày · 90 % trong {p90} ngày',
			onTimeRate: 'Tỷ lệ đúng hạn',
			empty: 'Không có hồ sơ nào trong khoảng thời gian này.',
			imported: 'Hồ sơ nhập từ hệ thống một cửa',
			tables: { procedures: 'Theo thủ tục', offices: 'Hồ sơ theo bộ phận' }
		},
		categoryNote: 'Bộ lọc lĩnh vực chỉ áp dụng cho phản ánh; số liệu dưới đây không lọc theo lĩnh vực.',
		map: {
			heading: 'Bản đồ phản ánh theo phường/xã',
			label: 'Bản đồ tỉnh: phường/xã tô màu theo số phản ánh tiếp nhận, phản ánh quá hạn được đánh dấu',
			legend: 'Chú giải',
			legendReceived: 'Số phản ánh tiếp nhận',
			legendOverdue: 'Phản ánh quá hạn',
			placed: '{n} phản ánh quá hạn có vị trí trên bản đồ.',
			tableHint: 'Số liệu của bản đồ có ở bảng "Theo phường/xã".',
			waiting: 'Bản đồ sẽ tải khi bạn cuộn tới.',
			noOutlines: 'Chưa tải được ranh giới phường/xã.',
			late: 'Trễ {late}',
			openDesk: 'Mở ở hộp thư'
		},
		push: {
			button: 'Nhận cảnh báo qua thông báo đẩy',
			working: 'Đang bật…',
			on: 'Máy này sẽ nhận cảnh báo qua thông báo đẩy.',
			unsupported: 'Trình duyệt này không nhận được thông báo đẩy. Cảnh báo vẫn hiện trên trang này.',
			denied: 'Trình duyệt đã chặn thông báo của trang này. Hãy cho phép trong phần cài đặt của trình duyệt rồi thử lại.',
			failed: 'Chưa bật được thông báo đẩy. Hãy thử lại sau ít phút.',
			timeout: 'Trình duyệt hoặc máy chủ trả lời quá lâu. Hãy thử lại.'
		}
	},
	en: {
		office: {
			heading: 'One-stop offices — queue tickets',
			taken: 'Tickets taken',
			online: 'Taken on a phone',
			atOffice: 'Taken at the office',
			served: 'Served',
			noShow: 'No-shows',
			cancelled: 'Cancelled',
			waiting: 'Waiting',
			wait: 'Wait',
			service: 'Service time',
			minutes: 'median {p50} min · 90 % within {p90} min',
			ratings: 'Ratings',
			verySatisfied: 'Very satisfied',
			satisfied: 'Satisfied',
			unsatisfied: 'Unsatisfied',
			rate: 'Satisfaction rate',
			rateOf: '{rate} (n = {n})',
			onlineSplit: '{online} on a phone · {atOffice} at the office',
			empty: 'No queue tickets in this period.',
			counter: '{office} — counter {n}',
			tables: { offices: 'By one-stop office', counters: 'By counter', officials: 'By official' }
		},
		dossiers: {
			heading: 'Administrative dossiers',
			received: 'Received',
			finished: 'Finished',
			onTime: 'On time',
			late: 'Late',
			overdue: 'Overdue now',
			processing: 'Processing time',
			days: 'median {p50} days · 90 % within {p90} days',
			onTimeRate: 'On-time rate',
			empty: 'No dossiers in this period.',
			imported: 'Imported from the one-stop system',
			tables: { procedures: 'By procedure', offices: 'Dossiers by office' }
		},
		categoryNote: 'The category filter applies to field reports only; the figures below are not filtered by category.',
		map: {
			heading: 'Map of reports by commune',
			label: 'Province map: communes shaded by reports received, overdue reports marked',
			legend: 'Legend',
			legendReceived: 'Reports received',
			legendOverdue: 'Overdue report',
			placed: '{n} overdue reports have a place on the map.',
			tableHint: 'The map’s figures are in the "By commune/ward" table.',
			waiting: 'The map loads when you scroll to it.',
			noOutlines: 'Could not load the commune outlines.',
			late: 'Late by {late}',
			openDesk: 'Open in the inbox'
		},
		push: {
			button: 'Get warnings as push notifications',
			working: 'Turning on…',
			on: 'This device will get warnings as push notifications.',
			unsupported: 'This browser cannot receive push notifications. Warnings still show on this page.',
			denied: 'The browser blocks this page’s notifications. Allow them in the browser’s settings, then try again.',
			failed: 'Could not turn push notifications on. Try again in a few minutes.',
			timeout: 'The browser or the server took too long to answer. Try again.'
		}
	}
});
