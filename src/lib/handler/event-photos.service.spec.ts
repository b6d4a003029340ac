import { afterEach, describe, expect, it, vi } from 'vitest';
import { localDb } from '../sync/local-db';
import { startStepPhotoQueue, type StepPhotoQueue } from './event-photos.service';

/** The upload in flight when the queue stops: its signal is what the queue aborts it with. */
const signals: AbortSignal[] = [];
vi.mock('../sync/photo-uploader', () => ({
	uploadPhoto: (_photo: unknown, opts: { signal: AbortSignal }) =>
		new Promise((_, reject) => {
			signals.push(opts.signal);
			opts.signal.addEventListener('abort', () => reject(opts.signal.reason));
		})
}));

const queues: StepPhotoQueue[] = [];
afterEach(async () => {
	queues.splice(0).forEach((q) => q.stop());
	signals.splice(0);
	await localDb.photos.clear();
});

/** A step photo waiting to go, and a queue whose upload of it is in flight. */
async function uploading(deps: { stopReason?: string } = {}): Promise<{ queue: StepPhotoQueue; signal: AbortSignal }> {
	await localDb.photos.put({
		id: 'p1',
		reportId: 'r1',
		eventId: 'e1',
		blob: new Blob(['x'], { type: 'image/jpeg' }),
		mime: 'image/jpeg',
		width: 1,
		height: 1,
		bytes: 1,
		sent: 0,
		status: 'pending',
		createdAt: Date.now()
	});
	const queue = startStepPhotoQueue({ origin: 'http://127.0.0.1:9', getToken: async () => 't', appended: async (ids) => new Set(ids), refused: async () => new Set(), ...deps });
	queues.push(queue);
	await vi.waitFor(() => expect(signals).toHaveLength(1));
	return { queue, signal: signals[0] };
}

describe('the step photo queue, stopped', () => {
	it('aborts the upload in flight with a reason that blames no one (it serves /my as well as the handler’s inbox)', async () => {
		const { queue, signal } = await uploading();
		queue.stop();
		expect(signal.aborted).toBe(true);
		expect((signal.reason as DOMException).name).toBe('AbortError');
		expect((signal.reason as DOMException).message).not.toMatch(/handler|logged out/i);
		await queue.idle();
		// The photo waits for the next start: nothing is lost.
		expect((await localDb.photos.get('p1'))?.status).not.toBe('rejected');
	});

	it('says why it stopped when its owner tells it', async () => {
		const { queue, signal } = await uploading({ stopReason: 'The resident left My reports.' });
		queue.stop();
		expect((signal.reason as DOMException).message).toBe('The resident left My reports.');
	});
});
