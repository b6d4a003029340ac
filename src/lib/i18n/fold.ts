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
