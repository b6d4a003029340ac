/**
 * The office board says each call aloud: "Mời số 1 0 2 3 đến quầy số 3" (digits one by one, as
 * Vietnamese offices call them). With a Vietnamese speech voice really installed it speaks; else (most
 * TVs and TV boxes, Chromium without voices, an Android that lists voices it cannot speak) it plays a
 * chime and the bundled clips (static/audio/vi/, made with espeak-ng). Announcements queue: two calls
 * in one second are said one after the other, never over each other.
 *
 * No $app imports and nothing read at module load: the board passes the clips' address and the
 * browser's objects; the spec passes fakes.
 */

/** The clips in static/audio/vi/: 'chime', 'moi-so', '0'…'9', 'den-quay-so'. */
export type ClipName = string;

/** The clips that say a call, in order: ["moi-so", "1", "0", "2", "3", "den-quay-so", "3"]. */
export function callPhrase(number: string, counter: number | string): ClipName[] {
	const digits = (s: string) => [...s].filter((c) => c >= '0' && c <= '9');
	return ['moi-so', ...digits(number), 'den-quay-so', ...digits(String(counter))];
}

/** The same words for a speech voice: digits apart, so a voice does not read "một nghìn không trăm…". */
export function callSentence(number: string, counter: number | string): string {
	const digits = (s: string) => [...s].filter((c) => c >= '0' && c <= '9').join(' ');
	return `Mời số ${digits(number)} đến quầy số ${digits(String(counter))}`;
}

/** How long a listed Vietnamese voice may take to start speaking before it is taken for a lie. */
export const SPEECH_START_MS = 1_500;
/** How long the voice list may take to arrive (Chrome fills it after `voiceschanged`). */
export const VOICES_WAIT_MS = 2_000;
/** A clip that never ends (a stalled decoder) stops blocking the queue after this. */
const CLIP_MAX_MS = 5_000;
const SPEECH_MAX_MS = 15_000;

/** Handlers typed loosely enough for the DOM's (which take an event the announcer never reads). */
type Handler = ((...args: never[]) => unknown) | null;

export interface AudioLike {
	src: string;
	currentTime: number;
	preload?: string;
	onended: Handler;
	onerror: Handler;
	play(): Promise<void>;
}

interface UtteranceLike {
	lang: string;
	voice: unknown;
	rate: number;
	onstart: Handler;
	onend: Handler;
	onerror: Handler;
}

/** The part of `speechSynthesis` used here. */
export interface SynthLike {
	getVoices(): { lang: string }[];
	speak(u: UtteranceLike): void;
	cancel(): void;
	addEventListener(type: 'voiceschanged', listener: () => void): void;
	removeEventListener(type: 'voiceschanged', listener: () => void): void;
}

const isVi = (v: { lang: string }) => v.lang.toLowerCase().replace('_', '-').startsWith('vi');

/** A Vietnamese voice of the list, waiting up to `waitMs` for the list to arrive; null when there is none. */
export function findViVoice<V extends { lang: string }>(synth: { getVoices(): V[] } & Pick<SynthLike, 'addEventListener' | 'removeEventListener'>, waitMs = VOICES_WAIT_MS): Promise<V | null> {
	const pick = () => synth.getVoices().find(isVi) ?? null;
	const now = pick();
	if (now) return Promise.resolve(now);
	return new Promise((resolve) => {
		const done = () => {
			const v = pick();
			if (!v && !timedOut) return; // another list change may bring it, until the wait is over
			clearTimeout(timer);
			synth.removeEventListener('voiceschanged', done);
			resolve(v);
		};
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			done();
		}, waitMs);
		synth.addEventListener('voiceschanged', done);
	});
}

export interface AnnouncerDeps {
	/** The address of a clip: `${base}/audio/vi/${name}.wav`. */
	clipUrl: (name: ClipName) => string;
	makeAudio: (src: string) => AudioLike;
	/** `speechSynthesis` and `SpeechSynthesisUtterance`, or null where the browser has none. */
	synth: SynthLike | null;
	makeUtterance?: (text: string) => UtteranceLike;
	/** The browser refused sound (no tap since the page loaded): the board asks for the tap again. */
	onBlocked?: () => void;
	/** Which way the board speaks, once known: the board says it on screen. */
	onMode?: (mode: 'speech' | 'clips') => void;
	voicesWaitMs?: number;
	speechStartMs?: number;
}

