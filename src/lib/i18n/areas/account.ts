import { defineArea } from '../area';

/** Words of the resident's account page: phone verification by one-time code. */
export const account = defineArea('account', {
	vi: {
		title: 'Xác minh số điện thoại',
		intro:
			'Gắn số điện thoại của bạn với máy này bằng một mã gửi qua tin nhắn. Sau đó, mọi phản ánh gửi từ các máy bạn đã xác minh bằng số này — kể cả phản ánh Tổ công nghệ số cộng đồng gửi giúp bạn với số này — sẽ hiện trong "Phản ánh của tôi" trên tất cả các máy đó. Phản ánh gửi từ một máy khác chỉ hiện khi máy đó cũng xác minh số này.',
		privacy: 'Số điện thoại không hiện công khai; chỉ cán bộ xử lý phản ánh của bạn nhìn thấy.',
		phoneLabel: 'Số điện thoại',
		phoneHint: 'Ví dụ: 0912 345 678',
		sendCode: 'Gửi mã',
		sending: 'Đang gửi mã…',
		codeSent: 'Đã gửi mã gồm 6 chữ số tới {phone}. Mã dùng được trong 5 phút.',
		codeLabel: 'Mã xác minh (6 chữ số)',
		codeFormat: 'Mã gồm đúng 6 chữ số. Hãy xem lại tin nhắn rồi nhập lại.',
		verify: 'Xác minh',
		verifying: 'Đang xác minh…',
		resend: 'Gửi lại mã',
		resendIn: 'Gửi lại mã sau {s} giây',
		retryIn: 'Có thể thử lại sau {time}.',
		attemptsLeft: 'Còn {n} lần nhập.',
		changePhone: 'Đổi số khác',
		verified: 'Đã xác minh',
		verifiedPhone: 'Số điện thoại đã xác minh: {phone}',
		linked: 'Đã gắn {n} phản ánh với số của bạn. Chúng sẽ hiện trong "Phản ánh của tôi".',
		linkedNone: 'Các phản ánh bạn gửi từ nay sẽ gắn với số này.',
		verifyAnother: 'Xác minh số khác',
		offline: 'Cần có mạng để nhận và kiểm tra mã. Hãy thử lại khi có sóng.',
		serverError: 'Máy chủ đang gặp sự cố nên chưa gửi hoặc kiểm tra được mã. Hãy thử lại sau ít phút.'
	},
	en: {
		title: 'Phone verification',
		intro:
			'Link your phone number to this device with a code sent by text message. Then every report sent from the devices you verified with this number — including those the community digital-tech team sent for you with it — shows in "My reports" on all of them. A report sent from another device shows only once that device verifies the number too.',
		privacy: 'Your phone number is never public; only the officials handling your reports can see it.',
		phoneLabel: 'Phone number',
		phoneHint: 'For example: 0912 345 678',
		sendCode: 'Send code',
		sending: 'Sending the code…',
		codeSent: 'A 6-digit code was sent to {phone}. It works for 5 minutes.',
		codeLabel: 'Verification code (6 digits)',
		codeFormat: 'The code has exactly 6 digits. Check the text message and enter it again.',
		verify: 'Verify',
		verifying: 'Verifying…',
		resend: 'Send a new code',
		resendIn: 'Send a new code in {s} s',
		retryIn: 'You can try again in {time}.',
		attemptsLeft: '{n} tries left.',
		changePhone: 'Use another number',
		verified: 'Verified',
		verifiedPhone: 'Verified phone number: {phone}',
		linked: '{n} reports were linked to your number. They show in "My reports".',
		linkedNone: 'The reports you send from now on are linked to this number.',
		verifyAnother: 'Verify another number',
		offline: 'A network is needed to receive and check the code. Try again when you have signal.',
		serverError: 'The server has a problem, so the code could not be sent or checked. Try again in a few minutes.'
	}
});
