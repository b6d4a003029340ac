/**
 * How long the server blocked its own event loop, for tests that run the server in their process
 * (docs/SECURITY.md, "No unauthenticated request blocks the event loop…"). Samples every 5 ms: the
 * longest interval between two ticks during which this process was busy — the smaller of wall time
 * and CPU time, less the 5 ms period — so a late tick on a machine busy with other work is not
 * counted as the server's.
 */
export function busyStalls() {
	let wall = performance.now();
	let cpu = process.cpuUsage();
	let longest = 0;
	const timer = setInterval(() => {
		const w = performance.now();
		const c = process.cpuUsage(cpu);
		longest = Math.max(longest, Math.min(w - wall, (c.user + c.system) / 1000) - 5);
		wall = w;
		cpu = process.cpuUsage();
	}, 5);
	return {
		/** Stops sampling; the longest busy stall in ms. */
		stop() {
			clearInterval(timer);
			return Math.max(0, longest);
		}
	};
}
