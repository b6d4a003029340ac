import { fold } from '../i18n/fold';

/**
 * How Vietnamese is typed into a search box, for the procedure search: folded (no tone marks, đ → d,
 * lower case: "thu tuc" is "thủ tục"), cut into syllables, and the abbreviations everyone writes
 * expanded ("xd" → "xay dung", "gcn qsdd" → "giay chung nhan quyen su dung dat"). These are the
 * language's, the same in every province; a procedure's own everyday names are its `aliases`
 * (tenant data).
 */
const ABBREVIATIONS: Record<string, string> = {
	xd: 'xay dung',
	gp: 'giay phep',
	gpxd: 'giay phep xay dung',
	gcn: 'giay chung nhan',
	qsdd: 'quyen su dung dat',
	sdd: 'su dung dat',
	dk: 'dang ky',
	dkkd: 'dang ky kinh doanh',
	hkd: 'ho kinh doanh',
	kd: 'kinh doanh',
	ks: 'khai sinh',
	gks: 'giay khai sinh',
	kt: 'khai tu',
	kh: 'ket hon',
	cccd: 'can cuoc cong dan',
	cmnd: 'chung minh nhan dan',
	gplx: 'giay phep lai xe',
	lltp: 'ly lich tu phap',
	ubnd: 'uy ban nhan dan',
	bhyt: 'bao hiem y te',
	bhxh: 'bao hiem xa hoi',
	tthc: 'thu tuc hanh chinh',
	hs: 'ho so',
	nn: 'nuoc ngoai',
	ct: 'chung thuc'
};

/** Folded syllables of a text, in order ("Cấp giấy phép" → ["cap", "giay", "phep"]). */
export function syllables(text: string): string[] {
	return fold(text)
		.split(/[^a-z0-9]+/)
		.filter(Boolean);
}

/** A query's syllables, abbreviations expanded: what is looked up. */
export function queryTerms(query: string): string[] {
	return syllables(query).flatMap((s) => (ABBREVIATIONS[s] ? ABBREVIATIONS[s].split(' ') : [s]));
}
