/**
 * Folds Vietnamese text for search: lower case, no tone marks or vowel hats, đ -> d,
 * so a villager typing "thu tuc" on a keyboard without Telex finds "thủ tục".
 */
export function fold(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[đĐ]/g, 'd')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim();
}

/** True when every word of the query occurs (folded) in the text, in any order. */
export function foldedIncludes(text: string, query: string): boolean {
	const hay = fold(text);
	return fold(query)
		.split(' ')
		.filter(Boolean)
		.every((word) => hay.includes(word));
}

/**
 * Vietnamese without tone marks or hats, case kept ("Phường Lâm Viên" → "Phuong Lam Vien"): how text
 * messages are usually written here, since one accented letter makes the whole message UCS-2 (70
 * characters a part instead of 160) and many basic phones show accents badly.
 */
export function unaccented(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/đ/g, 'd')
		.replace(/Đ/g, 'D');
}
