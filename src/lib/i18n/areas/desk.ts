import { defineArea } from '../area';

/** The handler's desk: search, filters and sort above the inbox list (handler/DeskFilters.svelte). */
export const desk = defineArea('desk', {
	vi: {
		filtersLabel: 'Tìm và lọc phản ánh',
		search: 'Tìm phản ánh',
		searchHint: 'Mã theo dõi, nội dung hoặc phường/xã',
		status: 'Trạng thái',
		statusOption: {
			open: 'Đang mở (chưa xong)',
			all: 'Tất cả',
			closed: 'Đã đóng (xong, không hợp lệ, đã rút)'
		},
		category: 'Loại phản ánh',
		allCategories: 'Mọi loại',
		unit: 'Đơn vị',
		allUnits: 'Mọi đơn vị',
		overdue: 'Chỉ phản ánh quá hạn',
		reopened: 'Chỉ phản ánh bị mở lại',
		sort: 'Sắp xếp',
		sortOption: {
			newest: 'Mới nhất trước',
			oldest: 'Cũ nhất trước',
			due: 'Sắp đến hạn trước'
		},
		clear: 'Bỏ lọc',
		count: 'Đang hiện {shown} / {total} phản ánh',
		closedHidden: '{n} phản ánh đã đóng không hiện ở đây.',
		showClosed: 'Xem phản ánh đã đóng',
		more: 'Hiện thêm {n} phản ánh',
		none: 'Không có phản ánh nào khớp với điều kiện tìm và lọc.',
		reopenedFlag: 'Bị mở lại',
		select: 'Chọn một phản ánh trong danh sách để xem và xử lý.',
		placesTitle: 'Việc khác của bạn',
		placesCounter: 'Quầy một cửa',
		placesDossiers: 'Hồ sơ nộp trực tuyến',
		placesKiosk: 'Cài đặt máy lấy số',
		placesBoard: 'Bảng gọi số: {office}',
		placesAdminOffices: 'Quản lý văn phòng một cửa',
		placesAdminZoning: 'Nhập quy hoạch sử dụng đất'
	},
	en: {
		filtersLabel: 'Search and filter reports',
		search: 'Search reports',
		searchHint: 'Tracking code, words of the description or ward',
		status: 'Status',
		statusOption: {
			open: 'Open (not finished)',
			all: 'All',
			closed: 'Closed (resolved, invalid, withdrawn)'
		},
		category: 'Category',
		allCategories: 'All categories',
		unit: 'Unit',
		allUnits: 'All units',
		overdue: 'Overdue reports only',
		reopened: 'Reopened reports only',
		sort: 'Sort',
		sortOption: {
			newest: 'Newest first',
			oldest: 'Oldest first',
			due: 'Due soonest first'
		},
		clear: 'Clear filters',
		count: 'Showing {shown} of {total} reports',
		closedHidden: '{n} closed reports are not shown here.',
		showClosed: 'Show closed reports',
		more: 'Show {n} more reports',
		none: 'No report matches the search and filters.',
		reopenedFlag: 'Reopened',
		select: 'Pick a report in the list to see and handle it.',
		placesTitle: 'Your other work',
		placesCounter: 'One-stop counter',
		placesDossiers: 'Dossiers filed online',
		placesKiosk: 'Set up a ticket kiosk',
		placesBoard: 'Call board: {office}',
		placesAdminOffices: 'Manage one-stop offices',
		placesAdminZoning: 'Import a land-use plan'
	}
});
