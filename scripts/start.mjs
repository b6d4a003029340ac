#!/usr/bin/env node
/**
 * `npm start`: from a fresh clone to a running Cầu Nối in one command.
 *
 * 1. Installs dependencies (`npm ci`) when node_modules is missing or package-lock.json is newer
 *    than the last install (node_modules/.package-lock.json). Browsers for Playwright are not
 *    downloaded: tests use Debian's chromium.
 * 2. Builds the PWA (`vite build`, after `scripts/copy-vendor.mjs` when present) when build/ is
 *    missing or older than anything in src/, static/, svelte.config.js, vite.config.ts or
 *    package-lock.json.
 * 3. Runs the sync-server (sync-server/main.ts), which serves the build and the API and prints
 *    its URL and the demo accounts. The environment is passed through (PORT, HOST, DATA_DIR,
 *    COUCHDB_URL, ...: see README.md). SIGINT/SIGTERM are forwarded and the server's exit code is ours.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, mtime, needsBuild } from './build-state.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => join(root, ...p);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function say(msg) {
	console.log(`\x1b[1m[cau-noi]\x1b[0m ${msg}`);
}

function fail(msg, code = 1) {
	console.error(`\x1b[1;31m[cau-noi]\x1b[0m ${msg}`);
	process.exit(code);
}

function checkNode() {
	const [major, minor] = process.versions.node.split('.').map(Number);
	if (major < 20 || (major === 20 && minor < 19)) {
		fail(`Node ${process.versions.node} is too old: Cầu Nối needs Node 20.19 or newer.`);
	}
}

/** Runs a command in the repo, output to the terminal; stops everything if it fails. */
function run(cmd, args, extraEnv = {}) {
	say(`$ ${[cmd, ...args].join(' ')}`);
	const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
	if (r.error) fail(`${cmd} could not start: ${r.error.message}`);
	if (r.signal) process.exit(1);
	if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status})`, r.status ?? 1);
}

function needsInstall() {
	if (!existsSync(at('node_modules'))) return 'node_modules is missing';
	if (mtime(at('package-lock.json')) > mtime(at('node_modules', '.package-lock.json'))) {
		return 'package-lock.json changed since the last install';
	}
	return null;
}

checkNode();

const installWhy = needsInstall();
if (installWhy) {
	say(`Installing dependencies (${installWhy})...`);
	run(npm, ['ci', '--no-audit', '--no-fund'], { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' });
}

// Decided before copy-vendor runs: it rewrites static/vendor/, which would otherwise look like a
// change and force a rebuild on every start. Vendor files only change with an install.
const buildWhy = installWhy ? 'dependencies were installed' : needsBuild(root);
if (buildWhy) {
	say(`Building the app (${buildWhy})...`);
	const status = buildApp(root, say);
	if (status !== 0) fail(`the build failed (exit ${status})`, status);
} else {
	say('The build is up to date.');
}

if (!existsSync(at('sync-server', 'main.ts'))) fail('sync-server/main.ts is missing: cannot start the server.');

// `node --import tsx` runs the TypeScript server in this one child process (npx tsx would add two
// more processes between us and the server), so a forwarded signal reaches the server itself.
// Its own process group: Ctrl-C in the terminal reaches only us, and we forward it exactly once.
const server = spawn(process.execPath, ['--import', 'tsx', 'sync-server/main.ts'], {
	cwd: root,
	stdio: 'inherit',
	env: process.env,
	detached: process.platform !== 'win32'
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		if (stopping) {
			// Second Ctrl-C: the server is not stopping quickly enough.
			server.kill('SIGKILL');
			return;
		}
		stopping = true;
		server.kill(signal);
	});
}

// If we die for a reason we cannot forward, do not leave the server running alone.
process.on('exit', () => {
	if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
});

server.on('error', (e) => fail(`could not start the server: ${e.message}`));
server.on('exit', (code, signal) => {
	if (signal && !stopping) console.error(`[cau-noi] the server was stopped by ${signal}`);
	process.exit(code ?? (stopping ? 0 : 1));
});
