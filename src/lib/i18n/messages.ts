import type { ErrorCode } from '$lib/domain/errors';
import { areas } from './area';
import type { account } from './areas/account';
import type { answer } from './areas/answer';
import type { contest } from './areas/contest';
import type { desk } from './areas/desk';
import type { handling } from './areas/handling';
import type { home } from './areas/home';
import type { lead } from './areas/lead';
import type { my } from './areas/my';
import type { niceties } from './areas/niceties';
import type { publicArea } from './areas/public';
import type { sla } from './areas/sla';
import type { timeline } from './areas/timeline';
import type { volunteer } from './areas/volunteer';
import type { withdraw } from './areas/withdraw';

/**
 * Every word the app shows, Vietnamese first. `en` is typed from `vi`, so TypeScript refuses an
 * English dictionary that misses a key. `{name}` marks a value filled in by `t()`.
 * Error texts say what happened AND what to do, in words a villager understands.
 */

const viErrors: Record<ErrorCode, string> = {
	validation_failed: 'Phản ánh chưa đủ hoặc chưa đúng thông tin. Hãy bấm "Sửa", kiểm tra lại rồi gửi lại.',
	unknown_field: 'Ứng dụng gửi thông tin máy chủ không nhận. Hãy cập nhật ứng dụng (tải lại trang) rồi gửi lại.',
	missing_category: 'Bạn chưa chọn loại phản ánh. Hãy chọn một loại ở trên.',
	unknown_category: 'Loại phản ánh này không còn dùng nữa. Hãy bấm "Sửa" và chọn loại khác.',
	missing_location: 'Chưa có vị trí. Hãy bấm "Dùng vị trí của tôi" hoặc chọn phường/xã.',
	unknown_ward: 'Không nhận ra phường/xã này. Hãy bấm "Sửa" và chọn lại phường/xã trong danh sách.',
	too_many_photos: 'Chỉ gửi được tối đa 5 ảnh. Hãy bỏ bớt ảnh.',
	not_owner: 'Phản ánh này không phải do máy này gửi. Hãy xóa nó khỏi hộp thư đi và gửi phản ánh mới.',
	forbidden_scope: 'Tài khoản của bạn không được xem hoặc làm việc này. Hãy hỏi quản trị viên để được cấp quyền.',
	read_only_collection: 'Dữ liệu này chỉ máy chủ mới được ghi. Hãy tải lại trang; nếu vẫn lỗi, báo cho quản trị viên.',
	report_immutable: 'Phản ánh đã gửi thì không sửa được nữa. Nếu cần bổ sung, hãy gửi một phản ánh mới.',
	report_closed: 'Phản ánh này đã được xử lý xong hoặc đã bị từ chối, nên không làm thêm được. Hãy tải lại để xem trạng thái mới nhất.',
	transition_forbidden: 'Chưa thể làm việc này ở trạng thái hiện tại của phản ánh. Hãy tải lại để xem trạng thái mới nhất rồi thử lại.',
	server_field: 'Ứng dụng gửi thông tin chỉ máy chủ mới được ghi. Hãy tải lại trang rồi gửi lại.',
	unknown_collection: 'Máy chủ không nhận loại dữ liệu này. Hãy tải lại trang để cập nhật ứng dụng.',
	not_found: 'Không tìm thấy nội dung này. Có thể nó đã bị xóa; hãy quay lại trang trước.',
	unauthenticated: 'Bạn chưa đăng nhập. Hãy đăng nhập rồi thử lại.',
	token_expired: 'Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.',
	token_invalid: 'Phiên đăng nhập không còn hợp lệ. Hãy đăng nhập lại.',
	bad_credentials: 'Tên đăng nhập hoặc mật khẩu không đúng. Hãy kiểm tra rồi nhập lại.',
	rate_limited: 'Bạn đã thử quá nhiều lần. Hãy đợi vài phút rồi thử lại.',
	media_not_image: 'Tệp này không phải là ảnh. Hãy chọn lại ảnh chụp.',
	media_too_large: 'Ảnh quá lớn. Hãy chụp lại hoặc chọn ảnh khác nhỏ hơn.',
	media_too_many_pixels: 'Ảnh có kích thước quá lớn. Hãy chụp lại hoặc chọn ảnh khác.',
	media_unknown_report: 'Máy chủ chưa có phản ánh của ảnh này. Ảnh sẽ được gửi lại sau; nếu vẫn lỗi, hãy gửi phản ánh mới.',
	otp_invalid: 'Mã xác minh không đúng. Hãy xem lại tin nhắn và nhập lại mã.',
	otp_expired: 'Mã xác minh đã hết hạn. Hãy bấm "Gửi lại mã" để nhận mã mới.',
	otp_used: 'Mã xác minh này đã được dùng rồi. Hãy bấm "Gửi lại mã" để nhận mã mới.',
	otp_locked: 'Nhập sai mã quá nhiều lần nên mã đã bị khóa. Hãy đợi 15 phút rồi xin mã mới.',
	consent_required: 'Chưa có sự đồng ý của người dân. Hãy hỏi và đánh dấu ô đồng ý trước khi gửi.',
	photo_taken: 'Ảnh này đã thuộc về một phản ánh khác. Hãy xóa phản ánh này khỏi hộp thư đi, chụp lại ảnh và gửi phản ánh mới.',
	media_quota: 'Máy chủ đang nhận quá nhiều ảnh dở dang từ máy này hoặc mạng này. Ảnh vẫn được giữ trong máy và sẽ tự gửi sau.',
	transfer_source_required: 'Chưa rõ đơn vị nào chuyển phần việc của mình. Hãy tải lại trang rồi chuyển lại; lãnh đạo chuyển cả phản ánh thì chọn "Chuyển đơn vị khác".',
	unknown_unit: 'Đơn vị được chọn không có trong danh sách đơn vị. Hãy tải lại trang rồi chọn lại đơn vị.',
	unknown_tenant: 'Địa chỉ máy chủ này không phục vụ tỉnh, thành của bạn. Hãy kiểm tra lại địa chỉ hoặc hỏi cán bộ xã.',
	location_outside_ward: 'Vị trí GPS không nằm trong phường/xã đã chọn. Hãy bấm "Sửa", bấm "Dùng vị trí của tôi" hoặc chọn lại phường/xã.',
	too_few_photos: 'Loại phản ánh này cần ảnh hiện trường. Hãy chụp hoặc chọn thêm ảnh.',
	tracking_code_invalid:
		'Mã theo dõi chưa đúng dạng. Mã có 3 phần: chữ viết tắt của tỉnh, ngày gửi (6 số) và 5 ký tự, như XX-261205-6FGD8. Hãy kiểm tra lại từng chữ và số.',
	tracking_code_unknown:
		'Không tìm thấy phản ánh có mã này. Hãy so lại từng chữ và số với mã trên giấy hoặc tin nhắn rồi nhập lại.',
	already_contested: 'Bạn đã không đồng ý với kết luận này một lần; mỗi phản ánh chỉ được một lần và quyết định của lãnh đạo là cuối cùng. Nếu sự việc vẫn còn, hãy gửi một phản ánh mới.',
	contest_pending: 'Người phản ánh không đồng ý với kết luận "không hợp lệ": đang chờ lãnh đạo quyết định giữ kết luận hay giao xử lý lại. Hãy chờ quyết định đó.',
	server_error: 'Máy chủ đang gặp sự cố. Phản ánh vẫn được giữ trong máy và sẽ tự gửi lại sau.',
	network: 'Không có mạng hoặc mạng quá yếu. Phản ánh vẫn được giữ trong máy và sẽ tự gửi khi có mạng.'
};

