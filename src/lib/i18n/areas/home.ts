import { defineArea } from '../area';

/**
 * The home page: one link per part of the app. Its own area, so the home page loads these few
 * words rather than the whole dictionary of every page it links to.
 */
export const home = defineArea('home', {
	vi: {
		fileReport: 'Gửi phản ánh',
		fileReportHint: 'Chụp ảnh, chọn loại, gửi đi',
		outbox: 'Hộp thư đi',
		outboxHint: 'Xem phản ánh đã gửi và mã theo dõi',
		outboxBadge: '{n} phản ánh chưa gửi xong',
		my: 'Phản ánh của tôi',
		myHint: 'Xem quá trình xử lý, trả lời cán bộ, đánh giá kết quả',
		myBadge: '{n} tin mới',
		ticket: 'Lấy số thứ tự một cửa',
		ticketHint: 'Lấy số từ nhà, xem còn bao nhiêu người trước bạn',
		procedures: 'Thủ tục hành chính',
		proceduresHint: 'Cần giấy tờ gì, mất bao lâu, lệ phí, nộp ở đâu',
		dossier: 'Tra cứu hồ sơ',
		dossierHint: 'Hồ sơ đã nộp đến đâu: nhập mã hoặc quét mã QR trên giấy tiếp nhận',
		account: 'Số điện thoại của tôi',
		accountHint: 'Xác minh số để xem phản ánh của bạn trên mọi máy',
		volunteer: 'Tổ công nghệ số cộng đồng',
		volunteerHint: 'Gửi phản ánh thay người dân',
		publicReports: 'Phản ánh trong khu vực',
		publicReportsHint: 'Xem phản ánh và kết quả xử lý, cả khi không có mạng',
		zoning: 'Tra cứu quy hoạch',
		zoningHint: 'Đất được quy hoạch làm gì, xây được mấy tầng: chạm bản đồ hoặc nhập số tờ, số thửa',
		staffLogin: 'Cán bộ đăng nhập',
		staffLoginHint: 'Dành cho cán bộ xử lý phản ánh',
		lookup: 'Tra cứu phản ánh bằng mã theo dõi',
		lookupHint: 'Mã in trên giấy biên nhận hoặc trong tin nhắn, ví dụ XX-261205-6FGD8. Chữ hoa hay thường, có gạch hay dấu cách đều được.',
		lookupButton: 'Xem'
	},
	en: {
		fileReport: 'File a report',
		fileReportHint: 'Take a photo, pick a type, send',
		outbox: 'Outbox',
		outboxHint: 'See your reports and tracking codes',
		outboxBadge: '{n} reports not fully sent',
		my: 'My reports',
		myHint: 'Follow the handling, answer officials, rate the result',
		myBadge: '{n} new',
		ticket: 'One-stop office queue number',
		ticketHint: 'Take a number from home, see how many are before you',
		procedures: 'Administrative procedures',
		proceduresHint: 'What to bring, how long, the fee, where to file',
		dossier: 'Follow a dossier',
		dossierHint: 'Where your dossier is: type its code or scan the QR code on your receipt',
		account: 'My phone number',
		accountHint: 'Verify your number to see your reports on every device',
		volunteer: 'Community digital-tech team',
		volunteerHint: 'File reports for villagers',
		publicReports: 'Reports in your area',
		publicReportsHint: 'See reports and how they were handled, even offline',
		zoning: 'Zoning look-up',
		zoningHint: 'What land is zoned for, how many floors: tap the map or type the sheet and parcel number',
		staffLogin: 'Staff login',
		staffLoginHint: 'For officials who handle reports',
		lookup: 'Look up a report by its tracking code',
		lookupHint: 'The code on your receipt or in your message, e.g. XX-261205-6FGD8. Upper or lower case, with dashes or spaces, all work.',
		lookupButton: 'View'
	}
});
