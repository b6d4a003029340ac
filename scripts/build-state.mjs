/**
 * Whether the PWA in build/ is older than its sources, and how to rebuild it. Shared by
 * `npm start` (scripts/start.mjs) and `npm run bench` (bench/run.ts), so both rebuild on the same rule.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function mtime(path) {
	try {
		return statSync(path).mtimeMs;
	} catch {
		return -Infinity;
	}
}

/** Newest modification time of a file, or of any file under a folder. */
export function newest(path) {
	let st;
	try {
		st = statSync(path);
	} catch {
		return -Infinity;
	}
	if (!st.isDirectory()) return st.mtimeMs;
	let max = st.mtimeMs; // a deleted file shows up as a newer folder
	for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
	return max;
}

/**
 * Why build/ must be rebuilt, or null when it is up to date. adapter-static writes 200.html last:
 * its time is the time of the last complete build.
 */
export function needsBuild(root) {
	const built = mtime(join(root, 'build', '200.html'));
	if (built === -Infinity) return 'no build yet';
	const inputs = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];
	const changed = inputs.find((p) => newest(join(root, p)) > built);
	return changed ? `${changed} changed since the last build` : null;
}

/**
 * Copies the vendor files (when the script exists) and runs `vite build`, output to the terminal.
 * Returns the exit status of the first step that failed, or 0.
 */
export function buildApp(root, say = (msg) => console.log(msg)) {
	const steps = [];
	if (existsSync(join(root, 'scripts', 'copy-vendor.mjs'))) steps.push([join(root, 'scripts', 'copy-vendor.mjs')]);
	steps.push([join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build']);
	for (const args of steps) {
		say(`$ node ${args.join(' ')}`);
		const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env });
		if (r.error) throw r.error;
		if (r.status !== 0) return r.status ?? 1;
	}
	return 0;
}