export function createAnnouncer(deps: AnnouncerDeps) {
	const audios = new Map<string, AudioLike>();
	let tail: Promise<void> = Promise.resolve();
	/** The Vietnamese voice, once the list is known; null: clips. A voice that never starts is dropped. */
	let voice: Promise<unknown | null> | null = null;
	let blocked = false;

	function audio(name: ClipName): AudioLike {
		const src = deps.clipUrl(name);
		let a = audios.get(src);
		if (!a) {
			a = deps.makeAudio(src);
			a.preload = 'auto';
			audios.set(src, a);
		}
		return a;
	}

	/** Plays one clip to its end (or its error, or a stall); false when the browser refused to play. */
	function play(name: ClipName): Promise<boolean> {
		const a = audio(name);
		a.currentTime = 0;
		return new Promise((resolve) => {
			let settled = false;
			const done = (ok: boolean) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				a.onended = a.onerror = null;
				resolve(ok);
			};
			const timer = setTimeout(() => done(true), CLIP_MAX_MS);
			a.onended = () => done(true);
			a.onerror = () => done(true);
			a.play().catch((e: unknown) => done((e as { name?: string } | null)?.name !== 'NotAllowedError'));
		});
	}

	async function playClips(names: ClipName[]): Promise<void> {
		for (const n of names) {
			if (!(await play(n))) {
				blocked = true;
				deps.onBlocked?.();
				return;
			}
		}
	}

	function voiceOnce(): Promise<unknown | null> {
		voice ??= deps.synth && deps.makeUtterance ? findViVoice(deps.synth, deps.voicesWaitMs).catch(() => null) : Promise.resolve(null);
		return voice;
	}

	/** Speaks with the voice; false when it never started (the list lied) or failed. */
	function speak(v: unknown, text: string): Promise<boolean> {
		const synth = deps.synth!;
		const u = deps.makeUtterance!(text);
		u.lang = 'vi-VN';
		u.voice = v;
		u.rate = 0.9;
		return new Promise((resolve) => {
			let started = false;
			let settled = false;
			const done = (ok: boolean) => {
				if (settled) return;
				settled = true;
				clearTimeout(startTimer);
				clearTimeout(endTimer);
				resolve(ok);
			};
			const startTimer = setTimeout(() => {
				if (started) return;
				synth.cancel();
				done(false);
			}, deps.speechStartMs ?? SPEECH_START_MS);
			const endTimer = setTimeout(() => done(started), SPEECH_MAX_MS);
			u.onstart = () => (started = true);
			u.onend = () => done(started);
			u.onerror = () => done(started);
			synth.speak(u);
		});
	}

	async function say(number: string, counter: number): Promise<void> {
		if (blocked) return;
		const v = await voiceOnce();
		if (v) {
			deps.onMode?.('speech');
			await playClips(['chime']);
			if (blocked) return;
			if (await speak(v, callSentence(number, counter))) return;
			// Listed but silent (Android's list can lie): clips from now on.
			voice = Promise.resolve(null);
			deps.onMode?.('clips');
			await playClips(callPhrase(number, counter));
			return;
		}
		deps.onMode?.('clips');
		await playClips(['chime', ...callPhrase(number, counter)]);
	}

	return {
		/**
		 * Call from the tap's own handler (browsers allow sound only within a user gesture): plays the
		 * chime, which the person hears as "sound is on", and wakes speech. Resolves false when refused.
		 */
		unlock(): Promise<boolean> {
			blocked = false;
			if (deps.synth && deps.makeUtterance) {
				try {
					deps.synth.speak(deps.makeUtterance(''));
				} catch {
					// No speech here: the clips will do.
				}
			}
			const first = play('chime');
			// Load the other clips now, while nothing is said: the first call then starts without a gap.
			for (const n of callPhrase('0123456789', '')) audio(n);
			void voiceOnce();
			return first.then((ok) => {
				blocked = !ok;
				return ok;
			});
		},
		/** Queues the announcement of a call; it is said after those before it. */
		announce(number: string, counter: number): Promise<void> {
			tail = tail.then(() => say(number, counter)).catch(() => undefined);
			return tail;
		},
		get blocked() {
			return blocked;
		}
	};
}
export type Announcer = ReturnType<typeof createAnnouncer>;
