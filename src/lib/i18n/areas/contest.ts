import { defineArea } from '../area';

/**
 * A resident contests an "invalid" decision (không đồng ý với kết luận), once, with a reason; a
 * leader decides for good: uphold it, or reopen it to the units (domain/report-state.ts).
 */
export const contest = defineArea('contest', {
	vi: {
		/** The resident's side, on /my. */
		decisionTitle: 'Kết luận: phản ánh không hợp lệ',
		action: 'Không đồng ý với kết luận',
		title: 'Không đồng ý với kết luận "không hợp lệ"?',
		explain:
			'Lãnh đạo sẽ xem lại phản ánh cùng lý do của bạn, rồi quyết định giữ kết luận hoặc giao các đơn vị xử lý lại. Mỗi phản ánh chỉ được đề nghị xem lại một lần; quyết định của lãnh đạo là cuối cùng.',
		reason: 'Vì sao bạn không đồng ý? (bắt buộc)',
		reasonCount: '{n}/{max} ký tự',
		reasonEmpty: 'Hãy ghi lý do bạn không đồng ý, để lãnh đạo biết cần xem lại điều gì.',
		send: 'Gửi đề nghị xem lại',
		cancel: 'Thôi',
		pending: 'Đề nghị xem lại đã lưu trên máy, sẽ gửi tới lãnh đạo khi có mạng.',
		sending: 'Đang gửi đề nghị xem lại tới lãnh đạo…',
		sent: 'Bạn đã đề nghị lãnh đạo xem lại kết luận. Bạn sẽ nhận thông báo khi có quyết định.',
		final: 'Kết luận này là cuối cùng: phản ánh đã được lãnh đạo xem lại một lần.',
		rejected: 'Đề nghị xem lại không được ghi nhận',
		yourReason: 'Lý do bạn không đồng ý: {reason}',
		/** The staff side, on /handler. */
		banner: 'Người phản ánh không đồng ý với kết luận "không hợp lệ" và đề nghị lãnh đạo xem lại.',
		bannerReason: 'Lý do: {reason}',
		leaderDecides: 'Lãnh đạo quyết định: giữ kết luận (phản ánh đóng hẳn) hoặc mở lại để các đơn vị xử lý tiếp. Quyết định này là cuối cùng.',
		waitLeader: 'Đang chờ lãnh đạo quyết định; các đơn vị tạm dừng xử lý.',
		decide: {
			invalid: 'Giữ kết luận không hợp lệ',
			reopen: 'Mở lại, giao các đơn vị xử lý tiếp'
		}
	},
	en: {
		decisionTitle: 'Decision: the report is invalid',
		action: 'I disagree with this decision',
		title: 'Disagree with the "invalid" decision?',
		explain:
			'A leader will review the report with your reason, then either keep the decision or hand it back to the units. A report can be reviewed this way only once; the leader’s decision is final.',
		reason: 'Why do you disagree? (required)',
		reasonCount: '{n}/{max} characters',
		reasonEmpty: 'Say why you disagree, so the leader knows what to look at again.',
		send: 'Ask for a review',
		cancel: 'Cancel',
		pending: 'Your request is saved on this phone and will reach a leader when there is a network.',
		sending: 'Sending your request to a leader…',
		sent: 'You asked a leader to review the decision. You will be told when they decide.',
		final: 'This decision is final: a leader has already reviewed this report once.',
		rejected: 'Your request for a review was not recorded',
		yourReason: 'Why you disagree: {reason}',
		banner: 'The reporter disagrees with the "invalid" decision and asked a leader to review it.',
		bannerReason: 'Reason: {reason}',
		leaderDecides: 'A leader decides: keep the decision (the report closes for good) or reopen it for the units. This decision is final.',
		waitLeader: 'Waiting for a leader’s decision; the units pause.',
		decide: {
			invalid: 'Keep the "invalid" decision',
			reopen: 'Reopen it for the units'
		}
	}
});
