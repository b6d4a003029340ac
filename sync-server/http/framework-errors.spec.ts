import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { clientErrorHandler } from './framework-errors';

/** A socket that records what is written to it. */
function socket() {
	let written = '';
	const s = new Duplex({ read() {}, write(chunk, _enc, cb) { written += String(chunk); cb(); } });
	return { s, written: () => written };
}

describe('clientErrorHandler', () => {
	it.each([
		['HPE_INVALID_CONTENT_LENGTH', 400, 'validation_failed'],
		['HPE_HEADER_OVERFLOW', 431, 'validation_failed'],
		['ERR_HTTP_REQUEST_TIMEOUT', 408, 'network']
	])('%s answers %i with {error:{code: %s}} and closes', (code, status, errorCode) => {
		const { s, written } = socket();
		clientErrorHandler(Object.assign(new Error('x'), { code }), s);
		const [head, body] = written().split('\r\n\r\n');
		expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
		expect(head).toContain('Connection: close');
		expect(JSON.parse(body).error.code).toBe(errorCode);
		expect(s.destroyed).toBe(true);
	});

	it('says nothing on a reset connection', () => {
		const { s, written } = socket();
		clientErrorHandler(Object.assign(new Error('x'), { code: 'ECONNRESET' }), s);
		expect(written()).toBe('');
	});
});
