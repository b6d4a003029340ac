/**
 * A province-sized procedure catalogue for the benchmarks (a real province publishes 1,500–2,000
 * procedures): the demo tenant's real entries first, then variants of them — the same procedure
 * for another group of people or case ("đối với người khuyết tật", "có yếu tố nước ngoài"), its
 * reissue or amendment, at the other level, with one or two more documents — so names, words and
 * bytes look like a real catalogue's, not like random strings. Codes are `GEN-…`, never
 * national-looking. Deterministic (a seeded PRNG): the same `n` and `seed` give the same catalogue.
 */
import type { OnlineLevel, Procedure, ProcedureCatalogue, ProcedureDocument } from '$lib/domain/procedure';
import { ProcedureCatalogue as CatalogueSchema } from '$lib/domain/procedure';
import lamDong from '../../data/tenants/lam-dong/procedures.json';
import { prng } from '../../tests/support/prng';

/** Parsed once, so the entries carry the schema's defaults (copies, forms, aliases). */
const BASE = CatalogueSchema.parse(lamDong).procedures;

const CASES: readonly { vi: string; en: string; alias?: string }[] = [
	{ vi: 'đối với người cao tuổi', en: 'for the elderly', alias: 'người già' },
	{ vi: 'đối với người khuyết tật', en: 'for people with disabilities', alias: 'người khuyết tật' },
	{ vi: 'đối với đồng bào dân tộc thiểu số', en: 'for ethnic minority residents', alias: 'đồng bào dân tộc' },
	{ vi: 'có yếu tố nước ngoài', en: 'with a foreign element', alias: 'người nước ngoài' },
	{ vi: 'lưu động', en: 'by a mobile team', alias: 'làm tại nhà' },
	{ vi: 'tại khu vực biên giới', en: 'in a border area' },
	{ vi: 'đối với tổ chức', en: 'for organisations', alias: 'công ty' },
	{ vi: 'đối với hộ gia đình, cá nhân', en: 'for households and individuals' },
	{ vi: 'trong trường hợp ủy quyền cho người khác thực hiện', en: 'when someone else files on your behalf', alias: 'nhờ người làm' },
	{ vi: 'đối với trường hợp đã được giải quyết trước ngày 01/7/2025', en: 'for cases settled before 1 July 2025' },
	{ vi: 'đối với hộ nghèo, hộ cận nghèo', en: 'for poor and near-poor households', alias: 'hộ nghèo' },
	{ vi: 'đối với người đang cư trú ở nước ngoài', en: 'for people living abroad', alias: 'việt kiều' }
];
const ACTIONS: readonly { vi: string; en: string }[] = [
	{ vi: '', en: '' },
	{ vi: '', en: '' },
	{ vi: 'Cấp lại kết quả', en: 'Reissue of the result of' },
	{ vi: 'Điều chỉnh, bổ sung kết quả', en: 'Amendment of the result of' },
	{ vi: 'Gia hạn kết quả', en: 'Extension of the result of' },
	{ vi: 'Thu hồi kết quả', en: 'Withdrawal of the result of' }
];
const EXTRA_DOCS: readonly ProcedureDocument[] = [
	doc('Giấy tờ chứng minh thuộc đối tượng được ưu tiên, miễn giảm phí, lệ phí', 'Proof of entitlement to priority or a fee waiver', 'nếu đề nghị miễn, giảm', 'if asking for a waiver'),
	doc('Bản dịch tiếng Việt có chứng thực của giấy tờ do cơ quan nước ngoài cấp', 'Certified Vietnamese translation of papers issued abroad', 'nếu giấy tờ bằng tiếng nước ngoài', 'if the papers are in a foreign language'),
	doc('Kết quả đã được cấp trước đây (bản chính)', 'The result issued earlier (original)', 'nếu cấp lại, điều chỉnh hoặc gia hạn', 'for a reissue, amendment or extension'),
	doc('Văn bản xác nhận của trưởng thôn, tổ dân phố về hoàn cảnh của người đề nghị', "Village or neighbourhood head's statement on the applicant's circumstances"),
	doc('Sơ đồ vị trí, hình ảnh hiện trạng', 'Location sketch and photos of the current state')
];
const ONLINE: readonly OnlineLevel[] = ['full', 'partial', 'none'];

function doc(nameVi: string, nameEn: string, whenVi?: string, whenEn?: string): ProcedureDocument {
	return { nameVi, nameEn, copies: 1, original: false, ...(whenVi ? { whenVi, whenEn } : {}) };
}
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function generatedCatalogue(n = 2000, seed = 1): ProcedureCatalogue {
	const rand = prng(seed);
	const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
	const atLevel = { commune: BASE.filter((p) => p.level === 'commune'), province: BASE.filter((p) => p.level === 'province') };
	const procedures: Procedure[] = BASE.slice(0, n).map((p) => structuredClone(p));
	for (let i = procedures.length; i < n; i++) {
		const b = BASE[i % BASE.length];
		const c = pick(CASES);
		const a = pick(ACTIONS);
		// Two thirds keep the original's level, as a real catalogue mostly repeats a procedure per case.
		const level = rand() < 2 / 3 ? b.level : pick(['commune', 'province'] as const);
		const where = level === b.level ? b : pick(atLevel[level]);
		const extra = Array.from({ length: Math.floor(rand() * 3) }, () => pick(EXTRA_DOCS));
		const documents = [...b.documents, ...[...new Set(extra)].map((d) => ({ ...d }))].slice(0, 40);
		procedures.push({
			...structuredClone(b),
			code: `GEN-${String(i).padStart(5, '0')}`,
			nameVi: `${a.vi ? `${a.vi} ${lowerFirst(b.nameVi)}` : b.nameVi} ${c.vi}`,
			nameEn: `${a.en ? `${a.en} ${lowerFirst(b.nameEn)}` : b.nameEn} ${c.en}`,
			level,
			documents,
			feeVnd: b.feeVnd === 0 || rand() < 0.5 ? b.feeVnd : Math.round((b.feeVnd * (0.5 + rand())) / 1000) * 1000,
			processingDays: Math.max(0, b.processingDays + Math.floor(rand() * 5) - 2),
			whereVi: where.whereVi,
			whereEn: where.whereEn,
			online: rand() < 0.7 ? b.online : pick(ONLINE),
			aliases: c.alias ? [...b.aliases, `${b.aliases[0] ?? lowerFirst(b.nameVi)} ${c.alias}`].slice(0, 20) : [...b.aliases]
		});
	}
	return {
		source: `Danh mục sinh tự động cho đo hiệu năng (${n} thủ tục, seed ${seed}) từ danh mục minh họa của Lâm Đồng; không phải dữ liệu thật.`,
		procedures
	};
}
