import { areas } from './area';
import type { account } from './areas/account';
import type { adminDossiers } from './areas/admin-dossiers';
import type { adminZoning } from './areas/admin-zoning';
import type { adminOffices } from './areas/admin-offices';
import type { answer } from './areas/answer';
import type { board } from './areas/board';
import type { contest } from './areas/contest';
import type { counter } from './areas/counter';
import type { desk } from './areas/desk';
import type { dossier } from './areas/dossier';
import type { dossierFile } from './areas/dossier-file';
import type { handling } from './areas/handling';
import type { home } from './areas/home';
import type { kiosk } from './areas/kiosk';
import type { lead } from './areas/lead';
import type { mapArea } from './areas/map';
import type { my } from './areas/my';
import type { myApplications } from './areas/my-applications';
import type { niceties } from './areas/niceties';
import type { offices } from './areas/offices';
import type { officeDossiers } from './areas/office-dossiers';
import type { procedures } from './areas/procedures';
import type { publicArea } from './areas/public';
import type { rating } from './areas/rating';
import type { sla } from './areas/sla';
import type { ticket } from './areas/ticket';
import type { timeline } from './areas/timeline';
import type { volunteer } from './areas/volunteer';
import type { withdraw } from './areas/withdraw';
import type { zoning } from './areas/zoning';
import { enErrors, viErrors } from './error-messages';

/**
 * Every word the app shows, Vietnamese first. `en` is typed from `vi`, so TypeScript refuses an
 * English dictionary that misses a key. `{name}` marks a value filled in by `t()`.
 * Error texts (`errors.<code>`) are in error-messages.ts; the words of one area of the app in areas/.
 */

