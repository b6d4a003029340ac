#!/usr/bin/env node
/**
 * Makes the office board's recorded voice clips (static/audio/vi/): the board plays them, after a
 * chime, when the TV has no Vietnamese speech voice ("Mời số" 1 0 2 3 "đến quầy số" 3).
 *
 *   apt-get install -y espeak-ng        # Debian's eSpeak NG, with its Vietnamese voice
 *   node scripts/make-voice-clips.mjs   # writes static/audio/vi/*.wav
 *
 * Each phrase is spoken by `espeak-ng -v vi -s 140 -w <tmp>.wav "<words>"` (22 050 Hz, 16-bit), its
 * leading and trailing silence trimmed, and stored as 16 kHz mono 8-bit WAV: every browser plays
 * WAV with no codec, and 8 bits keep a clip of a word at a few kilobytes. The chime is two sine
 * tones (E5 then C5, fading), written here: no ffmpeg needed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const OUT = path.resolve('static/audio/vi');
const RATE = 16_000;
const CLIPS = {
	'moi-so': 'Mời số',
	'den-quay-so': 'đến quầy số',
	0: 'không',
	1: 'một',
	2: 'hai',
	3: 'ba',
	4: 'bốn',
	5: 'năm',
	6: 'sáu',
	7: 'bảy',
	8: 'tám',
	9: 'chín'
};

/** Mono 16-bit PCM samples (-1…1) and the rate of a WAV espeak-ng wrote. */
function readWav(file) {
	const b = readFileSync(file);
	let at = 12;
	let rate = 22_050;
	while (at < b.length - 8) {
		const id = b.toString('ascii', at, at + 4);
		const size = b.readUInt32LE(at + 4);
		if (id === 'fmt ') rate = b.readUInt32LE(at + 12);
		if (id === 'data') {
			// espeak-ng writes a streaming header (size 0x7fffffff): the data runs to the end of the file.
			const end = Math.min(b.length, at + 8 + size);
			const out = new Float32Array(Math.floor((end - at - 8) / 2));
			for (let i = 0; i < out.length; i++) out[i] = b.readInt16LE(at + 8 + i * 2) / 32768;
			return { samples: out, rate };
		}
		at += 8 + size + (size % 2);
	}
	throw new Error(`no data in ${file}`);
}

/** Cuts silence (below 2 % of full scale) at both ends, keeping 30 ms of air. */
function trim(s, rate) {
	const loud = (x) => Math.abs(x) > 0.02;
	let a = s.findIndex(loud);
	let z = s.findLastIndex(loud);
	if (a < 0) return s;
	const pad = Math.round(rate * 0.03);
	return s.slice(Math.max(0, a - pad), Math.min(s.length, z + pad));
}

/** Linear-interpolation resampling (speech, down-sampled: good enough with no filter beyond it). */
function resample(s, from, to) {
	const n = Math.floor((s.length * to) / from);
	const out = new Float32Array(n);
	for (let i = 0; i < n; i++) {
		const x = (i * from) / to;
		const j = Math.floor(x);
		const f = x - j;
		out[i] = (s[j] ?? 0) * (1 - f) + (s[j + 1] ?? s[j] ?? 0) * f;
	}
	return out;
}

/** 8-bit unsigned PCM WAV, mono. */
function wav8(samples, rate) {
	const data = Buffer.alloc(samples.length);
	for (let i = 0; i < samples.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(128 + samples[i] * 127)));
	const h = Buffer.alloc(44);
	h.write('RIFF', 0, 'ascii');
	h.writeUInt32LE(36 + data.length, 4);
	h.write('WAVEfmt ', 8, 'ascii');
	h.writeUInt32LE(16, 16);
	h.writeUInt16LE(1, 20); // PCM
	h.writeUInt16LE(1, 22); // mono
	h.writeUInt32LE(rate, 24);
	h.writeUInt32LE(rate, 28); // bytes per second
	h.writeUInt16LE(1, 32); // block align
	h.writeUInt16LE(8, 34); // bits per sample
	h.write('data', 36, 'ascii');
	h.writeUInt32LE(data.length, 40);
	return Buffer.concat([h, data]);
}

/** Two fading bell-like tones, E5 then C5 ("ding-dong"). */
function chime() {
	const tone = (hz, seconds) =>
		Float32Array.from({ length: Math.round(RATE * seconds) }, (_, i) => {
			const t = i / RATE;
			return 0.6 * Math.exp(-4 * t) * (Math.sin(2 * Math.PI * hz * t) + 0.3 * Math.sin(4 * Math.PI * hz * t)) * Math.min(1, t * 200);
		});
	const a = tone(659.25, 0.45);
	const b = tone(523.25, 0.7);
	const out = new Float32Array(a.length + b.length);
	out.set(a);
	out.set(b, a.length);
	return out;
}

const tmp = mkdtempSync(path.join(tmpdir(), 'voice-clips-'));
try {
	for (const [name, words] of Object.entries(CLIPS)) {
		const file = path.join(tmp, `${name}.wav`);
		execFileSync('espeak-ng', ['-v', 'vi', '-s', '140', '-w', file, words]);
		const { samples, rate } = readWav(file);
		writeFileSync(path.join(OUT, `${name}.wav`), wav8(resample(trim(samples, rate), rate, RATE), RATE));
	}
	writeFileSync(path.join(OUT, 'chime.wav'), wav8(chime(), RATE));
	console.log(`wrote ${Object.keys(CLIPS).length + 1} clips to ${OUT}`);
} finally {
	rmSync(tmp, { recursive: true, force: true });
}
