import { spawn } from 'node:child_process';

/** The CouchDB stand-in in its own process (couch-standin.main.ts): its URL (with credentials) and a stop. */
export async function startCouchProcess(): Promise<{ url: string; stop(): Promise<void> }> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'bench/support/couch-standin.main.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		child.stdout!.on('data', (c: Buffer) => {
			out += c.toString();
			const m = /couch: (\S+)/.exec(out);
			if (m) resolve(m[1]);
		});
		child.on('exit', (code) => reject(new Error(`couch stand-in exited (${code}): ${out}`)));
	});
	child.stdout!.resume();
	return {
		url,
		stop: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			})
	};
}
