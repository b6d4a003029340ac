import { describe, expect, it } from 'vitest';
import { canonicalUsername } from './username';

describe('canonicalUsername', () => {
	it('reads every spelling of a username as the same one', () => {
		for (const s of [
			'admin',
			' admin ',
			'\tADMIN\n',
			'Admin\u00a0',
			'\u3000admin',
			'\uff41\uff44\uff4d\uff49\uff4e',
			'\uff21\uff24\uff2d\uff29\uff2e',
			'ad\u200bmin',
			'adm\u00adin',
			'ad\u2060min\ufeff',
			'a d m i n',
			'\u200e\u202eadmin'
		])
			expect(canonicalUsername(s), JSON.stringify(s)).toBe('admin');
	});

	it('composes accents, so NFC and NFD spellings meet', () => {
		const nfc = 'cán-bộ'.normalize('NFC');
		const nfd = 'CÁN-BỘ'.normalize('NFD');
		expect(canonicalUsername(nfd)).toBe(nfc);
	});

	it('leaves a username that is already canonical alone', () => {
		for (const s of ['ubnd-lam-vien', 'tcns-xuan-truong', 'lanhdao']) expect(canonicalUsername(s)).toBe(s);
	});
});
