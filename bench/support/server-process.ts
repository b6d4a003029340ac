/**
 * The server as `npm start` runs it, minus the build: `node --import tsx sync-server/main.ts` in its
 * own process (so the bench's client work does not share its event loop), on an ephemeral port, with
 * the given DATA_DIR and environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface ServerProcess {
	url: string;
	pid: number;
	/** Peak resident memory of the server process so far, MB (Linux /proc; null elsewhere). */
	peakRssMb(): number | null;
	stop(): Promise<void>;
	/** Sends `signal` and waits for the process to end: SIGKILL is a crash (no shutdown, nothing flushed). */
	kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startServerProcess(
	dataDir: string,
	env: Record<string, string> = {},
	nodeArgs: string[] = []
): Promise<ServerProcess> {
	const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'sync-server/main.ts'], {
		env: {
			...process.env,
			PORT: '0',
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			LOG_LEVEL: 'warn',
			STATIC_DIR: path.join(dataDir, 'no-build'),
			...env
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000);
		child.stdout!.on('data', (c: Buffer) => {
			out += c.toString();
			const m = /sync-server: (http:\/\/\S+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		});
		child.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
	});
	child.stdout!.resume();
	async function kill(signal: NodeJS.Signals = 'SIGKILL') {
		// A process killed by a signal has no exit code, only a signal code.
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((r) => child.once('exit', r));
			child.kill(signal);
			await exited;
		}
	}
	return {
		url,
		pid: child.pid!,
		peakRssMb() {
			try {
				const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
				return m ? Number(m[1]) / 1024 : null;
			} catch {
				return null;
			}
		},
		// Callers pass these around unbound (`stop: proc.stop`): no `this`.
		stop: () => kill('SIGTERM'),
		kill
	};
}