export const vi = {
	app: {
		name: 'Cầu Nối',
		tagline: 'Phản ánh hiện trường tới chính quyền địa phương',
		back: 'Quay lại',
		home: 'Trang chủ',
		loading: 'Đang tải…',
		offline: 'Bạn đang ngoại tuyến — phản ánh sẽ tự gửi khi có mạng',
		language: 'Ngôn ngữ',
		switchTo: 'English',
		updateReady: 'Có bản cập nhật mới. Bấm vào đây để dùng bản mới.'
	},
	report: {
		title: 'Gửi phản ánh',
		intro: 'Ảnh, loại phản ánh và nơi xảy ra là đủ. Mọi đơn vị phụ trách nhận cùng lúc, và việc xử lý được công khai.',
		category: 'Loại phản ánh',
		photos: 'Ảnh hiện trường',
		photosNeeded: 'Cần ít nhất {n} ảnh, tối đa {max} ảnh',
		photosOptional: 'Không bắt buộc, tối đa {max} ảnh',
		photosUpTo: 'Tối đa {max} ảnh',
		photosOverLimit: 'Đã bỏ {n} ảnh: mỗi phản ánh tối đa {max} ảnh.',
		photosDuplicate: 'Bỏ qua {n} ảnh đã có trong phản ánh.',
		takePhoto: 'Chụp ảnh',
		pickGallery: 'Chọn từ thư viện',
		removePhoto: 'Bỏ ảnh {n}',
		preparingPhoto: 'Đang xử lý ảnh…',
		photoFailed: 'Không đọc được ảnh này. Hãy chụp lại hoặc chọn ảnh khác.',
		photoCount: '{n}/{max} ảnh',
		description: 'Mô tả',
		descriptionPlaceholder: 'Việc gì đang xảy ra? Ở đâu? (không bắt buộc)',
		descriptionCount: '{n}/{max} ký tự',
		descriptionFull: 'Đã đủ {max} ký tự, không nhận thêm chữ. Hãy viết gọn lại nếu cần thêm ý.',
		location: 'Vị trí',
		useMyLocation: 'Dùng vị trí của tôi',
		locating: 'Đang lấy vị trí…',
		locationGps: 'Vị trí từ điện thoại (sai số khoảng {m} m)',
		locationExif: 'Vị trí lấy từ ảnh chụp',
		locationMap: 'Vị trí bạn chọn trên bản đồ',
		pickOnMap: 'Chọn trên bản đồ',
		locationWard: 'Bạn đã chọn phường/xã',
		locationDenied: 'Điện thoại không cho lấy vị trí. Hãy chọn phường/xã bên dưới.',
		locationTimeout: 'Không lấy được vị trí. Hãy chọn phường/xã bên dưới.',
		locationFromPhoto: 'Không lấy được vị trí điện thoại, đã dùng vị trí trong ảnh.',
		outsideProvince: 'Vị trí này nằm ngoài tỉnh. Hãy chọn phường/xã bên dưới.',
		locationDropped: 'Vị trí GPS không nằm trong phường/xã bạn chọn nên đã bỏ; phản ánh chỉ ghi phường/xã.',
		pickWard: 'Chọn phường/xã',
		changeWard: 'Đổi phường/xã',
		searchWard: 'Tìm phường/xã (gõ không dấu cũng được)',
		noWardFound: 'Không tìm thấy phường/xã nào.',
		ward: 'Phường/xã: {name}',
		contactTitle: 'Họ tên và số điện thoại (không bắt buộc)',
		contactHint: 'Để cơ quan liên hệ lại. Chỉ cán bộ xử lý thấy, không công khai.',
		name: 'Họ và tên',
		phone: 'Số điện thoại',
		phoneInvalid: 'Số điện thoại chưa đúng. Hãy nhập số bắt đầu bằng 0 (10 hoặc 11 chữ số) hoặc +84, ví dụ 0912 345 678.',
		submit: 'Gửi',
		submitting: 'Đang lưu…',
		draftSaved: 'Đã lưu nháp trong máy',
		newReport: 'Làm phản ánh mới',
		noTenant: 'Lần đầu dùng cần có mạng để tải danh mục. Hãy bật mạng rồi mở lại trang này.',
		fixErrors: 'Còn thiếu thông tin, hãy xem các dòng màu đỏ.'
	},
	outbox: {
		title: 'Hộp thư đi',
		empty: 'Chưa có phản ánh nào.',
		waiting: 'Đang chờ mạng để gửi',
		waitingRetry: 'Chưa gửi được, sẽ tự thử lại',
		sending: 'Đang gửi…',
		photos: 'Đã gửi ảnh {k}/{n}',
		delivered: 'Đã gửi',
		trackingCode: 'Mã theo dõi: {code}',
		noTrackingCode: 'Đã tới cơ quan, mã theo dõi sẽ hiện sau',
		needsAttention: 'Cần bạn xem lại',
		photoWarning: 'Có {n} ảnh không gửi được',
		edit: 'Sửa',
		remove: 'Xóa',
		confirmRemove: 'Xóa phản ánh này khỏi máy? Không lấy lại được.',
		confirmYes: 'Đồng ý xóa',
		confirmNo: 'Không',
		retryNow: 'Thử gửi lại ngay',
		newReport: 'Gửi phản ánh khác',
		createdAt: 'Tạo lúc {time}',
		photoCount: '{n} ảnh'
	},
	handler: {
		loginTitle: 'Cán bộ đăng nhập',
		username: 'Tên đăng nhập',
		password: 'Mật khẩu',
		login: 'Đăng nhập',
		loggingIn: 'Đang đăng nhập…',
		logout: 'Đăng xuất',
		sessionExpired: 'Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.',
		offlineLogin: 'Bạn đang ngoại tuyến. Cần có mạng để đăng nhập.',
		loginServerError: 'Máy chủ đang gặp sự cố nên chưa đăng nhập được. Hãy thử lại sau ít phút.',
		inboxTitle: 'Phản ánh được giao',
		hello: 'Xin chào, {name}',
		empty: 'Chưa có phản ánh nào được giao cho đơn vị của bạn.',
		syncing: 'Đang đồng bộ…',
		due: 'Hạn: {time}',
		dueWorking: 'Hạn: {time} (tính theo giờ làm việc)',
		overdue: 'Quá hạn',
		received: 'Nhận lúc {time}',
		open: 'Mở phản ánh {code}',
		description: 'Mô tả',
		noDescription: '(không có mô tả)',
		location: 'Vị trí',
		coordinates: 'Tọa độ: {lat}, {lng}',
		wardOnly: 'Người gửi chỉ chọn phường/xã, không có tọa độ',
		photos: 'Ảnh',
		noPhotos: 'Không có ảnh',
		contact: 'Người phản ánh',
		noContact: 'Người gửi không để lại thông tin liên hệ',
		name: 'Họ tên: {name}',
		phone: 'Điện thoại: {phone}',
		photoLoading: 'Đang tải ảnh…',
		photoUnavailable: 'Ảnh chưa tới máy chủ'
	},
	status: {
		received: 'Đã tiếp nhận',
		assigned: 'Đã giao xử lý',
		in_progress: 'Đang xử lý',
		resolved: 'Đã xử lý xong',
		invalid: 'Không đúng sự thật',
		reopened: 'Mở lại',
		withdrawn: 'Người phản ánh đã rút',
		contested: 'Chờ lãnh đạo xem lại'
	},
	errors: viErrors
};

