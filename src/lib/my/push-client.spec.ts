import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { enablePush, PushSetupError, PUSH_TIMEOUTS } from './push-client';

/**
 * Turning notifications on goes through three steps the page does not control: the browser's
 * permission prompt, the server's key, and the browser's push service. Any of them can hang (a
 * prompt left open, a push service the phone cannot reach): the button must not spin for ever.
 */

const never = () => new Promise<never>(() => undefined);

function browserWith(opts: { permission?: () => Promise<NotificationPermission>; subscribe?: () => Promise<unknown>; fetch?: () => Promise<Response> }) {
	const reg = {
		pushManager: { getSubscription: async () => null, subscribe: opts.subscribe ?? never }
	};
	vi.stubGlobal('window', { isSecureContext: true, PushManager: class {}, Notification: class {}, location: { origin: 'http://127.0.0.1:1' } });
	vi.stubGlobal('navigator', { serviceWorker: { ready: Promise.resolve(reg) }, onLine: true });
	vi.stubGlobal('Notification', { permission: 'default', requestPermission: opts.permission ?? (async () => 'granted') });
	vi.stubGlobal('fetch', opts.fetch ?? (async () => new Response(JSON.stringify({ publicKey: 'BAAA' }), { headers: { 'content-type': 'application/json' } })));
}

async function outcome(p: Promise<unknown>): Promise<unknown> {
	const settled = p.then(
		() => 'ok',
		(e: unknown) => e
	);
	await vi.advanceTimersByTimeAsync(PUSH_TIMEOUTS.permission + PUSH_TIMEOUTS.step * 3);
	return Promise.race([settled, Promise.resolve('still waiting')]);
}

describe('turning notifications on', () => {
	afterEach(() => {
		vi.useRealTimers();
		vi.unstubAllGlobals();
	});

	it('a push service that never answers ends in a clear failure, not a button spinning for ever', async () => {
		vi.useFakeTimers();
		browserWith({ subscribe: never });
		const e = await outcome(enablePush({ origin: 'http://127.0.0.1:1' }));
		expect(e).toBeInstanceOf(PushSetupError);
		expect((e as PushSetupError).reason).toBe('timeout');
	});

	it('a permission prompt left unanswered ends too', async () => {
		vi.useFakeTimers();
		browserWith({ permission: never });
		const e = await outcome(enablePush({ origin: 'http://127.0.0.1:1' }));
		expect((e as PushSetupError).reason).toBe('permission_timeout');
	});

	it('a server key that never comes ends too', async () => {
		vi.useFakeTimers();
		browserWith({ fetch: never });
		const e = await outcome(enablePush({ origin: 'http://127.0.0.1:1' }));
		expect((e as PushSetupError).reason).toBe('timeout');
	});
});
