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
import type { ioc } from './areas/ioc';
import type { iocOffice } from './areas/ioc-office';
import type { iocWarnings } from './areas/ioc-warnings';
import type { iocTrend } from './areas/ioc-trend';
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
import { viErrors } from './error-messages';

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
		filedVia: 'Gửi qua hệ thống {system}',
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

/**
 * The English core (messages.en.ts) is loaded when a reader chooses English (locale.svelte.ts):
 * every first visit in Vietnamese — most — does not download it. Until it has come, English readers
 * see the Vietnamese core words (areas bring both languages), for the few milliseconds it takes.
 */
let english: Messages | null = null;
export function registerEnglish(dictionary: Messages): void {
	english = dictionary;
}

export type Locale = 'vi' | 'en';
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
	ioc: typeof ioc.vi;
	'ioc-office': typeof iocOffice.vi;
	'ioc-warnings': typeof iocWarnings.vi;
	'ioc-trend': typeof iocTrend.vi;
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
	const core = locale === 'en' && english ? english : vi;
	let node: unknown = area ? area[locale] : (core as Record<string, unknown>)[head];
	for (const part of rest) node = (node as Record<string, unknown> | undefined)?.[part];
	if (typeof node !== 'string') return key;
	return params ? node.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m)) : node;
}
