import { defineArea } from '../area';

/** The office TV (/board): now serving per counter, the last calls, the queue, said aloud. */
export const board = defineArea('board', {
	vi: {
		title: 'Bảng gọi số',
		chooseOffice: 'Chọn văn phòng để hiện bảng gọi số',
		notFound: 'Không có văn phòng này. Hãy kiểm tra địa chỉ trang (…/board?office=…).',
		counterN: 'Quầy {n}',
		nowServing: 'Số đang phục vụ',
		closedCounter: 'Chưa mở',
		idle: 'Đang chờ',
		lastCalls: 'Số vừa gọi',
		noCalls: 'Chưa gọi số nào hôm nay.',
		waiting: 'Đang chờ theo thủ tục',
		people: '{n} người',
		reconnecting: 'Mất kết nối, đang nối lại…',
		connecting: 'Đang kết nối…',
		savedBoard: 'Đang hiện bảng lưu lúc {time}',
		soundOn: 'Bấm để bật âm thanh',
		soundHint: 'Trình duyệt chỉ cho phát tiếng sau một lần bấm.',
		soundRefused: 'Trình duyệt chưa cho phát tiếng. Hãy bấm lại.',
		voiceSpeech: 'Đọc số bằng giọng nói tiếng Việt của máy',
		voiceClips: 'Đọc số bằng tiếng chuông và giọng thu sẵn',
		fullscreen: 'Toàn màn hình'
	},
	en: {
		title: 'Call board',
		chooseOffice: 'Choose the office to show its call board',
		notFound: 'There is no such office. Check the page address (…/board?office=…).',
		counterN: 'Counter {n}',
		nowServing: 'Now serving',
		closedCounter: 'Not open',
		idle: 'Waiting',
		lastCalls: 'Last calls',
		noCalls: 'No number called today yet.',
		waiting: 'Waiting per procedure',
		people: '{n} people',
		reconnecting: 'Connection lost, reconnecting…',
		connecting: 'Connecting…',
		savedBoard: 'Showing the board saved at {time}',
		soundOn: 'Tap to turn the sound on',
		soundHint: 'The browser plays sound only after one tap.',
		soundRefused: 'The browser has not allowed sound yet. Tap again.',
		voiceSpeech: 'Numbers are read by this device\'s Vietnamese voice',
		voiceClips: 'Numbers are read with a chime and recorded voice',
		fullscreen: 'Full screen'
	}
});