const enErrors: Record<ErrorCode, string> = {
	validation_failed: 'The report is missing something or has a mistake. Tap "Edit", check it and send it again.',
	unknown_field: 'The app sent something the server does not accept. Update the app (reload the page) and send again.',
	missing_category: 'You have not chosen a type of report. Please choose one above.',
	unknown_category: 'This type of report is no longer used. Tap "Edit" and choose another type.',
	missing_location: 'There is no location yet. Tap "Use my location" or choose your ward/commune.',
	unknown_ward: 'This ward/commune is not recognised. Tap "Edit" and choose it again from the list.',
	too_many_photos: 'You can send at most 5 photos. Please remove some.',
	not_owner: 'This report was not sent from this phone. Remove it from the outbox and file a new report.',
	forbidden_scope: 'Your account may not see or do this. Ask your administrator for access.',
	read_only_collection: 'Only the server may write this data. Reload the page; if it happens again, tell your administrator.',
	report_immutable: 'A report cannot be changed once sent. If you need to add something, file a new report.',
	report_closed: 'This report is already resolved or was rejected, so nothing more can be done on it. Reload to see its latest status.',
	transition_forbidden: 'This cannot be done at the report\'s current stage. Reload to see its latest status and try again.',
	server_field: 'The app sent data that only the server may write. Reload the page and send again.',
	unknown_collection: 'The server does not accept this kind of data. Reload the page to update the app.',
	not_found: 'This was not found. It may have been removed; go back to the previous page.',
	unauthenticated: 'You are not logged in. Please log in and try again.',
	token_expired: 'Your session has expired. Please log in again.',
	token_invalid: 'Your session is no longer valid. Please log in again.',
	bad_credentials: 'Wrong username or password. Please check them and try again.',
	rate_limited: 'Too many attempts. Please wait a few minutes and try again.',
	media_not_image: 'This file is not a photo. Please pick a photo again.',
	media_too_large: 'The photo is too big. Take it again or pick a smaller one.',
	media_too_many_pixels: 'The photo has too many pixels. Take it again or pick another one.',
	media_unknown_report: 'The server does not have the report of this photo yet. It will be sent again later; if this keeps happening, file a new report.',
	otp_invalid: 'The verification code is wrong. Check the text message and enter the code again.',
	otp_expired: 'The verification code has expired. Tap "Send a new code" to get a new one.',
	otp_used: 'This verification code has already been used. Tap "Send a new code" to get a new one.',
	otp_locked: 'Too many wrong codes, so the code is locked. Wait 15 minutes, then ask for a new code.',
	consent_required: 'The resident\'s consent is missing. Ask them and tick the consent box before sending.',
	photo_taken: 'This photo already belongs to another report. Remove this report from the outbox, take the photo again and file a new report.',
	media_quota: 'The server is holding too many unfinished photos from this phone or this network. Your photos are kept on this phone and will be sent later.',
	transfer_source_required: 'It is not clear which unit is handing its part over. Reload the page and transfer again; a leader moving the whole report uses "Transfer to another unit".',
	unknown_unit: 'A unit you picked is not in the list of units. Reload the page and pick the unit again.',
	unknown_tenant: 'This server address does not serve your province. Check the address or ask the commune office.',
	location_outside_ward: 'The GPS position is not in the ward/commune you chose. Tap "Edit", then "Use my location" or choose the ward/commune again.',
	too_few_photos: 'This type of report needs photos of the place. Take or pick more photos.',
	tracking_code_invalid:
		'This is not a tracking code. A code has 3 parts: the province letters, the date sent (6 digits) and 5 characters, like XX-261205-6FGD8. Check each letter and digit.',
	tracking_code_unknown:
		'No report has this code. Compare each letter and digit with the code on your paper or message, then type it again.',
	already_contested: 'You already disagreed with this decision once; a report may be contested only once and the leader’s decision is final. If the problem is still there, file a new report.',
	contest_pending: 'The reporter disagrees with the "invalid" decision: a leader is deciding whether to uphold it or hand it back to the units. Wait for that decision.',
	server_error: 'The server has a problem. Your report is kept on this phone and will be sent again later.',
	network: 'No network, or the network is too weak. Your report is kept on this phone and will be sent when there is a network.'
};

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
	answer: typeof answer.vi;
	contest: typeof contest.vi;
	desk: typeof desk.vi;
	handling: typeof handling.vi;
	home: typeof home.vi;
	lead: typeof lead.vi;
	my: typeof my.vi;
	niceties: typeof niceties.vi;
	public: typeof publicArea.vi;
	sla: typeof sla.vi;
	timeline: typeof timeline.vi;
	volunteer: typeof volunteer.vi;
	withdraw: typeof withdraw.vi;
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
