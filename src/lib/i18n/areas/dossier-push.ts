import type { DossierPushPayload } from '../../domain/notice-rules';
import { defineArea } from '../area';

/**
 * What an online application's push notification says (the service worker shows it,
 * sync-server/dossiers sends it on each step the office takes): `{name}` the procedure, `{code}` the
 * dossier code, `{due}` the due date. Never the office's note: the app reads it signed in.
 */
export const dossierPush = defineArea('dossierPush', {
	vi: {
		title: 'Hồ sơ trực tuyến',
		needs_documents: 'Hồ sơ {name} cần bổ sung giấy tờ: mở ứng dụng để xem',
		accepted: 'Hồ sơ {name} đã được tiếp nhận, mã {code}, hẹn trả {due}',
		refused: 'Hồ sơ {name} bị từ chối: mở ứng dụng để xem lý do',
		processing: 'Hồ sơ {code} đang xử lý',
		result_ready: 'Hồ sơ {code} đã có kết quả',
		returned: 'Hồ sơ {code} đã trả kết quả'
	},
	en: {
		title: 'Online dossier',
		needs_documents: 'Your {name} application needs more documents: open the app to see',
		accepted: 'Your {name} application was accepted, code {code}, result due {due}',
		refused: 'Your {name} application was refused: open the app for the reason',
		processing: 'Dossier {code} is being processed',
		result_ready: 'Dossier {code}: the result is ready',
		returned: 'Dossier {code}: the result was handed over'
	}
});

/** The notice's text in a language; `due` as the caller formats dates (the service worker: its locale). */
export function dossierNoticeText(p: DossierPushPayload, lang: 'vi' | 'en', due = p.dueAt?.slice(0, 10) ?? ''): string {
	return dossierPush[lang][p.type]
		.replace('{name}', lang === 'vi' ? p.procedureVi : p.procedureEn)
		.replace('{code}', p.dossierCode ?? '')
		.replace('{due}', due);
}
