/**
 * Land-use type codes (mã loại đất: ODT, TMD, CQP…), national, not a province's: the list is
 * data/land-use-codes.csv (source in data/README.md). Parsed here without zod or a CSV library so the
 * server and a device read the same rows the same way.
 */

export interface LandUse {
	code: string;
	/** agricultural | residential | offices | defence | security | public-service | business | public-use | other | unused */
	group: string;
	nameVi: string;
	nameEn: string;
}

/** One CSV line (RFC 4180: a field in double quotes may hold commas and "" for a quote). */
function csvFields(line: string): string[] {
	const out: string[] = [];
	let field = '', quoted = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i];
		if (quoted) {
			if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
			else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') out.push(field), (field = '');
		else field += ch;
	}
	out.push(field);
	return out;
}

/** The rows of land-use-codes.csv (header `code,group,name_vi,name_en`; lines starting with `#` are notes). */
export function parseLandUseCsv(text: string): LandUse[] {
	const lines = text.split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#'));
	const header = csvFields(lines.shift() ?? '');
	const at = (name: string) => {
		const i = header.indexOf(name);
		if (i < 0) throw new Error(`land-use codes: no column "${name}"`);
		return i;
	};
	const [code, group, vi, en] = [at('code'), at('group'), at('name_vi'), at('name_en')];
	return lines.map((line, n) => {
		const f = csvFields(line);
		if (!/^[A-Z]{3}$/.test(f[code] ?? '') || !f[vi] || !f[en]) throw new Error(`land-use codes: line ${n + 2} is not "CODE,group,name_vi,name_en"`);
		return { code: f[code], group: f[group], nameVi: f[vi], nameEn: f[en] };
	});
}
