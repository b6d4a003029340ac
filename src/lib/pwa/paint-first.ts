/**
 * A prerendered page starts SvelteKit from an inline script at the end of its body:
 * `Promise.all([import(start), import(app)]).then(([kit, app]) => { kit.start(...) })`. On a phone
 * whose scripts are already cached (the service worker's precache), that start — hydrating the whole
 * page — runs before the browser has painted anything, so the person looks at a blank screen for it.
 * Waiting for the next frame first lets the HTML paint, then the app takes over (the modulepreload
 * links still fetch the scripts meanwhile).
 *
 * The bootstrap is SvelteKit's own markup: if a SvelteKit update changes it, the build fails here
 * (prerendering runs this) rather than silently losing the paint-first start.
 */
const BOOT = 'Promise.all([';
const THEN = ']).then(([kit, app]) =>';
const AFTER_PAINT = 'new Promise((painted) => requestAnimationFrame(() => setTimeout(painted))).then(() => Promise.all([';

export function paintBeforeStart(html: string): string {
	const boot = html.indexOf(BOOT);
	if (boot < 0) return html; // a chunk without the bootstrap (the head streams first, or an error page)
	const then = html.indexOf(THEN, boot);
	if (then < 0 || html.indexOf(BOOT, boot + 1) >= 0) {
		throw new Error("paint-first: SvelteKit's start-up script is not the one expected (src/lib/pwa/paint-first.ts)");
	}
	return html.slice(0, boot) + AFTER_PAINT + html.slice(boot + BOOT.length, then) + '])).then(([kit, app]) =>' + html.slice(then + THEN.length);
}
