import { defineConfig, type ReporterDescription } from '@playwright/test';

/**
 * End-to-end tests: Debian's chromium drives the built PWA (build/, made by `vite build`) served
 * by the real sync-server. No webServer here: each test file starts its own server with a fresh
 * temporary DATA_DIR through the `server` fixture in tests/e2e/fixtures.ts, so files never share
 * data. The fixture also blocks every request that leaves the machine.
 */
const CI = !!process.env.CI;

const reporter: ReporterDescription[] = [['list']];
// scripts/test.sh sets this to read the counts for its summary line (the json reporter without
// a file would print to stdout).
if (process.env.PLAYWRIGHT_JSON_OUTPUT_FILE) {
	reporter.push(['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_FILE }]);
}

export default defineConfig({
	testDir: 'tests/e2e',
	// Two cores: one browser at a time next to the server it talks to.
	workers: 1,
	fullyParallel: false,
	forbidOnly: CI,
	retries: CI ? 1 : 0,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter,
	use: {
		browserName: 'chromium',
		trace: 'on-first-retry',
		locale: 'vi-VN',
		timezoneId: 'Asia/Ho_Chi_Minh',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				// Belt and braces next to the fixture's route: no host name outside the machine
				// resolves, including for requests the page's routes cannot see (service worker);
				// `<tenant>.localhost` is this machine (a province's host on a several-province server).
				'--host-resolver-rules=MAP *.localhost 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'
			]
		}
	}
});
