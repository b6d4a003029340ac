import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ICON_NAMES } from '$lib/domain/icons';
import { ICON_PATHS } from './icon-paths';

/**
 * Old Android phones draw an emoji their font lacks as a blank or an empty box: an icon made of one
 * says nothing there. Every page and component, every word the app shows and every tenant's data
 * must use the SVG set (Icon.svelte) instead.
 */
const ROOT = path.resolve(__dirname, '../../..');

function files(dir: string, keep: (f: string) => boolean): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return files(full, keep);
		return keep(full) ? [full] : [];
	});
}

// Pictographs (emoji and their variation selector) and the dingbats (✓ ✕ ✔) many old fonts lack.
const EMOJI = /[\p{Extended_Pictographic}\u{FE0F}\u{2700}-\u{27BF}]/u;

function offenders(list: string[]): string[] {
	return list.flatMap((f) =>
		readFileSync(f, 'utf8')
			.split('\n')
			.flatMap((line, i) => (EMOJI.test(line) ? [`${path.relative(ROOT, f)}:${i + 1}: ${line.trim()}`] : []))
	);
}

describe('icons are SVG, never emoji', () => {
	it('no page or component shows an emoji', () => {
		const svelte = files(path.join(ROOT, 'src'), (f) => f.endsWith('.svelte'));
		expect(svelte.length).toBeGreaterThan(20);
		expect(offenders(svelte)).toEqual([]);
	});

	it('no message of either language carries an emoji', () => {
		const words = files(path.join(ROOT, 'src/lib/i18n'), (f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
		expect(offenders(words)).toEqual([]);
	});

	it('every shipped tenant names its category icons from the set', () => {
		const tenants = files(path.join(ROOT, 'data/tenants'), (f) => path.basename(f) === 'tenant.json');
		expect(tenants.length).toBeGreaterThanOrEqual(2);
		for (const f of tenants) {
			const categories = JSON.parse(readFileSync(f, 'utf8')).categories as { icon: string }[];
			for (const c of categories) expect(ICON_NAMES, `${f}: ${c.icon}`).toContain(c.icon);
		}
	});

	it('every icon has a drawing made of path commands only', () => {
		for (const name of ICON_NAMES) expect(ICON_PATHS[name]).toMatch(/^[MmLlHhVvCcSsQqTtAaZz0-9.,\s-]+$/);
	});
});
