import { describe, expect, it } from 'vitest';
import { areas } from './area';
import { LOCALES, translate, vi } from './messages';
import './messages.en';

// Every area file registers itself when imported.
import.meta.glob('./areas/*.ts', { eager: true });

function leaves(o: object, prefix = ''): string[] {
	return Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : leaves(v as object, `${prefix}${k}.`)));
}
const allKeys = () => [...leaves(vi), ...[...areas.values()].flatMap((a) => leaves(a.vi as object, `${a.name}.`))];

/** One thing, one name: a resident or an official never wonders whether two words mean two things. */
describe('wording', () => {
	it('the "invalid" decision has one name, on the button, the badge, the timeline and a unit’s part', () => {
		for (const locale of LOCALES) {
			const name = translate(locale, 'handling.action.invalid');
			expect(translate(locale, 'status.invalid'), locale).toBe(name);
			expect(translate(locale, 'handling.type.rejected_invalid'), locale).toBe(name);
			expect(translate(locale, 'lead.action.invalid').toLowerCase(), locale).toContain(name.toLowerCase());
			expect(translate(locale, 'lead.event.rejected_invalid').toLowerCase(), locale).toContain(name.toLowerCase());
		}
	});

	it('a mistyped phone number is told in one text, wherever it is typed', () => {
		const phoneErrors = allKeys().filter((k) => /phone/i.test(k) && /invalid/i.test(k));
		expect(phoneErrors.length).toBeGreaterThan(0);
		for (const locale of LOCALES) {
			expect(new Set(phoneErrors.map((k) => translate(locale, k))).size, `${locale}: ${phoneErrors.join(', ')}`).toBe(1);
		}
	});
});
