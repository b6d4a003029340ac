import { describe, expect, it } from 'vitest';
import { paintBeforeStart } from './paint-first';

const page = `<head><link href="./_app/immutable/entry/start.js" rel="modulepreload">
		<link href="./_app/immutable/chunks/app-shell.js" rel="modulepreload"></head><body><div style="display: contents"><h1>Gửi phản ánh</h1>
<script>
	{
		const element = document.currentScript.parentElement;
		Promise.all([
			import("./_app/immutable/entry/start.js"),
			import("./_app/immutable/entry/app.js")
		]).then(([kit, app]) => {
			kit.start(app, element, { node_ids: [0, 9] });
		});
	}
</script></div></body>`;

describe('paintBeforeStart', () => {
	it('starts the app only after the next frame, with the same imports and the same start call', async () => {
		const out = paintBeforeStart(page);
		// The modules are asked for after the paint, all at once: no preload in the head any more.
		expect(out.slice(0, out.indexOf('<body>'))).not.toContain('modulepreload');
		expect(out).toContain('requestAnimationFrame');
		expect(out).toContain('import("./_app/immutable/entry/start.js")');
		expect(out).toContain('kit.start(app, element, { node_ids: [0, 9] })');
		// The rewritten bootstrap still runs: frames first, then the imports, then the start.
		const order: string[] = [];
		const script = out.slice(out.indexOf('<script>') + 8, out.indexOf('</script>'));
		const run = new Function('document', 'requestAnimationFrame', 'setTimeout', 'imp', script.replace(/import\(/g, 'imp('));
		const head = {
			insertAdjacentHTML: (_where: string, html: string) =>
				order.push(...[...html.matchAll(/<link rel="(\w+)" href="[^"]*\/([^/"]+)">/g)].map((m) => `${m[1]} ${m[2]}`))
		};
		await new Promise<void>((done) => {
			run(
				{ currentScript: { parentElement: 'root' }, head },
				(cb: () => void) => (order.push('frame'), cb()),
				(cb: () => void) => (order.push('after frame'), cb()),
				async (url: string) => (order.push(`import ${url.split('/').pop()}`), url.includes('start') ? { start: () => (order.push('start'), done()) } : {})
			);
		});
		expect(order).toEqual([
			'frame',
			'after frame',
			'modulepreload start.js',
			'modulepreload app-shell.js',
			'import start.js',
			'import app.js',
			'start'
		]);
	});

	it('leaves a chunk without the bootstrap alone, and refuses a bootstrap it does not know', () => {
		expect(paintBeforeStart('<head><title>x</title></head>')).toBe('<head><title>x</title></head>');
		expect(() => paintBeforeStart('Promise.all([import("a")]).then((m) => m.start())')).toThrow(/paint-first/);
	});
});
