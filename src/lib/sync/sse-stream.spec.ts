import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sseStream } from './replication';

/** A stand-in EventSource: records what was opened; a test closes it as the browser does on a failure. */
class FakeEventSource {
	static CLOSED = 2;
	static opened: FakeEventSource[] = [];
	readyState = 0;
	onmessage: ((ev: { data: string }) => void) | null = null;
	onerror: (() => void) | null = null;
	constructor(readonly url: string) {
		FakeEventSource.opened.push(this);
	}
	fail() {
		this.readyState = FakeEventSource.CLOSED;
		this.onerror?.();
	}
	close() {
		this.readyState = FakeEventSource.CLOSED;
	}
}

describe('the live update stream after the network comes back', () => {
	const events = new EventTarget();
	beforeEach(() => {
		vi.useFakeTimers();
		FakeEventSource.opened = [];
		vi.stubGlobal('EventSource', FakeEventSource);
		vi.stubGlobal('addEventListener', events.addEventListener.bind(events));
		vi.stubGlobal('removeEventListener', events.removeEventListener.bind(events));
	});
	afterEach(() => {
		vi.useRealTimers();
		vi.unstubAllGlobals();
	});

	it('opens again at once when the device is online again, not after its backoff', async () => {
		const stream = sseStream(() => '/api/sync/events/stream?token=t', { getToken: async () => 't' }, () => {});
		await vi.advanceTimersByTimeAsync(0);
		expect(FakeEventSource.opened).toHaveLength(1);
		// Offline for a while: each try fails and the wait doubles (1, 2, 4, 8 s).
		for (let i = 0; i < 4; i++) {
			FakeEventSource.opened.at(-1)!.fail();
			await vi.advanceTimersByTimeAsync(2 ** i * 1000);
		}
		FakeEventSource.opened.at(-1)!.fail();
		const tries = FakeEventSource.opened.length;
		// The next try is 16 s away; the network is back now.
		events.dispatchEvent(new Event('online'));
		await vi.advanceTimersByTimeAsync(0);
		expect(FakeEventSource.opened.length).toBe(tries + 1);
		stream.close();
		// Closed: coming online again opens nothing.
		events.dispatchEvent(new Event('online'));
		await vi.advanceTimersByTimeAsync(60_000);
		expect(FakeEventSource.opened.length).toBe(tries + 1);
	});
});