/** Same shape as `vi`, every leaf a string: a missing English key is a type error. */
type Dictionary<T> = { [K in keyof T]: T[K] extends string ? string : Dictionary<T[K]> };
export type Messages = Dictionary<typeof vi>;

export const en: Messages = {
	app: {
		name: 'Cầu Nối',
		tagline: 'Field reports to your local government',
		back: 'Back',
		home: 'Home',
		loading: 'Loading…',
		offline: 'You are offline — reports will be sent automatically when there is a network',
		language: 'Language',
		switchTo: 'Tiếng Việt',
		updateReady: 'A new version is ready. Tap here to use it.'
	},
	report: {
		title: 'File a report',
		intro: 'A photo, the kind of problem and the place are enough. Every unit in charge receives it at once, and its handling is public.',
		category: 'Type of report',
		photos: 'Photos of the place',
		photosNeeded: 'At least {n}, at most {max} photos',
		photosOptional: 'Optional, at most {max} photos',
		photosUpTo: 'At most {max} photos',
		photosOverLimit: '{n} photo(s) left out: a report has at most {max} photos.',
		photosDuplicate: 'Skipped {n} photo(s) already in the report.',
		takePhoto: 'Take a photo',
		pickGallery: 'Pick from gallery',
		removePhoto: 'Remove photo {n}',
		preparingPhoto: 'Preparing photo…',
		photoFailed: 'This photo could not be read. Take it again or pick another one.',
		photoCount: '{n}/{max} photos',
		description: 'Description',
		descriptionPlaceholder: 'What is happening? Where? (optional)',
		descriptionCount: '{n}/{max} characters',
		descriptionFull: 'You have reached {max} characters; nothing more is taken. Shorten it to add more.',
		location: 'Location',
		useMyLocation: 'Use my location',
		locating: 'Finding your location…',
		locationGps: 'Location from the phone (within about {m} m)',
		locationExif: 'Location taken from the photo',
		locationMap: 'Location you picked on the map',
		pickOnMap: 'Pick on the map',
		locationWard: 'You chose the ward/commune',
		locationDenied: 'The phone does not allow location. Choose your ward/commune below.',
		locationTimeout: 'Could not find your location. Choose your ward/commune below.',
		locationFromPhoto: 'No location from the phone; used the location in the photo.',
		outsideProvince: 'This place is outside the province. Choose your ward/commune below.',
		locationDropped: 'The GPS position is not in the ward/commune you chose, so it was dropped; the report gives the ward/commune only.',
		pickWard: 'Choose ward/commune',
		changeWard: 'Change ward/commune',
		searchWard: 'Search ward/commune (no accents needed)',
		noWardFound: 'No ward/commune found.',
		ward: 'Ward/commune: {name}',
		contactTitle: 'Name and phone (optional)',
		contactHint: 'So the office can call you back. Only the officials handling it see this; it is not public.',
		name: 'Full name',
		phone: 'Phone number',
		phoneInvalid: 'This phone number is not right. Enter a number starting with 0 (10 or 11 digits) or with +84, e.g. 0912 345 678.',
		submit: 'Send',
		submitting: 'Saving…',
		draftSaved: 'Draft saved on this phone',
		newReport: 'Start a new report',
		noTenant: 'The first time, the app needs a network to load its lists. Turn on the network and open this page again.',
		fixErrors: 'Something is missing; see the lines in red.'
	},
	outbox: {
		title: 'Outbox',
		empty: 'No reports yet.',
		waiting: 'Waiting for a network to send',
		waitingRetry: 'Not sent yet, will try again by itself',
		sending: 'Sending…',
		photos: 'Photos sent {k}/{n}',
		delivered: 'Sent',
		trackingCode: 'Tracking code: {code}',
		noTrackingCode: 'Received by the office; the tracking code will show later',
		needsAttention: 'Needs your attention',
		photoWarning: '{n} photo(s) could not be sent',
		edit: 'Edit',
		remove: 'Remove',
		confirmRemove: 'Remove this report from the phone? It cannot be undone.',
		confirmYes: 'Yes, remove',
		confirmNo: 'No',
		retryNow: 'Try again now',
		newReport: 'File another report',
		createdAt: 'Made at {time}',
		photoCount: '{n} photo(s)'
	},
	handler: {
		loginTitle: 'Staff login',
		username: 'Username',
		password: 'Password',
		login: 'Log in',
		loggingIn: 'Logging in…',
		logout: 'Log out',
		sessionExpired: 'Your session has expired. Please log in again.',
		offlineLogin: 'You are offline. Logging in needs a network.',
		loginServerError: 'The server has a problem, so you cannot log in now. Please try again in a few minutes.',
		inboxTitle: 'Reports assigned to you',
		hello: 'Hello, {name}',
		empty: 'No reports are assigned to your unit yet.',
		syncing: 'Syncing…',
		due: 'Due: {time}',
		dueWorking: 'Due: {time} (counted in working hours)',
		overdue: 'Overdue',
		received: 'Received {time}',
		open: 'Open report {code}',
		description: 'Description',
		noDescription: '(no description)',
		location: 'Location',
		coordinates: 'Coordinates: {lat}, {lng}',
		wardOnly: 'The reporter only chose the ward/commune; no coordinates',
		photos: 'Photos',
		noPhotos: 'No photos',
		contact: 'Reporter',
		noContact: 'The reporter left no contact details',
		name: 'Name: {name}',
		phone: 'Phone: {phone}',
		photoLoading: 'Loading photo…',
		photoUnavailable: 'The photo has not reached the server yet'
	},
	status: {
		received: 'Received',
		assigned: 'Assigned',
		in_progress: 'In progress',
		resolved: 'Resolved',
		invalid: 'Not true',
		reopened: 'Reopened',
		withdrawn: 'Withdrawn by the reporter',
		contested: 'Awaiting a leader’s review'
	},
	errors: enErrors
};

