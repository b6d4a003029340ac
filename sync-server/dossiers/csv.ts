/**
 * RFC 4180 CSV as one-stop systems export it (comma separated, fields in double quotes when they hold
 * a comma, a quote or a line break, quotes doubled inside; CRLF or LF; a UTF-8 BOM at the start is
 * dropped). Rows as records by the header's names; a row with a different number of fields is
 * returned as such, for the import to refuse it by its line.
 */
export interface CsvTable {
	header: string[];
	rows: { line: number; fields: Record<string, string>; width: number }[];
}

export function parseCsv(text: string): CsvTable {
	const records: { line: number; cells: string[] }[] = [];
	let cells: string[] = [];
	let cell = '';
	let quoted = false;
	let line = 1;
	let start = 1;
	const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const endRecord = () => {
		cells.push(cell);
		if (!(cells.length === 1 && cells[0] === '')) records.push({ line: start, cells });
		cells = [];
		cell = '';
	};
	for (let i = 0; i < src.length; i++) {
		const c = src[i];
		if (quoted) {
			if (c === '"' && src[i + 1] === '"') (cell += '"'), i++;
			else if (c === '"') quoted = false;
			else {
				if (c === '\n') line++;
				cell += c;
			}
		} else if (c === '"' && cell === '') quoted = true;
		else if (c === ',') (cells.push(cell), (cell = ''));
		else if (c === '\n' || c === '\r') {
			if (c === '\r' && src[i + 1] === '\n') i++;
			endRecord();
			start = ++line;
		} else cell += c;
	}
	if (cell !== '' || cells.length) endRecord();
	const [head, ...body] = records;
	const header = (head?.cells ?? []).map((h) => h.trim());
	return {
		header,
		rows: body.map((r) => ({ line: r.line, width: r.cells.length, fields: Object.fromEntries(header.map((h, i) => [h, r.cells[i] ?? ''])) }))
	};
}
