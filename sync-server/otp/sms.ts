import { maskPhone } from './phone';

/** Sends a text message. A real provider (an SMS gateway's HTTP API) implements this; nothing else changes. */
export interface SmsSender {
	send(phone: string, text: string): Promise<void>;
}

export interface LogSms extends SmsSender {
	/** The last code sent to a phone, kept only when asked (the test-only endpoint reads it). */
	lastCode(phone: string): string | null;
}

interface InfoLog {
	info(obj: object, msg: string): void;
}

/** Codes kept for the test endpoint at most: a test run never needs more, a mistake cannot fill memory. */
const KEEP_MAX = 1000;

/**
 * The development and test adapter: nothing is sent, the message (with its code) is written to the
 * log at info, marked so nobody mistakes it for a delivery. Never use it in production: anyone who
 * reads the log could verify any phone (main.ts warns when it is in use).
 */
export function createLogSms(log: InfoLog, opts: { keepCodes?: boolean } = {}): LogSms {
	const codes = new Map<string, string>();
	return {
		async send(phone, text) {
			const code = /\b(\d{6})\b/.exec(text)?.[1] ?? null;
			log.info({ devSms: true, phone: maskPhone(phone), code, text }, 'DEV SMS (NOT SENT): one-time code written to the log');
			if (!opts.keepCodes || !code) return;
			codes.delete(phone);
			codes.set(phone, code);
			if (codes.size > KEEP_MAX) codes.delete(codes.keys().next().value!);
		},
		lastCode: (phone) => codes.get(phone) ?? null
	};
}
