/**
 * A prerendered page starts SvelteKit from an inline script at the end of its body:
 * `Promise.all([import(start), import(app)]).then(([kit, app]) => { kit.start(...) })`. On a phone
 * whose scripts are already cached (the service worker's precache), that start — hydrating the whole
 * page — runs before the browser has painted anything, so the person looks at a blank screen for it.
 * Here the page paints first: the bootstrap waits for the next frame, then asks for the page's
 * modules all at once (the `<link rel="modulepreload">` SvelteKit puts in the head, moved into the
 * bootstrap: on a weak link the first bytes go to what is painted, and the modules still come in
 * parallel, not one import after another) and starts the app.
 *
 * The bootstrap is SvelteKit's own markup: if a SvelteKit update changes it, the build fails here
 * (prerendering runs this) rather than silently losing the paint-first start.
 */
const BOOT = 'Promise.all([';
const THEN = ']).then(([kit, app]) =>';
const PRELOAD = /<link href="([^"]+)" rel="modulepreload">\s*/g;

export function paintBeforeStart(html: string): string {
	const boot = html.indexOf(BOOT);
	if (boot < 0) return html; // a chunk without the bootstrap (the head streams first, or an error page)
	const then = html.indexOf(THEN, boot);
	if (then < 0 || html.indexOf(BOOT, boot + 1) >= 0) {
		throw new Error("paint-first: SvelteKit's start-up script is not the one expected (src/lib/pwa/paint-first.ts)");
	}
	const modules = [...html.slice(0, boot).matchAll(PRELOAD)].map((m) => m[1]);
	// One DOM change for all of them: a link appended one at a time makes the browser restyle the
	// page each time (measured: 12-18 ms for 20 links on a fast machine, four times that on a phone).
	const links = modules.map((href) => `<link rel="modulepreload" href="${href}">`).join('');
	const preload = modules.length ? `document.head.insertAdjacentHTML('beforeend', ${JSON.stringify(links)});\n` : '';
	const afterPaint = `new Promise((painted) => requestAnimationFrame(() => setTimeout(painted))).then(() => {\n${preload}return Promise.all([`;
	const head = html.slice(0, boot).replace(PRELOAD, '');
	return head + afterPaint + html.slice(boot + BOOT.length, then) + ']);}).then(([kit, app]) =>' + html.slice(then + THEN.length);
}
