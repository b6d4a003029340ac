import { afterEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './board-live';

afterEach(() => vi.useRealTimers());

describe('throttle', () => {
	it('runs at once, then once at the end of a burst, never closer than the window', () => {
		vi.useFakeTimers();
		const fn = vi.fn();
		const t = throttle(fn, 300);
		t();
		expect(fn).toHaveBeenCalledTimes(1);
		t();
		t();
		vi.advanceTimersByTime(299);
		expect(fn).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(1);
		expect(fn).toHaveBeenCalledTimes(2);
		vi.advanceTimersByTime(1_000);
		t();
		expect(fn).toHaveBeenCalledTimes(3);
		t();
		t.cancel();
		vi.advanceTimersByTime(1_000);
		expect(fn).toHaveBeenCalledTimes(3);
	});
});

/** EventSource as the browser gives it, driven by the test: what the page opened, and what it hears. */
class FakeEventSource {
	static CLOSED = 2;
	static opened: FakeEventSource[] = [];
	readyState = 1;
	onmessage: ((e: { data: string }) => void) | null = null;
	onerror: (() => void) | null = null;
	private listeners = new Map<string, () => void>();
	constructor(readonly url: string) {
		FakeEventSource.opened.push(this);
	}
	addEventListener(type: string, fn: () => void) {
		this.listeners.set(type, fn);
	}
	ping() {
		this.listeners.get('ping')?.();
	}
	close() {
		this.readyState = FakeEventSource.CLOSED;
	}
}

describe('following the board', () => {
	it('replaces a stream that goes silent (no ping, no board) and says the link was lost; pings keep it', async () => {
		vi.useFakeTimers();
		vi.stubGlobal('EventSource', FakeEventSource);
		vi.stubGlobal('addEventListener', () => undefined);
		vi.stubGlobal('removeEventListener', () => undefined);
		FakeEventSource.opened = [];
		const { followBoard } = await import('./board-live');
		const links: string[] = [];
		const boards: string[] = [];
		const stop = followBoard('lam-vien', { board: (b) => boards.push(b.updatedAt), link: (s) => links.push(s) }, 1_000);
		const first = FakeEventSource.opened[0];
		expect(first.url).toMatch(/\/api\/office\/offices\/lam-vien\/board\/stream$/);
		first.onmessage!({ data: JSON.stringify({ updatedAt: 't1', calls: [], counters: [], waiting: [] }) });
		expect(boards).toEqual(['t1']);
		expect(links.at(-1)).toBe('open');
		for (let i = 0; i < 5; i++) {
			vi.advanceTimersByTime(900);
			first.ping();
		}
		expect(FakeEventSource.opened).toHaveLength(1);
		vi.advanceTimersByTime(1_001);
		expect(links.at(-2)).toBe('lost');
		expect(links.at(-1)).toBe('connecting');
		expect(FakeEventSource.opened).toHaveLength(2);
		expect(first.readyState).toBe(FakeEventSource.CLOSED);
		stop();
		vi.advanceTimersByTime(5_000);
		expect(FakeEventSource.opened).toHaveLength(2);
		vi.unstubAllGlobals();
	});
});
