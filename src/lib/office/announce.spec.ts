import { afterEach, describe, expect, it, vi } from 'vitest';
import { callPhrase, callSentence, createAnnouncer, findViVoice, type AudioLike, type SynthLike } from './announce';

describe('callPhrase', () => {
	it('says the number digit by digit, then the counter', () => {
		expect(callPhrase('1023', 3)).toEqual(['moi-so', '1', '0', '2', '3', 'den-quay-so', '3']);
		expect(callPhrase('4001', 12)).toEqual(['moi-so', '4', '0', '0', '1', 'den-quay-so', '1', '2']);
		expect(callSentence('1023', 3)).toBe('Mời số 1 0 2 3 đến quầy số 3');
	});
});

/** Audio that "plays" for `ms` and records what was played, and whether two ever overlapped. */
function fakeAudio(opts: { ms?: number; refuse?: boolean } = {}) {
	const played: string[] = [];
	let playing = 0;
	let overlapped = false;
	const make = (src: string): AudioLike => {
		const a: AudioLike = {
			src,
			currentTime: 0,
			onended: null,
			onerror: null,
			play() {
				if (opts.refuse) return Promise.reject(Object.assign(new Error('no gesture'), { name: 'NotAllowedError' }));
				played.push(src);
				if (++playing > 1) overlapped = true;
				setTimeout(() => {
					playing--;
					a.onended?.();
				}, opts.ms ?? 5);
				return Promise.resolve();
			}
		};
		return a;
	};
	return { make, played, overlapped: () => overlapped };
}

class FakeSynth implements SynthLike {
	voices: { lang: string }[] = [];
	spoken: string[] = [];
	listeners = new Set<() => void>();
	constructor(private readonly starts: boolean) {}
	getVoices() {
		return this.voices;
	}
	speak(u: { onstart: (() => void) | null; onend: (() => void) | null } & { text?: string }) {
		this.spoken.push(u.text ?? '');
		if (this.starts && u.text) {
			setTimeout(() => u.onstart?.(), 1);
			setTimeout(() => u.onend?.(), 5);
		}
	}
	cancel() {}
	addEventListener(_: 'voiceschanged', l: () => void) {
		this.listeners.add(l);
	}
	removeEventListener(_: 'voiceschanged', l: () => void) {
		this.listeners.delete(l);
	}
	changeVoices(voices: { lang: string }[]) {
		this.voices = voices;
		for (const l of [...this.listeners]) l();
	}
}
const utterance = (text: string) => ({ text, lang: '', voice: null as unknown, rate: 1, onstart: null, onend: null, onerror: null });
const clipUrl = (n: string) => `/audio/vi/${n}.wav`;

afterEach(() => vi.useRealTimers());

describe('findViVoice', () => {
	it('waits for the voice list to arrive, and gives up after the wait', async () => {
		const synth = new FakeSynth(true);
		const found = findViVoice(synth, 1_000);
		synth.changeVoices([{ lang: 'en-US' }]);
		synth.changeVoices([{ lang: 'en-US' }, { lang: 'vi-VN' }]);
		expect(await found).toEqual({ lang: 'vi-VN' });
		expect(await findViVoice(new FakeSynth(true), 10)).toBeNull();
	});
});

describe('the announcer', () => {
	it('plays the chime and the clips in order, one call after the other, when no Vietnamese voice exists', async () => {
		const audio = fakeAudio();
		const a = createAnnouncer({ clipUrl, makeAudio: audio.make, synth: new FakeSynth(true), makeUtterance: utterance, voicesWaitMs: 10 });
		void a.announce('1023', 3);
		await a.announce('4001', 2);
		expect(audio.played).toEqual(
			['chime', 'moi-so', '1', '0', '2', '3', 'den-quay-so', '3', 'chime', 'moi-so', '4', '0', '0', '1', 'den-quay-so', '2'].map(clipUrl)
		);
		expect(audio.overlapped()).toBe(false);
	});

	it('speaks with a Vietnamese voice that really speaks', async () => {
		const audio = fakeAudio();
		const synth = new FakeSynth(true);
		synth.voices = [{ lang: 'vi-VN' }];
		const a = createAnnouncer({ clipUrl, makeAudio: audio.make, synth, makeUtterance: utterance });
		await a.announce('1023', 3);
		expect(synth.spoken).toEqual(['Mời số 1 0 2 3 đến quầy số 3']);
		expect(audio.played).toEqual([clipUrl('chime')]);
	});

	it('takes a listed voice that never starts for none, and plays the clips instead', async () => {
		const audio = fakeAudio();
		const synth = new FakeSynth(false);
		synth.voices = [{ lang: 'vi_VN' }];
		const modes: string[] = [];
		const a = createAnnouncer({ clipUrl, makeAudio: audio.make, synth, makeUtterance: utterance, speechStartMs: 20, onMode: (m) => modes.push(m) });
		await a.announce('1001', 1);
		await a.announce('1002', 1);
		expect(synth.spoken).toHaveLength(1); // the second call does not try the silent voice again
		expect(audio.played.slice(-3)).toEqual(['2', 'den-quay-so', '1'].map(clipUrl));
		expect(modes.at(-1)).toBe('clips');
	});

	it('stops and asks for a tap when the browser refuses sound', async () => {
		const audio = fakeAudio({ refuse: true });
		const blocked = vi.fn();
		const a = createAnnouncer({ clipUrl, makeAudio: audio.make, synth: null, onBlocked: blocked });
		await a.announce('1001', 1);
		expect(blocked).toHaveBeenCalledOnce();
		expect(a.blocked).toBe(true);
		expect(await a.unlock()).toBe(false);
	});
});