export const dictionaries = { vi, en } as const;
export type Locale = keyof typeof dictionaries;
export const LOCALES: Locale[] = ['vi', 'en'];

/** Dotted paths of every message: 'report.submit', 'errors.network', … */
type Leaves<T, P extends string = ''> = {
	[K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
/** The words of each area (src/lib/i18n/areas/), loaded by the pages that show them. */
export type AreaMessages = {
	account: typeof account.vi;
	'admin-dossiers': typeof adminDossiers.vi;
	'admin-zoning': typeof adminZoning.vi;
	'admin-offices': typeof adminOffices.vi;
	answer: typeof answer.vi;
	board: typeof board.vi;
	contest: typeof contest.vi;
	counter: typeof counter.vi;
	desk: typeof desk.vi;
	dossier: typeof dossier.vi;
	'dossier-file': typeof dossierFile.vi;
	handling: typeof handling.vi;
	home: typeof home.vi;
	kiosk: typeof kiosk.vi;
	lead: typeof lead.vi;
	map: typeof mapArea.vi;
	my: typeof my.vi;
	'my-applications': typeof myApplications.vi;
	niceties: typeof niceties.vi;
	offices: typeof offices.vi;
	'office-dossiers': typeof officeDossiers.vi;
	procedures: typeof procedures.vi;
	public: typeof publicArea.vi;
	rating: typeof rating.vi;
	sla: typeof sla.vi;
	ticket: typeof ticket.vi;
	timeline: typeof timeline.vi;
	volunteer: typeof volunteer.vi;
	withdraw: typeof withdraw.vi;
	zoning: typeof zoning.vi;
};
export type MessageKey = Leaves<Messages> | Leaves<AreaMessages>;
export type MessageParams = Record<string, string | number>;

/** Looks a message up and fills `{name}` placeholders; an unknown key shows itself, never crashes. */
export function translate(locale: Locale, key: MessageKey | string, params?: MessageParams): string {
	const [head, ...rest] = key.split('.');
	const area = areas.get(head);
	let node: unknown = area ? area[locale] : (dictionaries[locale] as Record<string, unknown>)[head];
	for (const part of rest) node = (node as Record<string, unknown> | undefined)?.[part];
	if (typeof node !== 'string') return key;
	return params ? node.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m)) : node;
}
