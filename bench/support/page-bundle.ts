import { build } from 'esbuild';

/**
 * Our own modules bundled for a benchmark's blank page (page.addScriptTag): `entry` is TypeScript
 * that imports them (paths from the project root) and puts what the page needs on globalThis.
 */
export async function pageBundle(entry: string): Promise<string> {
	const out = await build({
		stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' },
		bundle: true,
		minify: true,
		format: 'iife',
		write: false
	});
	return out.outputFiles[0].text;
}
