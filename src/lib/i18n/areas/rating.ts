import { defineArea } from '../area';

/**
 * Ratings of the one-stop office's officials: the QR code a counter shows for residents to rate
 * from their phone (/counter → /ticket/rate), and the officials' rating figures on /counter.
 */
export const rating = defineArea('rating', {
	vi: {
		// The counter's QR code.
		qrButton: 'Mã QR đánh giá',
		qrTitle: 'Đánh giá Quầy {n}',
		qrHint: 'Người dân quét mã này bằng điện thoại đã lấy số để đánh giá việc phục vụ ở quầy.',
		qrLabel: 'Mã QR để đánh giá Quầy {n}',
		qrClose: 'Đóng',
		// The resident's page opened from the QR.
		pageTitle: 'Đánh giá việc phục vụ',
		atCounter: 'Quầy {n} · {office}',
		badLink: 'Đường dẫn đánh giá không đúng. Hãy quét lại mã QR ở quầy.',
		checking: 'Đang xem các lượt của bạn…',
		offline: 'Chưa có mạng: gửi đánh giá cần mạng. Hãy bật mạng rồi thử lại.',
		none: 'Máy này không có lượt nào ở quầy này chờ đánh giá.',
		noneHint: 'Chỉ đánh giá được số đã lấy trên máy này và đã được phục vụ xong ở quầy.',
		toTickets: 'Xem số của tôi',
		choose: 'Bạn có {n} lượt chờ đánh giá. Chọn lượt muốn đánh giá:',
		numberAt: 'Số {number} · {service} · {time}',
		// The figures on /counter.
		tabDesk: 'Quầy',
		tabRatings: 'Đánh giá',
		figuresTitle: 'Đánh giá của người dân',
		ownHint: 'Số liệu của riêng bạn.',
		allHint: 'Số liệu của mọi cán bộ ở văn phòng này.',
		period: 'Khoảng thời gian',
		days: '{n} ngày',
		loading: 'Đang tải số liệu…',
		empty: 'Chưa có ai được phục vụ hay đánh giá trong {n} ngày qua.',
		you: 'Bạn',
		served: 'Đã phục vụ',
		noShows: 'Vắng mặt',
		rated: 'Lượt đánh giá',
		satisfaction: 'Mức hài lòng',
		noRatingYet: 'Chưa có',
		reasons: 'Ý kiến không hài lòng gần đây',
		noReasons: 'Không có ý kiến không hài lòng.',
		reasonOf: 'Số {number}, {date}',
		reload: 'Tải lại'
	},
	en: {
		qrButton: 'Rating QR code',
		qrTitle: 'Rate counter {n}',
		qrHint: 'Residents scan this code with the phone they took their number on to rate the service at this counter.',
		qrLabel: 'QR code to rate counter {n}',
		qrClose: 'Close',
		pageTitle: 'Rate the service',
		atCounter: 'Counter {n} · {office}',
		badLink: 'This rating link is not right. Scan the QR code at the counter again.',
		checking: 'Looking at your numbers…',
		offline: 'No network: sending a rating needs the network. Turn the network on and try again.',
		none: 'This phone has no number served at this counter waiting for a rating.',
		noneHint: 'You can only rate a number taken on this phone and already served at the counter.',
		toTickets: 'See my numbers',
		choose: 'You have {n} numbers waiting for a rating. Choose the one to rate:',
		numberAt: 'Number {number} · {service} · {time}',
		tabDesk: 'Counter',
		tabRatings: 'Ratings',
		figuresTitle: 'Residents’ ratings',
		ownHint: 'Your own figures.',
		allHint: 'Figures of every official of this office.',
		period: 'Period',
		days: '{n} days',
		loading: 'Loading the figures…',
		empty: 'Nobody was served or rated in the last {n} days.',
		you: 'You',
		served: 'Served',
		noShows: 'No-shows',
		rated: 'Ratings',
		satisfaction: 'Satisfaction',
		noRatingYet: 'None yet',
		reasons: 'Recent reasons for dissatisfaction',
		noReasons: 'No dissatisfied comments.',
		reasonOf: 'Number {number}, {date}',
		reload: 'Reload'
	}
});
